// Key guarantees of the action, each broken by hand: the same break written for the sources before
// the suite was restructured (commit 2e59eab, flat src/) and after (src/ in folders). Every one must
// fail the suite in both trees; test/breakages/run.ts applies each to a scratch copy and says which
// tests caught it. Not part of `npm test`.

/** One exact replacement; `from` must occur exactly once in the file. */
export interface Edit {
  file: string;
  from: string;
  to: string;
}

export interface Break {
  id: string;
  /** The guarantee the break violates, as a reviewer would say it. */
  guarantee: string;
  before: Edit[];
  after: Edit[];
}

const both = (file: { before: string; after: string }, from: string, to: string): { before: Edit[]; after: Edit[] } => ({
  before: [{ file: file.before, from, to }],
  after: [{ file: file.after, from, to }],
});

export const BREAKS: Break[] = [
  {
    id: 'gst-retried',
    guarantee: "GetSessionToken is sent with the SDK's retries off (a resent code is spent twice)",
    before: [{ file: 'src/aws.ts', from: 'maxAttempts: options.retries ? MAX_ATTEMPTS : 1,', to: 'maxAttempts: MAX_ATTEMPTS,' }],
    after: [{ file: 'src/aws/clients.ts', from: 'const maxAttempts = retries ? MAX_ATTEMPTS : 1;', to: 'const maxAttempts = MAX_ATTEMPTS;' }],
  },
  {
    id: 'secret-key-unmasked',
    guarantee: 'aws-secret-access-key is masked before anything is printed',
    ...both(
      { before: 'src/inputs.ts', after: 'src/inputs/read.ts' },
      "const secrets = [raw['mfa-token'], raw['aws-access-key-id'], raw['aws-secret-access-key'], raw['github-token']];",
      "const secrets = [raw['mfa-token'], raw['aws-access-key-id'], raw['github-token']];",
    ),
  },
  {
    id: 'session-token-unmasked',
    guarantee: "a session's token from STS is masked as soon as it exists",
    ...both(
      { before: 'src/credentials.ts', after: 'src/aws/credentials.ts' },
      'for (const secret of [AccessKeyId, SecretAccessKey, SessionToken]) mask(secret);',
      'for (const secret of [AccessKeyId, SecretAccessKey]) mask(secret);',
    ),
  },
  {
    id: 'masked-after-validation',
    guarantee: 'the secret inputs are masked before they are validated (a refusal is never the first line to print one)',
    before: [
      {
        file: 'src/main.ts',
        from: '  for (const secret of secretsOf(raw)) mask(secret);\n  const { settings, warnings, masks } = readSettings(raw, runIdentity());\n',
        to: '  const { settings, warnings, masks } = readSettings(raw, runIdentity());\n  for (const secret of secretsOf(raw)) mask(secret);\n',
      },
    ],
    after: [
      {
        file: 'src/main.ts',
        from: '  for (const secret of secretsOf(raw)) runner.mask(secret);\n  const { settings, warnings, masks } = readSettings(raw, runner.run, workspaceFiles(runner.run.workspace));\n',
        to: '  const { settings, warnings, masks } = readSettings(raw, runner.run, workspaceFiles(runner.run.workspace));\n  for (const secret of secretsOf(raw)) runner.mask(secret);\n',
      },
    ],
  },
  {
    id: 'nosuchentity-claimed',
    guarantee: "NoSuchEntity for a listed device is reported as someone else's removal, not as this run's deactivation",
    before: [
      {
        file: 'src/mfa.ts',
        from: "if (classifyAwsError(error) === 'no-such-entity') return gone;",
        to: "if (classifyAwsError(error) === 'no-such-entity') return done;",
      },
    ],
    after: [
      {
        file: 'src/aws/devices.ts',
        from: "if (awsErrorRow(error)?.action === 'done') return gone;",
        to: "if (awsErrorRow(error)?.action === 'done') return done;",
      },
    ],
  },
  {
    id: 'unknown-user-success',
    guarantee: 'a user name IAM does not know (GetUser: NoSuchEntity) fails naming user-name, never passes as a user',
    before: [
      {
        file: 'src/user.ts',
        from: "throw new InputError('user-name', 'names no IAM user in this account (GetUser: NoSuchEntity). Nothing was changed.');",
        to: "return { userName, userId: 'unknown', path: '/', arn: '' };",
      },
    ],
    after: [
      {
        file: 'src/aws/user.ts',
        from: "throw new InputError('user-name', 'names no IAM user in this account (GetUser: NoSuchEntity). Nothing was changed.');",
        to: "return { userName, userId: 'unknown', path: '/' };",
      },
    ],
  },
  {
    id: 'protection-case-sensitive',
    guarantee: 'protected-users matches user names as IAM does: ignoring case',
    before: [{ file: 'src/inputs.ts', from: "return new RegExp(`^${source}$`, 'i').test(userName);", to: 'return new RegExp(`^${source}$`).test(userName);' }],
    after: [
      {
        file: 'src/inputs/rules.ts',
        from: "return patterns.find((pattern) => new RegExp(`^${pattern.split('*').map(escapeRegExp).join('.*')}$`, 'i').test(userName));",
        to: "return patterns.find((pattern) => new RegExp(`^${pattern.split('*').map(escapeRegExp).join('.*')}$`).test(userName));",
      },
    ],
  },
  {
    id: 'fido-step-up',
    guarantee: 'a FIDO key is never chosen to step up with (GetSessionToken takes TOTP devices only)',
    ...both(
      { before: 'src/mfa.ts', after: 'src/aws/devices.ts' },
      "const totp = callerDevices.filter((device) => device.kind !== 'fido');",
      'const totp = [...callerDevices];',
    ),
  },
  {
    id: 'any-denial-steps-up',
    guarantee: "only a refusal for want of MFA leads a role to step up; a policy's deny of the role is reported, and the code never spent",
    before: [{ file: 'src/errors.ts', from: "    return 'access-denied';\n  }", to: "    return 'mfa-required';\n  }" }],
    after: [
      {
        file: 'src/aws/session.ts',
        from: "      if (refusal.id !== 'mfa-required' && !ownKeys)\n",
        to: "      if (refusal.id !== 'mfa-required' && !ownKeys && keys === undefined)\n",
      },
    ],
  },
  {
    id: 'scp-deny-steps-up',
    guarantee: 'an explicit deny (identity-based, service control policy, boundary) never leads a role to step up',
    before: [
      {
        file: 'src/errors.ts',
        from: 'const EXPLICIT_IDENTITY_DENY = /with an explicit deny in an identity-based policy/i;',
        to: 'const EXPLICIT_IDENTITY_DENY = /with an explicit deny/i;',
      },
    ],
    after: [
      {
        file: 'src/aws/session.ts',
        from: "  return row && (row.id === 'mfa-required' || row.deny !== undefined) ? row : undefined;",
        to: "  return row && (row.id === 'mfa-required' || row.deny !== undefined) ? { ...row, id: 'mfa-required' } : undefined;",
      },
    ],
  },
  {
    id: 'dry-run-changes',
    guarantee: 'a dry run deactivates and deletes nothing',
    before: [
      {
        file: 'src/main.ts',
        from: 'if (record.devices.length > 0 && !settings.dryRun) await deactivateAndDelete',
        to: 'if (record.devices.length > 0) await deactivateAndDelete',
      },
    ],
    after: [{ file: 'src/main.ts', from: 'if (report.devices.length > 0 && !settings.dryRun) {', to: 'if (report.devices.length > 0) {' }],
  },
  {
    id: 'self-approval',
    guarantee: 'an environment approval by the person who started (or re-ran) the run does not count',
    before: [
      {
        file: 'src/approvals.ts',
        from: 'const approvers = unique(approved.map((approval) => approval.reviewer).filter((login) => !isRequester(login, requesters)));',
        to: 'const approvers = unique(approved.map((approval) => approval.reviewer));',
      },
    ],
    after: [
      { file: 'src/approvals/decide.ts', from: '  const role = excluded.get(person.id);\n  if (role !== undefined) return `${at(person)} ${role}`;\n', to: '' },
    ],
  },
  {
    id: 'oidc-before-validation',
    guarantee: 'nothing is requested before every input is validated (here: the OIDC token fetched first)',
    before: [
      {
        file: 'src/main.ts',
        from: '    const given = readInputs(mask);\n',
        to: "    await deps.getIdToken('sts.amazonaws.com').catch(() => undefined);\n    const given = readInputs(mask);\n",
      },
    ],
    after: [
      {
        file: 'src/main.ts',
        from: '    const settings = readInputs(runner);\n',
        to: "    await runner.idToken('sts.amazonaws.com').catch(() => undefined);\n    const settings = readInputs(runner);\n",
      },
    ],
  },
  {
    id: 'aws-before-validation',
    guarantee: 'no AWS request before every input is validated (here: STS GetCallerIdentity with the default chain first)',
    before: [
      {
        file: 'src/main.ts',
        from: '    const given = readInputs(mask);\n',
        to: "    await deps.connect('us-east-1', new Deadline(120)).sts().send(new GetCallerIdentityCommand({})).catch(() => undefined);\n    const given = readInputs(mask);\n",
      },
      {
        file: 'src/main.ts',
        from: "import * as core from '@actions/core';\n",
        to: "import * as core from '@actions/core';\nimport { GetCallerIdentityCommand } from '@aws-sdk/client-sts';\n",
      },
    ],
    after: [
      {
        file: 'src/main.ts',
        from: '    const settings = readInputs(runner);\n',
        to: "    await deps.connect('us-east-1', deps.deadline(120)).sts().send(new GetCallerIdentityCommand({})).catch(() => undefined);\n    const settings = readInputs(runner);\n",
      },
      {
        file: 'src/main.ts',
        from: "import { approvalLine, checkApproval, requireApproved } from './approvals/gate.ts';\n",
        to: "import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';\nimport { approvalLine, checkApproval, requireApproved } from './approvals/gate.ts';\n",
      },
    ],
  },
  {
    id: 'deadline-ignored',
    guarantee: "every AWS call is bounded by the run's time limit (timeout-seconds), not only by per-attempt timeouts",
    before: [
      { file: 'src/aws.ts', from: 'return super.handle(request, { ...options, abortSignal: this.#signal });', to: 'return super.handle(request, options);' },
      { file: 'src/aws.ts', from: 'return await deadline.race(call, () => next(args));', to: 'return await next(args);' },
    ],
    after: [
      {
        file: 'src/aws/clients.ts',
        from: 'return super.handle(request, { ...options, abortSignal: this.#signal });',
        to: 'return super.handle(request, options);',
      },
      { file: 'src/aws/clients.ts', from: 'return await deadline.race(call, () => next(args));', to: 'return await next(args);' },
    ],
  },
  {
    id: 'partial-run-misreported',
    guarantee: 'a partial run reports exactly which devices are off: a failed or unanswered device counts as remaining',
    before: [
      {
        file: 'src/report.ts',
        from: "const isOff = (entry: DeviceRecord): boolean => entry.deactivation === 'deactivated' || entry.deactivation === 'already-removed';",
        to: 'const isOff = (entry: DeviceRecord): boolean => entry.deactivation !== undefined;',
      },
    ],
    after: [
      {
        file: 'src/report/outcome.ts',
        from: "export const isOff = (entry: DeviceResult): boolean => entry.deactivation === 'deactivated' || entry.deactivation === 'already-removed';",
        to: 'export const isOff = (entry: DeviceResult): boolean => entry.deactivation !== undefined;',
      },
    ],
  },
  {
    id: 'repeated-marker-followed',
    guarantee: 'a list whose Marker repeats is refused at once, not followed until the page limit',
    before: [
      {
        file: 'src/paging.ts',
        from: '    if (markers.has(marker)) throw new ActionError(`${call} returned a Marker it had already returned (page ${pages}); stopped listing instead of looping.`);\n',
        to: '',
      },
    ],
    after: [
      {
        file: 'src/aws/devices.ts',
        from: 'paginateListMFADevices({ client: iam, stopOnSameToken: true }',
        to: 'paginateListMFADevices({ client: iam, stopOnSameToken: false }',
      },
    ],
  },
  {
    id: 'log-unescaped',
    guarantee: 'outside text cannot start a workflow command in the log (every line escaped)',
    before: [
      {
        file: 'src/log.ts',
        from: 'export const info = (message: string): void => core.info(escapeLog(message));',
        to: 'export const info = (message: string): void => core.info(message);',
      },
    ],
    after: [{ file: 'src/runner/runner.ts', from: 'info: (message) => core.info(escapeLog(message)),', to: 'info: (message) => core.info(message),' }],
  },
  {
    id: 'summary-unescaped',
    guarantee: 'outside text cannot add markup to the job summary',
    ...both({ before: 'src/report.ts', after: 'src/text.ts' }, 'return cut.replace(MARKUP, (c) => `&#${c.charCodeAt(0)};`);', 'return cut;'),
  },
  {
    id: 'credentials-exported',
    guarantee: "credentials never leave memory (nothing exported to later steps' environment)",
    ...both(
      { before: 'src/credentials.ts', after: 'src/aws/credentials.ts' },
      '    const credentials = sessionCredentials(response.Credentials, deps.mask);\n',
      "    const credentials = sessionCredentials(response.Credentials, deps.mask);\n    (await import('@actions/core')).exportVariable('AWS_SESSION_TOKEN', credentials.sessionToken ?? '');\n",
    ),
  },
];
