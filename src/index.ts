import { run } from './main.ts';

await run();
// The outcome is reported. A call abandoned at the run's deadline may still hold a socket (the OIDC
// fetch takes no abort signal): exit once stdout is flushed rather than wait for it.
process.stdout.write('', () => process.exit());
