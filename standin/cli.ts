// `node standin/cli.ts [--port N]`: serve the demo account in the foreground. Prints
// exactly one JSON line (the seedDemo object) on stdout; each request goes to stderr, redacted.
// SIGTERM/SIGINT close the server and exit 0.
import { parseArgs } from 'node:util';
import { seedDemo } from './demo-data.ts';
import { redact, startStandin } from './index.ts';

const { values } = parseArgs({ options: { port: { type: 'string', default: '0' } } });
const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`aws-standin: --port must be 0..65535, got '${values.port}'`);
  process.exit(2);
}

const standin = await startStandin({
  port,
  onRequest: (entry) => console.error(`aws-standin: ${JSON.stringify(redact(entry))}`),
});
process.stdout.write(`${JSON.stringify(seedDemo(standin))}\n`);

let stopping = false;
const stop = (): void => {
  if (stopping) return;
  stopping = true;
  standin.close().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error('aws-standin: close failed', error);
      process.exit(1);
    },
  );
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
