// Reading a CloudFormation template offline: YAML with the short-form intrinsic tags, a check of
// its resources against CloudFormation's resource specification (@aws-cdk/cfnspec), and a
// resolver that evaluates the intrinsics for given parameters, as a stack would be created; and the
// `aws cloudformation deploy` commands a document tells adopters to run.
import { specification } from '@aws-cdk/cfnspec';
import MarkdownIt from 'markdown-it';
import { parse, type Tags } from 'yaml';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

const FUNCTIONS = ['Sub', 'If', 'Equals', 'Not', 'And', 'Or', 'Join', 'Select', 'Split', 'FindInMap', 'Base64', 'GetAZs', 'ImportValue', 'Cidr'];

/** `!Sub x` → `{ "Fn::Sub": "x" }`, and so on: the long form CloudFormation itself uses. */
const SHORT_FORMS: Tags = [
  ...FUNCTIONS.flatMap((name) => [
    { tag: `!${name}`, resolve: (value: string) => ({ [`Fn::${name}`]: value }) },
    { tag: `!${name}`, collection: 'seq' as const, resolve: (seq: { toJSON(): unknown }) => ({ [`Fn::${name}`]: seq.toJSON() }) },
    { tag: `!${name}`, collection: 'map' as const, resolve: (map: { toJSON(): unknown }) => ({ [`Fn::${name}`]: map.toJSON() }) },
  ]),
  { tag: '!Ref', resolve: (value: string) => ({ Ref: value }) },
  { tag: '!Condition', resolve: (value: string) => ({ Condition: value }) },
  { tag: '!GetAtt', resolve: (value: string) => ({ 'Fn::GetAtt': value.split('.') }) },
  { tag: '!GetAtt', collection: 'seq' as const, resolve: (seq: { toJSON(): unknown }) => ({ 'Fn::GetAtt': seq.toJSON() }) },
] as Tags;

export interface Template {
  Parameters?: Record<string, { Type: string; Default?: string; AllowedValues?: string[]; AllowedPattern?: string }>;
  Conditions?: Record<string, Json>;
  Resources: Record<string, { Type: string; Condition?: string; Properties?: JsonObject }>;
  Outputs?: Record<string, { Value: Json; Condition?: string }>;
}

export function parseTemplate(text: string): Template {
  return parse(text, { customTags: SHORT_FORMS }) as Template;
}

const PSEUDO_PARAMETERS = [
  'AWS::AccountId',
  'AWS::NoValue',
  'AWS::Partition',
  'AWS::Region',
  'AWS::StackId',
  'AWS::StackName',
  'AWS::URLSuffix',
  'AWS::NotificationARNs',
];

function isObject(value: Json | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The intrinsic function a value is, if it is one: a one-key object `Ref`, `Condition` or `Fn::…`. */
function intrinsic(value: Json | undefined): [name: string, argument: Json] | undefined {
  if (!isObject(value)) return undefined;
  const keys = Object.keys(value);
  const [key] = keys;
  if (keys.length !== 1 || key === undefined || !(key === 'Ref' || key === 'Condition' || key.startsWith('Fn::'))) return undefined;
  return [key, value[key] ?? null];
}

interface PropertySpec {
  Required?: boolean;
  PrimitiveType?: string;
  PrimitiveItemType?: string;
  Type?: string;
  ItemType?: string;
}

/**
 * Problems with the template as CloudFormation's resource specification describes resources:
 * unknown types and properties, missing required properties, values of the wrong kind, and
 * references (Ref, GetAtt, Condition, ${…} in Sub) to nothing. An intrinsic stands for a value of
 * any type, except that both branches of an Fn::If are checked as the property's type.
 */
export function specProblems(template: Template): string[] {
  const spec = specification();
  const problems: string[] = [];
  const parameters = new Set(Object.keys(template.Parameters ?? {}));
  const conditions = new Set(Object.keys(template.Conditions ?? {}));
  const resources = template.Resources;
  const referable = new Set([...parameters, ...Object.keys(resources), ...PSEUDO_PARAMETERS]);

  const checkReferences = (value: Json | undefined, where: string): void => {
    const fn = intrinsic(value);
    if (fn?.[0] === 'Ref' && !referable.has(String(fn[1]))) problems.push(`${where}: Ref to unknown ${String(fn[1])}`);
    if (fn?.[0] === 'Condition' && !conditions.has(String(fn[1]))) problems.push(`${where}: unknown condition ${String(fn[1])}`);
    if (fn?.[0] === 'Fn::If' && Array.isArray(fn[1]) && !conditions.has(String(fn[1][0])))
      problems.push(`${where}: Fn::If on unknown condition ${String(fn[1][0])}`);
    if (fn?.[0] === 'Fn::GetAtt' && Array.isArray(fn[1])) {
      const [name, attribute] = fn[1].map(String);
      const type = resources[name ?? '']?.Type;
      if (!type) problems.push(`${where}: GetAtt of unknown resource ${name}`);
      else if (!Object.hasOwn(spec.ResourceTypes[type]?.Attributes ?? {}, attribute ?? '')) problems.push(`${where}: ${type} has no attribute ${attribute}`);
    }
    if (fn?.[0] === 'Fn::Sub') {
      const text = Array.isArray(fn[1]) ? String(fn[1][0]) : String(fn[1]);
      const local = Array.isArray(fn[1]) && isObject(fn[1][1]) ? Object.keys(fn[1][1]) : [];
      for (const [, name] of text.matchAll(/\$\{([^!}][^}]*)\}/g)) {
        const target = (name ?? '').split('.')[0] ?? '';
        if (!referable.has(target) && !local.includes(target)) problems.push(`${where}: \${${name}} names nothing`);
      }
    }
    if (Array.isArray(value)) value.forEach((item, i) => checkReferences(item, `${where}[${i}]`));
    else if (isObject(value)) for (const [key, item] of Object.entries(value)) checkReferences(item, `${where}.${key}`);
  };

  const checkValue = (resourceType: string, property: PropertySpec, value: Json | undefined, where: string): void => {
    const fn = intrinsic(value);
    if (fn?.[0] === 'Fn::If' && Array.isArray(fn[1])) {
      for (const branch of fn[1].slice(1)) if (intrinsic(branch)?.[1] !== 'AWS::NoValue') checkValue(resourceType, property, branch, where);
      return;
    }
    if (fn) return;
    if (property.PrimitiveType !== undefined) return checkPrimitive(property.PrimitiveType, value, where);
    if (property.Type === 'List' || property.Type === 'Map') {
      const items = property.Type === 'List' ? (Array.isArray(value) ? value : undefined) : isObject(value) ? Object.values(value) : undefined;
      if (!items) return void problems.push(`${where}: expected a ${property.Type}`);
      items.forEach((item, i) => {
        const itemSpec = property.PrimitiveItemType !== undefined ? { PrimitiveType: property.PrimitiveItemType } : { Type: property.ItemType ?? '' };
        const inner = intrinsic(item);
        if (inner?.[0] === 'Fn::If' && Array.isArray(inner[1])) {
          for (const branch of inner[1].slice(1)) if (intrinsic(branch)?.[1] !== 'AWS::NoValue') checkValue(resourceType, itemSpec, branch, `${where}[${i}]`);
        } else checkValue(resourceType, itemSpec, item, `${where}[${i}]`);
      });
      return;
    }
    const typeName = property.Type ?? '';
    const nested = (spec.PropertyTypes[`${resourceType}.${typeName}`] ?? spec.PropertyTypes[typeName]) as
      { Properties?: Record<string, PropertySpec> } | undefined;
    if (!nested?.Properties) return void problems.push(`${where}: unknown property type ${typeName}`);
    if (!isObject(value)) return void problems.push(`${where}: expected a ${typeName} object`);
    checkProperties(resourceType, nested.Properties, value, where);
  };

  const checkPrimitive = (type: string, value: Json | undefined, where: string): void => {
    const ok =
      type === 'String'
        ? typeof value === 'string'
        : type === 'Integer' || type === 'Long' || type === 'Double'
          ? typeof value === 'number' || (typeof value === 'string' && !Number.isNaN(Number(value)))
          : type === 'Boolean'
            ? typeof value === 'boolean' || value === 'true' || value === 'false'
            : type === 'Json'
              ? isObject(value)
              : true;
    if (!ok) problems.push(`${where}: expected ${type}, got ${JSON.stringify(value)}`);
  };

  const checkProperties = (resourceType: string, specs: Record<string, PropertySpec>, values: JsonObject, where: string): void => {
    for (const [name, property] of Object.entries(specs)) {
      if (property.Required && !(name in values)) problems.push(`${where}: required property ${name} missing`);
    }
    for (const [name, value] of Object.entries(values)) {
      const property = specs[name];
      if (!property) problems.push(`${where}: unknown property ${name}`);
      else checkValue(resourceType, property, value, `${where}.${name}`);
    }
  };

  for (const [name, resource] of Object.entries(resources)) {
    const type = spec.ResourceTypes[resource.Type];
    if (!type) {
      problems.push(`${name}: unknown resource type ${resource.Type}`);
      continue;
    }
    if (resource.Condition !== undefined && !conditions.has(resource.Condition)) problems.push(`${name}: unknown condition ${resource.Condition}`);
    checkProperties(resource.Type, (type.Properties ?? {}) as Record<string, PropertySpec>, resource.Properties ?? {}, name);
    checkReferences(resource.Properties ?? {}, name);
  }
  for (const [name, condition] of Object.entries(template.Conditions ?? {})) checkReferences(condition, `Conditions.${name}`);
  for (const [name, output] of Object.entries(template.Outputs ?? {})) {
    if (output.Condition !== undefined && !conditions.has(output.Condition)) problems.push(`Outputs.${name}: unknown condition ${output.Condition}`);
    checkReferences(output.Value, `Outputs.${name}`);
  }
  return problems;
}

/** What a stack is created with: parameter values (defaults filled in) and the pseudo parameters. */
export interface StackInput {
  parameters: Record<string, string>;
  partition: string;
  accountId: string;
}

const NO_VALUE = Symbol('AWS::NoValue');

/** The template with every intrinsic evaluated and every conditional resource decided, as CloudFormation would. */
export function resolveTemplate(template: Template, input: StackInput): Template {
  const parameters: Record<string, string> = {};
  for (const [name, parameter] of Object.entries(template.Parameters ?? {})) {
    const value = input.parameters[name] ?? parameter.Default;
    if (value === undefined) throw new Error(`parameter ${name} has no value`);
    if (parameter.AllowedValues && !parameter.AllowedValues.includes(value)) throw new Error(`parameter ${name}: ${value} is not allowed`);
    if (parameter.AllowedPattern !== undefined && !new RegExp(`^(?:${parameter.AllowedPattern})$`).test(value))
      throw new Error(`parameter ${name}: ${value} does not match ${parameter.AllowedPattern}`);
    parameters[name] = value;
  }
  for (const name of Object.keys(input.parameters)) if (!(name in parameters)) throw new Error(`no parameter ${name}`);
  const pseudo: Record<string, string> = {
    'AWS::Partition': input.partition,
    'AWS::AccountId': input.accountId,
    'AWS::Region': 'us-east-1',
    'AWS::URLSuffix': 'amazonaws.com',
  };

  const conditionValues = new Map<string, boolean>();
  const condition = (name: string): boolean => {
    if (!conditionValues.has(name)) conditionValues.set(name, Boolean(evaluate(template.Conditions?.[name] ?? null)));
    return conditionValues.get(name)!;
  };

  const substitute = (text: string, local: Record<string, unknown>): string =>
    text.replace(/\$\{(!?)([^}]*)\}/g, (_, literal: string, name: string) => {
      if (literal) return `\${${name}}`;
      const value = local[name] ?? parameters[name] ?? pseudo[name];
      if (typeof value !== 'string') throw new Error(`cannot substitute \${${name}}`);
      return value;
    });

  const evaluate = (value: Json): unknown => {
    const fn = intrinsic(value);
    if (fn) {
      const [name, argument] = fn;
      const args = Array.isArray(argument) ? argument : [argument];
      switch (name) {
        case 'Ref': {
          const target = String(argument);
          if (target === 'AWS::NoValue') return NO_VALUE;
          if (target in parameters) return parameters[target];
          if (target in pseudo) return pseudo[target];
          return `<physical id of ${target}>`;
        }
        case 'Condition':
          return condition(String(argument));
        case 'Fn::If':
          return condition(String(args[0])) ? evaluate(args[1] ?? null) : evaluate(args[2] ?? null);
        case 'Fn::Equals':
          return evaluate(args[0] ?? null) === evaluate(args[1] ?? null);
        case 'Fn::Not':
          return !evaluate(args[0] ?? null);
        case 'Fn::And':
          return args.every((item) => evaluate(item));
        case 'Fn::Or':
          return args.some((item) => evaluate(item));
        case 'Fn::Sub': {
          const [text, local] = Array.isArray(argument)
            ? [String(argument[0]), evaluate(argument[1] ?? {}) as Record<string, unknown>]
            : [String(argument), {}];
          return substitute(text, local);
        }
        case 'Fn::GetAtt':
          return `<${args.join('.')}>`;
        default:
          throw new Error(`resolveTemplate does not evaluate ${name}`);
      }
    }
    if (Array.isArray(value)) return value.map(evaluate).filter((item) => item !== NO_VALUE);
    if (isObject(value))
      return Object.fromEntries(
        Object.entries(value)
          .map(([key, item]) => [key, evaluate(item)])
          .filter(([, item]) => item !== NO_VALUE),
      );
    return value;
  };

  const resources: Template['Resources'] = {};
  for (const [name, resource] of Object.entries(template.Resources)) {
    if (resource.Condition !== undefined && !condition(resource.Condition)) continue;
    resources[name] = { Type: resource.Type, ...(resource.Properties && { Properties: evaluate(resource.Properties) as JsonObject }) };
  }
  return { Resources: resources };
}

/** A stack a document deploys: its template and `--parameter-overrides`. */
export interface DeployCommand {
  template: string;
  parameters: Record<string, string>;
}

/** Each `aws cloudformation deploy` in the markdown's bash/sh blocks, by stack name. */
export function deployCommands(markdown: string): Map<string, DeployCommand> {
  const stacks = new Map<string, DeployCommand>();
  for (const token of new MarkdownIt().parse(markdown, {})) {
    if (token.type !== 'fence' || !/^(bash|sh)\b/.test(token.info.trim())) continue;
    const command = token.content.replace(/\\\n/g, ' ');
    if (!command.includes('aws cloudformation deploy')) continue;
    const overrides = /--parameter-overrides\s+(.*)$/m.exec(command)?.[1]?.trim().split(/\s+/) ?? [];
    stacks.set(/--stack-name\s+(\S+)/.exec(command)?.[1] ?? '', {
      template: /--template-file\s+(\S+)/.exec(command)?.[1] ?? '',
      parameters: Object.fromEntries(overrides.map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)])),
    });
  }
  return stacks;
}
