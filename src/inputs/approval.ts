// The approval inputs: which approval the run must prove, the token to prove it with, the IAM
// user tag that binds a person to the user, and an optional request file that names the user.
// Read by readSettings before the user name, so a request file's user is masked like the input.
import { lstatSync, readFileSync, realpathSync } from 'node:fs';
import { isAbsolute, join, normalize, resolve, sep } from 'node:path';
import { InputError } from '../errors.ts';
import type { ApprovalMode, ApprovalSettings, ResetRequest } from '../settings.ts';
import type { InputName } from './defaults.ts';
import { parseRequestFile, RequestFileError } from './request-file.ts';
import { readInteger } from './rules.ts';

type RawInputs = Readonly<Record<InputName, string>>;

// A re-run may finish an approved reset within a working day; GitHub allows re-runs for 30 days.
const MAX_AGE_HOURS = { min: 1, max: 720 };
const MODES: readonly ApprovalMode[] = ['none', 'environment', 'pull-request'];
// IAM's tag key pattern and length (IAM API reference, Tag).
const TAG_KEY = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]{1,128}$/u;

export interface FileReader {
  workspace: string;
  read(path: string): string;
}

/** Where request files live, in the workspace: the folder the shipped request workflow watches. */
const REQUEST_FOLDER = 'mfa-resets';

/**
 * The workspace's files, as a request file is read from them: a regular file (never a symbolic
 * link, which a pull request's diff shows only as its target's name) whose real path lies inside
 * the workspace's own request folder.
 */
export const workspaceFiles = (workspace: string): FileReader => ({
  workspace,
  read: (path) => {
    if (!lstatSync(path).isFile()) throw Object.assign(new Error('not a regular file (a symbolic link or a folder)'), { code: 'ENOTREGULAR' });
    const folder = join(realpathSync(workspace), REQUEST_FOLDER) + sep;
    if (!realpathSync(path).startsWith(folder)) throw Object.assign(new Error(`outside ${REQUEST_FOLDER}/`), { code: 'EOUTSIDE' });
    return readFileSync(path, 'utf8');
  },
});

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
  if (mode === 'pull-request' && !raw['request-file']) {
    throw new InputError('request-file', 'is required with require-approval: pull-request: the approval is of the request the pull request added.');
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
    maxAgeHours: readInteger('approval-max-age-hours', raw['approval-max-age-hours'], MAX_AGE_HOURS),
  };
}

function readRequest(raw: RawInputs, files: FileReader): ResetRequest | undefined {
  const path = raw['request-file'];
  if (!path) return undefined;
  if (raw['user-name']) {
    throw new InputError('user-name', 'must be empty when request-file is set: the request file names the user.');
  }
  if (isAbsolute(path) || normalize(path).split(/[\\/]/).includes('..') || !normalize(path).startsWith(`${REQUEST_FOLDER}/`)) {
    throw new InputError('request-file', `"${path}" must be a path inside the repository's ${REQUEST_FOLDER}/ folder, relative to GITHUB_WORKSPACE.`);
  }
  let text: string;
  try {
    text = files.read(resolve(files.workspace, path));
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    const why = code === 'ENOTREGULAR' || code === 'EOUTSIDE' ? (error as Error).message : typeof code === 'string' ? code : String(error);
    throw new InputError('request-file', `${path} cannot be read (${why}): it must be a regular file in ${REQUEST_FOLDER}/ of the checked-out repository.`);
  }
  try {
    return parseRequestFile(path, text);
  } catch (error) {
    if (error instanceof RequestFileError) throw new InputError('request-file', error.message);
    throw error;
  }
}
