// AWS's published service models for IAM (2010-05-08) and STS (2011-06-15), as the contract test
// reads them: botocore's JSON (Debian's python3-botocore; checked against 1.29.27, whose metadata
// says protocol "query", uid iam-2010-05-08 / sts-2011-06-15), plus the operations' error lists
// of the newer model the JavaScript SDK in package-lock.json was generated from (its commands'
// `@throws` documentation), because the 2022 botocore predates errors IAM has added since (e.g.
// ConcurrentModification on DeactivateMFADevice and DeleteVirtualMFADevice).
//
// STANDIN_BOTOCORE_DATA names another botocore `data` directory (as STANDIN_AWS_CLI names another
// CLI); without it, Debian's path. A missing model is an error, never a skipped check: CI installs
// python3-botocore (.ci/run).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export type ServiceName = 'iam' | 'sts';

export interface Shape {
  type: 'structure' | 'list' | 'map' | 'string' | 'integer' | 'long' | 'boolean' | 'timestamp' | 'blob' | 'double' | 'float';
  members?: Record<string, { shape: string; locationName?: string }>;
  member?: { shape: string; locationName?: string };
  key?: { shape: string };
  value?: { shape: string };
  flattened?: boolean;
  required?: string[];
  enum?: string[];
  pattern?: string;
  min?: number;
  max?: number;
  exception?: boolean;
  error?: { code?: string; httpStatusCode?: number; senderFault?: boolean };
}

export interface Operation {
  name: string;
  input?: { shape: string };
  output?: { shape: string; resultWrapper?: string };
  errors?: { shape: string }[];
}

export interface ServiceModel {
  service: ServiceName;
  metadata: { apiVersion: string; protocol: string; uid: string; xmlNamespace: string; serviceId: string };
  operations: Record<string, Operation>;
  shapes: Record<string, Shape>;
}

/** An error an operation may answer: its wire code, HTTP status and Type (Sender or Receiver). */
export interface DeclaredError {
  code: string;
  status: number;
  type: 'Sender' | 'Receiver';
  /** Where it is declared: `botocore 1.29.27`, `@aws-sdk/client-iam 3.1169.0`, or `common`. */
  source: string;
}

const API_VERSION: Record<ServiceName, string> = { iam: '2010-05-08', sts: '2011-06-15' };
const DEBIAN_DATA = '/usr/lib/python3/dist-packages/botocore/data';

function botocoreDataDir(): string {
  return process.env['STANDIN_BOTOCORE_DATA'] ?? DEBIAN_DATA;
}

function read(path: string, what: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new Error(
      `${what} not found at ${path} (${(error as Error).message}): install Debian's python3-botocore ` +
        '(apt-get install python3-botocore), or set STANDIN_BOTOCORE_DATA to a botocore data directory',
      { cause: error },
    );
  }
}

/** botocore's own `__version__`, e.g. `1.29.27`, read beside its data directory. */
export function botocoreVersion(): string {
  const init = read(join(dirname(botocoreDataDir()), '__init__.py'), "botocore's __init__.py");
  const version = /^__version__ = '([^']+)'/m.exec(init)?.[1];
  if (!version) throw new Error("botocore's __init__.py names no __version__");
  return version;
}

const models = new Map<ServiceName, ServiceModel>();

export function loadModel(service: ServiceName): ServiceModel {
  const cached = models.get(service);
  if (cached) return cached;
  const path = join(botocoreDataDir(), service, API_VERSION[service], 'service-2.json');
  const json = JSON.parse(read(path, `botocore's ${service} model`)) as Omit<ServiceModel, 'service'>;
  if (json.metadata.protocol !== 'query' || json.metadata.apiVersion !== API_VERSION[service]) {
    throw new Error(`${path} is not the ${service} ${API_VERSION[service]} Query-protocol model`);
  }
  const model = { service, ...json };
  models.set(service, model);
  return model;
}

export function operation(model: ServiceModel, name: string): Operation {
  const found = model.operations[name];
  if (!found) throw new Error(`the ${model.service} model has no operation ${name}`);
  return found;
}

const require = createRequire(import.meta.url);

function sdkPackage(service: ServiceName): { dir: string; name: string; version: string } {
  const name = `@aws-sdk/client-${service}`;
  const manifest = require.resolve(`${name}/package.json`);
  const { version } = JSON.parse(readFileSync(manifest, 'utf8')) as { version: string };
  return { dir: dirname(manifest), name, version };
}

/** Exception shapes the SDK's generated documentation lists for the operation (`@throws {@link X}`). */
export function sdkThrows(service: ServiceName, name: string): { shapes: string[]; source: string } {
  const sdk = sdkPackage(service);
  const docs = readFileSync(join(sdk.dir, 'dist-types', 'commands', `${name}Command.d.ts`), 'utf8');
  const serviceException = service === 'iam' ? 'IAMServiceException' : 'STSServiceException';
  const shapes = [...docs.matchAll(/@throws \{@link (\w+)\}/g)].map((match) => match[1]!).filter((shape) => shape !== serviceException);
  return { shapes, source: `${sdk.name} ${sdk.version}` };
}

function fromShape(model: ServiceModel, shapeName: string, source: string): DeclaredError {
  const shape = model.shapes[shapeName];
  if (!shape?.exception) throw new Error(`the ${model.service} model has no exception shape ${shapeName}`);
  const status = shape.error?.httpStatusCode ?? 400;
  // botocore marks client errors senderFault; an error without it (ServiceFailure, 500) is the service's.
  return { code: shape.error?.code ?? shapeName, status, type: shape.error?.senderFault ? 'Sender' : 'Receiver', source };
}

/**
 * The operation's own errors: botocore's list, then any the SDK's newer model adds. Each code's
 * status and Type come from botocore's shape of that name.
 */
export function declaredErrors(model: ServiceModel, name: string): DeclaredError[] {
  const botocore = `botocore ${botocoreVersion()}`;
  const declared = (operation(model, name).errors ?? []).map((error) => fromShape(model, error.shape, botocore));
  const sdk = sdkThrows(model.service, name);
  for (const shape of sdk.shapes) {
    const error = fromShape(model, shape, sdk.source);
    if (!declared.some((known) => known.code === error.code)) declared.push(error);
  }
  return declared;
}

/**
 * Errors any IAM or STS operation may answer, as codes on the wire of the Query protocol. From
 * AWS's "Common Errors" pages of the IAM and STS API references (in their Query spelling:
 * `AccessDenied`, `Throttling`, not the JSON protocols' `AccessDeniedException`), plus the codes
 * IAM's and STS's front ends are seen answering: `SignatureDoesNotMatch`, `ExpiredToken` (expired
 * session credentials), `MalformedInput` (captured from STS for a number that does not parse).
 */
export const COMMON_ERRORS: Record<string, number> = {
  AccessDenied: 403,
  ExpiredToken: 403,
  IncompleteSignature: 400,
  InternalFailure: 500,
  InvalidAction: 400,
  InvalidClientTokenId: 403,
  InvalidParameterCombination: 400,
  InvalidParameterValue: 400,
  InvalidQueryParameter: 400,
  MalformedInput: 400,
  MalformedQueryString: 404,
  MissingAction: 400,
  MissingAuthenticationToken: 403,
  MissingParameter: 400,
  NotAuthorized: 400,
  OptInRequired: 403,
  RequestExpired: 400,
  ServiceUnavailable: 503,
  SignatureDoesNotMatch: 403,
  Throttling: 400,
  ValidationError: 400,
};

export function commonErrors(): DeclaredError[] {
  return Object.entries(COMMON_ERRORS).map(([code, status]) => ({ code, status, type: status >= 500 ? 'Receiver' : 'Sender', source: 'common' }));
}

/** Everything the operation may answer with: its declared errors first, then the common ones it does not redefine. */
export function allowedErrors(model: ServiceModel, name: string): DeclaredError[] {
  const declared = declaredErrors(model, name);
  return [...declared, ...commonErrors().filter((common) => !declared.some((own) => own.code === common.code))];
}
