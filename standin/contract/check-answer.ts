// Checks one Query-protocol answer against the service model, the way AWS's SDKs read it:
//   success: <OpResponse xmlns=NS>, <OpResult> holding the output shape's members (by member name
//            or locationName, lists as <member> items, each value of its shape's type, enum and
//            length) and nothing else, then <ResponseMetadata><RequestId>; a void operation has
//            no Result element at all.
//   error:   <ErrorResponse xmlns=NS><Error><Type/><Code/><Message/></Error><RequestId/>, the code
//            one the operation declares or a common one, the HTTP status and Type those say.
// Returns every problem found, as readable lines; an empty list means the answer is faithful.
import { allowedErrors, operation } from './aws-model.ts';
import type { ServiceModel, Shape } from './aws-model.ts';
import { parseXml } from './xml-tree.ts';
import type { XmlElement } from './xml-tree.ts';

/** The namespace AWS's front end answers InvalidAction in, before any service is chosen. */
const AWS_FAULT_NAMESPACE = 'http://webservices.amazon.com/AWSFault/2005-15-09';

const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

function childNames(element: XmlElement): string[] {
  return element.children.map((child) => child.name);
}

function onlyChildren(element: XmlElement, names: string[], at: string, problems: string[]): void {
  const got = childNames(element);
  if (got.join() !== names.join()) problems.push(`${at}: expected children [${names.join(', ')}], got [${got.join(', ')}]`);
}

/** A Java-style pattern from the model as a JavaScript RegExp, or undefined if it does not translate. */
function pattern(source: string): RegExp | undefined {
  try {
    return new RegExp(`^(?:${source})$`, 'u');
  } catch {
    return undefined;
  }
}

function checkScalar(shape: Shape, element: XmlElement, at: string, problems: string[]): void {
  const { text } = element;
  switch (shape.type) {
    case 'string': {
      const length = [...text].length;
      if (shape.enum && !shape.enum.includes(text)) problems.push(`${at}: '${text}' is not one of ${shape.enum.join('|')}`);
      if (shape.min !== undefined && length < shape.min) problems.push(`${at}: length ${length} below the model's min ${shape.min}`);
      if (shape.max !== undefined && length > shape.max) problems.push(`${at}: length ${length} above the model's max ${shape.max}`);
      const regex = shape.pattern === undefined ? undefined : pattern(shape.pattern);
      if (regex && !regex.test(text)) problems.push(`${at}: '${text}' does not match the model's pattern ${shape.pattern}`);
      return;
    }
    case 'boolean':
      if (text !== 'true' && text !== 'false') problems.push(`${at}: '${text}' is not a boolean`);
      return;
    case 'integer':
    case 'long': {
      if (!/^-?\d+$/.test(text)) return void problems.push(`${at}: '${text}' is not an integer`);
      const value = Number(text);
      if (shape.min !== undefined && value < shape.min) problems.push(`${at}: ${value} below the model's min ${shape.min}`);
      if (shape.max !== undefined && value > shape.max) problems.push(`${at}: ${value} above the model's max ${shape.max}`);
      return;
    }
    case 'timestamp':
      if (!TIMESTAMP.test(text) || Number.isNaN(Date.parse(text))) problems.push(`${at}: '${text}' is not an ISO 8601 UTC timestamp`);
      return;
    case 'blob':
      if (!BASE64.test(text) || text.length % 4 !== 0) problems.push(`${at}: a blob must be base64`);
      return;
    default:
      if (!/^-?\d+(\.\d+)?([eE][+-]?\d+)?$/.test(text)) problems.push(`${at}: '${text}' is not a number`);
  }
}

function checkValue(model: ServiceModel, shapeName: string, element: XmlElement, at: string, problems: string[]): void {
  const shape = model.shapes[shapeName];
  if (!shape) return void problems.push(`${at}: the model has no shape ${shapeName}`);
  if (shape.type === 'structure') {
    if (element.text !== '') problems.push(`${at}: a ${shapeName} structure holds text`);
    const members = Object.entries(shape.members ?? {});
    const seen = new Set<string>();
    for (const child of element.children) {
      const member = members.find(([name, ref]) => (ref.locationName ?? name) === child.name);
      if (!member) {
        problems.push(`${at}/${child.name}: not a member of ${shapeName} (members: ${members.map(([name]) => name).join(', ')})`);
        continue;
      }
      if (seen.has(child.name)) problems.push(`${at}/${child.name}: repeated`);
      seen.add(child.name);
      checkValue(model, member[1].shape, child, `${at}/${child.name}`, problems);
    }
    for (const required of shape.required ?? []) {
      const ref = shape.members?.[required];
      if (!seen.has(ref?.locationName ?? required)) problems.push(`${at}: required member ${required} of ${shapeName} is missing`);
    }
    return;
  }
  if (shape.type === 'list') {
    const item = shape.member?.locationName ?? 'member';
    if (shape.flattened) return void problems.push(`${at}: flattened lists are not expected in IAM or STS`);
    if (element.text !== '') problems.push(`${at}: a list holds text`);
    element.children.forEach((child, index) => {
      if (child.name !== item) problems.push(`${at}/${child.name}: a ${shapeName} item must be <${item}>`);
      else checkValue(model, shape.member!.shape, child, `${at}/${item}[${index + 1}]`, problems);
    });
    return;
  }
  if (shape.type === 'map') {
    element.children.forEach((entry, index) => {
      onlyChildren(entry, ['key', 'value'], `${at}/entry[${index + 1}]`, problems);
      const [key, value] = entry.children;
      if (entry.name !== 'entry') problems.push(`${at}/${entry.name}: a map item must be <entry>`);
      if (key && shape.key) checkValue(model, shape.key.shape, key, `${at}/entry[${index + 1}]/key`, problems);
      if (value && shape.value) checkValue(model, shape.value.shape, value, `${at}/entry[${index + 1}]/value`, problems);
    });
    return;
  }
  if (element.children.length > 0) return void problems.push(`${at}: a ${shape.type} holds elements`);
  checkScalar(shape, element, at, problems);
}

function checkRequestId(element: XmlElement | undefined, at: string, problems: string[]): void {
  if (!element || element.text === '') problems.push(`${at}: RequestId missing or empty`);
}

function checkSuccess(model: ServiceModel, name: string, root: XmlElement, problems: string[]): void {
  const op = operation(model, name);
  if (root.name !== `${name}Response`) problems.push(`root: <${root.name}>, expected <${name}Response>`);
  const wrapper = op.output ? (op.output.resultWrapper ?? `${name}Result`) : undefined;
  onlyChildren(root, wrapper ? [wrapper, 'ResponseMetadata'] : ['ResponseMetadata'], root.name, problems);
  const result = root.children.find((child) => child.name === wrapper);
  if (op.output && result) checkValue(model, op.output.shape, result, `${root.name}/${wrapper}`, problems);
  const metadata = root.children.find((child) => child.name === 'ResponseMetadata');
  if (metadata) {
    onlyChildren(metadata, ['RequestId'], `${root.name}/ResponseMetadata`, problems);
    checkRequestId(metadata.children[0], `${root.name}/ResponseMetadata`, problems);
  }
}

function checkError(model: ServiceModel, name: string, status: number, root: XmlElement, problems: string[]): void {
  if (root.name !== 'ErrorResponse') return void problems.push(`root: <${root.name}>, expected <ErrorResponse> for HTTP ${status}`);
  onlyChildren(root, ['Error', 'RequestId'], 'ErrorResponse', problems);
  checkRequestId(root.children[1], 'ErrorResponse', problems);
  const error = root.children[0];
  if (!error) return;
  const fields = childNames(error);
  if (fields.join() !== 'Type,Code,Message' && fields.join() !== 'Type,Code') {
    problems.push(`ErrorResponse/Error: expected children [Type, Code, Message], got [${fields.join(', ')}]`);
  }
  const field = (field: string): string | undefined => error.children.find((child) => child.name === field)?.text;
  const code = field('Code') ?? '';
  const type = field('Type');
  if (code === 'InvalidAction') {
    if (root.attributes['xmlns'] !== AWS_FAULT_NAMESPACE) problems.push(`ErrorResponse: InvalidAction is answered in ${AWS_FAULT_NAMESPACE}`);
  }
  const allowed = allowedErrors(model, name).find((candidate) => candidate.code === code);
  if (!allowed) return void problems.push(`Code ${code}: not declared for ${name} in the ${model.service} model, nor a common error`);
  if (status !== allowed.status) problems.push(`Code ${code}: HTTP ${status}, the model (${allowed.source}) says ${allowed.status}`);
  if (type !== allowed.type) problems.push(`Code ${code}: Type ${type}, the model (${allowed.source}) says ${allowed.type}`);
}

/** Every way `body` (answered with HTTP `status` to `operation`) departs from the model; [] when none. */
export function checkAnswer(model: ServiceModel, name: string, status: number, body: string): string[] {
  const problems: string[] = [];
  let root: XmlElement;
  try {
    root = parseXml(body);
  } catch (error) {
    return [(error as Error).message];
  }
  const namespace = root.attributes['xmlns'];
  const isFault = root.name === 'ErrorResponse' && namespace === AWS_FAULT_NAMESPACE;
  if (namespace !== model.metadata.xmlNamespace && !isFault) {
    problems.push(`<${root.name}> xmlns="${namespace ?? ''}", expected "${model.metadata.xmlNamespace}"`);
  }
  const extra = Object.keys(root.attributes).filter((attribute) => attribute !== 'xmlns');
  if (extra.length > 0) problems.push(`<${root.name}> has unexpected attributes ${extra.join(', ')}`);
  if (status === 200) checkSuccess(model, name, root, problems);
  else checkError(model, name, status, root, problems);
  return problems;
}
