// Checks a response against GitHub's own OpenAPI description of its REST API: the api.github.com
// description (not GHES, not GHEC) that @octokit/openapi ships as generated/api.github.com.json,
// OpenAPI 3.0.3, validated with ajv (OpenAPI's `nullable` understood, and taken to admit null into an
// enum too, as GitHub means it and Octokit's types read it: a job in progress has `conclusion: null`;
// `example`, `x-github` and other annotations ignored). A response is checked against the schema the operation declares for its
// status; where the operation declares none for an error status (GitHub documents few of them),
// against `basic-error`, the body every GitHub error has, and that fallback is reported as such.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

const require = createRequire(import.meta.url);
const PACKAGE = '@octokit/openapi';
const FILE = 'generated/api.github.com.json';

type Schema = Record<string, unknown>;
interface Operation {
  operationId: string;
  responses: Record<string, Schema>;
}
interface Description {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema>; responses: Record<string, Schema>; headers: Record<string, Schema> };
}

export interface ResponseToCheck {
  method: string;
  /** The path below the API root, e.g. /repos/octo/app/pulls/7 (a query string is ignored). */
  path: string;
  status: number;
  headers: Record<string, string | string[] | number | undefined>;
  body: unknown;
}

export interface ContractCheck {
  operationId: string;
  /** The operation's path in the description. */
  template: string;
  status: number;
  /** `operation`: the operation's own response; `basic-error`: the fallback for an undeclared error status. */
  schema: 'operation' | 'basic-error';
  /** Empty when the response fits. */
  errors: string[];
}

export interface CheckOptions {
  /**
   * Also refuse properties the schema does not declare (default true): a stand-in must not invent
   * fields. GitHub itself may send more than it documents, so this is for the stand-in's answers.
   */
  noUndeclaredProperties?: boolean;
}

/** `nullable: true` beside an enum that lacks null: GitHub means null is allowed (ajv, reading OpenAPI 3.0.3 strictly, would refuse it). */
function admitNull(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(admitNull);
  if (typeof node !== 'object' || node === null) return node;
  const copy: Schema = Object.fromEntries(Object.entries(node).map(([key, value]) => [key, admitNull(value)]));
  if (copy['nullable'] === true && Array.isArray(copy['enum']) && !copy['enum'].includes(null)) copy['enum'] = [...copy['enum'], null];
  return copy;
}

/** The description's `additionalProperties: false` wherever an object lists its properties and says nothing (not inside allOf). */
function closeObjects(node: unknown, insideAllOf = false): unknown {
  if (Array.isArray(node)) return node.map((item) => closeObjects(item, insideAllOf));
  if (typeof node !== 'object' || node === null) return node;
  const copy: Schema = {};
  for (const [key, value] of Object.entries(node)) copy[key] = closeObjects(value, insideAllOf || key === 'allOf');
  if (!insideAllOf && typeof copy['properties'] === 'object' && copy['additionalProperties'] === undefined) copy['additionalProperties'] = false;
  return copy;
}

export class GitHubOpenApi {
  /** Which description this is: package, its version, the file and the OpenAPI version. */
  readonly source: { package: string; version: string; file: string; openapi: string };
  private readonly description: Description;
  private readonly templates: { method: string; template: string; pattern: RegExp; literals: number }[];
  private readonly validators = new Map<string, ValidateFunction>();
  private readonly ajv: { open: Ajv; closed: Ajv };
  private static cached: GitHubOpenApi | undefined;

  static load(): GitHubOpenApi {
    GitHubOpenApi.cached ??= new GitHubOpenApi();
    return GitHubOpenApi.cached;
  }

  private constructor() {
    const packageJson = require.resolve(`${PACKAGE}/package.json`);
    const { version } = JSON.parse(readFileSync(packageJson, 'utf8')) as { version: string };
    this.description = JSON.parse(readFileSync(require.resolve(`${PACKAGE}/${FILE}`), 'utf8')) as Description;
    this.source = { package: PACKAGE, version, file: FILE, openapi: this.description.openapi };
    this.templates = Object.entries(this.description.paths).flatMap(([template, item]) =>
      Object.keys(item)
        .filter((method) => ['get', 'put', 'post', 'patch', 'delete', 'head'].includes(method))
        .map((method) => ({
          method,
          template,
          pattern: new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{[^}]+\\?\}/g, '[^/]+')}$`),
          literals: template.split('/').filter((segment) => !segment.startsWith('{')).length,
        })),
    );
    const make = (schemas: Record<string, Schema>): Ajv => {
      const ajv = new Ajv({ strict: false, allErrors: true });
      addFormats(ajv);
      // Formats the description uses that JSON Schema does not define: types, not constraints.
      for (const format of ['int32', 'int64', 'timestamp', 'repo.nwo', 'ssh-key', 'ssh-key fingerprint']) ajv.addFormat(format, true);
      ajv.addSchema({ $id: 'github', components: { schemas } });
      return ajv;
    };
    const schemas = admitNull(this.description.components.schemas) as Record<string, Schema>;
    this.ajv = { open: make(schemas), closed: make(closeObjects(schemas) as Record<string, Schema>) };
  }

  /** The operation a request is, or undefined. /repositories/{id}/… (GitHub's Link headers) counts as /repos/{owner}/{repo}/…. */
  operation(method: string, path: string): { operationId: string; template: string } | undefined {
    const bare = path.split('?')[0]!.replace(/^\/repositories\/\d+\//, '/repos/{owner}/{repo}/');
    const candidates = this.templates.filter((entry) => entry.method === method.toLowerCase() && entry.pattern.test(bare));
    // The most literal template wins: /pulls/comments over /pulls/{pull_number}.
    const best = candidates.sort((a, b) => b.literals - a.literals)[0];
    if (!best) return undefined;
    return { operationId: this.description.paths[best.template]![best.method]!.operationId, template: best.template };
  }

  check(response: ResponseToCheck, options: CheckOptions = {}): ContractCheck {
    const found = this.operation(response.method, response.path);
    if (!found) {
      return {
        operationId: '?',
        template: '?',
        status: response.status,
        schema: 'operation',
        errors: [`${response.method} ${response.path} is no operation of the description`],
      };
    }
    const operation = this.description.paths[found.template]![response.method.toLowerCase()]!;
    const status = String(response.status);
    let declared = operation.responses[status] ?? operation.responses[`${status[0]}XX`] ?? operation.responses['default'];
    while (declared && typeof declared['$ref'] === 'string') declared = this.description.components.responses[String(declared['$ref']).split('/').pop()!];
    const result: ContractCheck = { ...found, status: response.status, schema: declared ? 'operation' : 'basic-error', errors: [] };
    if (!declared && response.status < 400) {
      result.errors.push(`status ${status} is not declared for ${found.operationId} (declared: ${Object.keys(operation.responses).join(', ')})`);
      return result;
    }
    const content = declared?.['content'] as Record<string, { schema?: Schema }> | undefined;
    const schema = declared ? content?.['application/json']?.schema : { $ref: '#/components/schemas/basic-error' };
    if (schema === undefined) {
      if (response.body !== undefined && response.body !== '') result.errors.push(`a body, where ${found.operationId} declares none for ${status}`);
    } else {
      const contentType = header(response.headers, 'content-type');
      if (!contentType?.startsWith('application/json')) result.errors.push(`content-type ${contentType ?? '(none)'}, not application/json`);
      const validate = this.validator(`${found.operationId} ${status} ${result.schema}`, schema, options.noUndeclaredProperties ?? true);
      if (!validate(response.body)) result.errors.push(...(validate.errors ?? []).map(describe));
    }
    if (response.status >= 400) {
      // GitHub's error bodies always carry both, though basic-error requires neither.
      const body = response.body as Record<string, unknown> | null;
      for (const name of ['message', 'documentation_url']) if (typeof body?.[name] !== 'string') result.errors.push(`an error body without ${name}`);
    }
    for (const [name, declaredHeader] of Object.entries((declared?.['headers'] ?? {}) as Record<string, Schema>)) {
      const value = header(response.headers, name);
      const resolved =
        typeof declaredHeader['$ref'] === 'string' ? this.description.components.headers[String(declaredHeader['$ref']).split('/').pop()!] : declaredHeader;
      const type = (resolved?.['schema'] as Schema | undefined)?.['type'];
      if (value !== undefined && type === 'integer' && !/^\d+$/.test(value)) result.errors.push(`header ${name}: ${value} is not an integer`);
    }
    return result;
  }

  private validator(key: string, schema: Schema, closed: boolean): ValidateFunction {
    const cacheKey = `${key} ${closed}`;
    let validate = this.validators.get(cacheKey);
    if (!validate) {
      const anchored = admitNull(JSON.parse(JSON.stringify(schema).replaceAll('"#/components/', '"github#/components/'))) as Schema;
      validate = (closed ? this.ajv.closed : this.ajv.open).compile(closed ? (closeObjects(anchored) as Schema) : anchored);
      this.validators.set(cacheKey, validate);
    }
    return validate;
  }
}

function header(headers: ResponseToCheck['headers'], name: string): string | undefined {
  const entry = Object.entries(headers).find(([key]) => key.toLowerCase() === name.toLowerCase())?.[1];
  return entry === undefined ? undefined : Array.isArray(entry) ? entry.join(', ') : String(entry);
}

function describe(error: ErrorObject): string {
  const where = error.instancePath === '' ? '(body)' : error.instancePath;
  const detail =
    error.keyword === 'additionalProperties'
      ? `: ${String((error.params as { additionalProperty?: string }).additionalProperty)}`
      : error.keyword === 'enum'
        ? `: ${JSON.stringify((error.params as { allowedValues?: unknown }).allowedValues)}`
        : '';
  return `${where} ${error.message ?? error.keyword}${detail}`;
}
