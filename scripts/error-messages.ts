// Every error and warning the action can show, read from src/*.ts with TypeScript's parser: the
// messages of `new …Error(…)` and of `core.setFailed/error/warning/notice(…)`. A message is kept as
// its text with each part computed at run time written `…`; a message built by a function of the
// same file (a `switch` of returns, a ternary) counts once per text it can return.
// docs/TROUBLESHOOTING.md must quote each one (test/unit/troubleshooting.test.ts);
// `node scripts/error-messages.ts` prints them.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';

export interface ErrorMessage {
  /** The message with run-time parts as `…`, whitespace collapsed. */
  text: string;
  file: string;
  line: number;
}

/** How much of a message the documentation must quote: enough to find it, short enough to quote. */
export const SIGNATURE_LENGTH = 60;

const REPORTING_CALLS = new Set(['setFailed', 'error', 'warning', 'notice']);
const HOLE = '…';

export function errorMessages(srcDir: string): ErrorMessage[] {
  const messages: ErrorMessage[] = [];
  const names = (readdirSync(srcDir, { recursive: true }) as string[]).filter((file) => file.endsWith('.ts')).sort();
  for (const name of names) {
    const file = join(srcDir, name);
    const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
    const functions = localFunctions(source);
    const visit = (node: ts.Node): void => {
      const texts = messageTexts(node, functions);
      for (const text of texts) {
        if (isMessage(text)) messages.push({ text, file: `src/${name}`, line: source.getLineAndCharacterOfPosition(node.getStart()).line + 1 });
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return dedupe(messages);
}

/** The part of a message the documentation quotes: its start, cut at a word before SIGNATURE_LENGTH characters or at the first `…`'s end. */
export function signature(text: string): string {
  if (text.length <= SIGNATURE_LENGTH) return text;
  const cut = text.slice(0, SIGNATURE_LENGTH);
  return cut.slice(0, Math.max(cut.lastIndexOf(' '), 20)).trimEnd();
}

/** Whitespace collapsed, so that wrapped Markdown still matches. */
export function normalize(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

function messageTexts(node: ts.Node, functions: Map<string, ts.Node>): string[] {
  if (ts.isNewExpression(node) && ts.isIdentifier(node.expression) && node.expression.text.endsWith('Error')) {
    const args = node.arguments ?? [];
    // InputError(input, problem) reads "Input <input> <problem>".
    if (node.expression.text === 'InputError' && args.length >= 2) {
      const input = args[0] && ts.isStringLiteralLike(args[0]) ? args[0].text : HOLE;
      return texts(args[1], functions).map((problem) => `Input ${input} ${problem}`);
    }
    return args[0] ? texts(args[0], functions) : [];
  }
  if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && REPORTING_CALLS.has(node.expression.name.text)) {
    const target = node.expression.expression;
    if (ts.isIdentifier(target) && target.text === 'core' && node.arguments[0]) return texts(node.arguments[0], functions);
  }
  return [];
}

/** The texts an expression can evaluate to, with run-time parts as `…`. */
function texts(node: ts.Expression | undefined, functions: Map<string, ts.Node>, depth = 0): string[] {
  if (!node || depth > 5) return [HOLE];
  if (ts.isParenthesizedExpression(node)) return texts(node.expression, functions, depth);
  if (ts.isStringLiteralLike(node)) return [node.text];
  if (ts.isTemplateExpression(node)) {
    let results = [node.head.text];
    for (const span of node.templateSpans) {
      const parts = texts(span.expression, functions, depth + 1);
      results = results.flatMap((start) => parts.map((part) => `${start}${part}${span.literal.text}`));
    }
    return results;
  }
  if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.PlusToken) {
    const left = texts(node.left, functions, depth + 1);
    const right = texts(node.right, functions, depth + 1);
    return left.flatMap((l) => right.map((r) => l + r));
  }
  if (ts.isConditionalExpression(node)) return [...texts(node.whenTrue, functions, depth + 1), ...texts(node.whenFalse, functions, depth + 1)];
  // A local `const hint = cond ? '…' : '…'` in the same file: its texts.
  if (ts.isIdentifier(node)) {
    const initializer = functions.get(`const ${node.text}`);
    return initializer && ts.isVariableDeclaration(initializer) ? texts(initializer.initializer, functions, depth + 1) : [HOLE];
  }
  if (ts.isCallExpression(node) && ts.isIdentifier(node.expression)) {
    const fn = functions.get(node.expression.text);
    if (fn) return returnedExpressions(fn).flatMap((expression) => texts(expression, functions, depth + 1));
  }
  return [HOLE];
}

function returnedExpressions(fn: ts.Node): ts.Expression[] {
  if (!ts.isFunctionLike(fn) || !('body' in fn)) return [];
  if (fn.body && !ts.isBlock(fn.body)) return [fn.body];
  const found: ts.Expression[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isReturnStatement(node) && node.expression) found.push(node.expression);
    // Returns of nested functions belong to them.
    if (!ts.isFunctionLike(node)) ts.forEachChild(node, visit);
  };
  if (fn.body) ts.forEachChild(fn.body, visit);
  return found;
}

/** The file's top-level functions by name, and its `const` declarations with an initializer as `const <name>` (first one wins). */
function localFunctions(source: ts.SourceFile): Map<string, ts.Node> {
  const declarations = new Map<string, ts.Node>();
  for (const statement of source.statements) {
    if (ts.isFunctionDeclaration(statement) && statement.name) declarations.set(statement.name.text, statement);
  }
  const visit = (node: ts.Node): void => {
    if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.initializer && !declarations.has(`const ${node.name.text}`)) {
      declarations.set(`const ${node.name.text}`, node);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return declarations;
}

/** Something a person reads: not a bare `…`, nor a prefix around one (the action's name before the real message). */
function isMessage(text: string): boolean {
  return text.replace(/…/g, '').replace(/[^A-Za-z]/g, '').length >= 15 && !/^deactivate-iam-mfa: …$/.test(text);
}

function dedupe(messages: ErrorMessage[]): ErrorMessage[] {
  const seen = new Set<string>();
  return messages
    .map((message) => ({ ...message, text: normalize(message.text.replace(/(?:…\s*)+…/g, HOLE)) }))
    .filter((message) => !seen.has(message.text) && seen.add(message.text));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const message of errorMessages(join(import.meta.dirname, '../src'))) console.log(`${message.file}:${message.line}\t${message.text}`);
}
