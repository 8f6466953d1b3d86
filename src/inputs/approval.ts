// The approval inputs: which approval the run must prove, the token to prove it with, the IAM
// user tag that binds a person to the user, and an optional request file that names the user.
// Read by readSettings before the user name, so a request file's user is masked like the input.
import { readFileSync } from 'node:fs';
import { isAbsolute, normalize, resolve } from 'node:path';
import { InputError } from '../errors.ts';
import type { ApprovalMode, ApprovalSettings, ResetRequest } from '../settings.ts';
import type { InputName } from './defaults.ts';
import { parseRequestFile, RequestFileError } from './request-file.ts';

type RawInputs = Readonly<Record<InputName, string>>;

const MODES: readonly ApprovalMode[] = ['none', 'environment', 'pull-request'];
// IAM's tag key pattern and length (IAM API reference, Tag).
const TAG_KEY = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]{1,128}$/u;

export interface FileReader {
  workspace: string;
  read(path: string): string;
}

/** The workspace's files, as the request file is read from them. */
export const workspaceFiles = (workspace: string): FileReader => ({ workspace, read: (path) => readFileSync(path, 'utf8') });

/** The approval inputs; github-token is masked by the caller with the other secrets (secretsOf). */
export function readApprovalSettings(raw: RawInputs, files: FileReader = workspaceFiles(process.cwd())): ApprovalSettings {
  const githubToken = raw['github-token'];
  const mode = raw['require-approval'];
  if (!(MODES as readonly string[]).includes(mode)) {
    throw new InputError('require-approval', `must be one of ${MODES.join(', ')}, not "${mode}".`);
  }
  if (mode !== 'none' && !githubToken) {
    throw new InputError('github-token', `is required when require-approval is ${mode} (the default, \${{ github.token }}, works).`);
  }
  const userTag = raw['require-user-tag'] || undefined;
  if (userTag !== undefined && !TAG_KEY.test(userTag)) {
    throw new InputError('require-user-tag', 'must be an IAM tag key: 1 to 128 letters, digits, spaces and _.:/=+-@.');
  }
  return {
    mode: mode as ApprovalMode,
    githubToken,
    userTag,
    request: readRequest(raw, files),
  };
}

function readRequest(raw: RawInputs, files: FileReader): ResetRequest | undefined {
  const path = raw['request-file'];
  if (!path) return undefined;
  if (raw['user-name']) {
    throw new InputError('user-name', 'must be empty when request-file is set: the request file names the user.');
  }
  if (isAbsolute(path) || normalize(path).split(/[\\/]/).includes('..')) {
    throw new InputError('request-file', `"${path}" must be a path inside the repository, relative to GITHUB_WORKSPACE.`);
  }
  let text: string;
  try {
    text = files.read(resolve(files.workspace, path));
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    throw new InputError('request-file', `${path} cannot be read (${typeof code === 'string' ? code : String(error)}): check out the repository first.`);
  }
  try {
    return parseRequestFile(path, text);
  } catch (error) {
    if (error instanceof RequestFileError) throw new InputError('request-file', error.message);
    throw error;
  }
}
