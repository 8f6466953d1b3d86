// A small, strict XML reader for the contract checker: elements (with attributes), text and the
// five predefined entities plus character references. It shares nothing with the stand-in's
// writer (xml.ts), so a bug there cannot be mirrored here; anything it does not understand
// (mismatched or unclosed tags, stray text after the root, CDATA, DTDs) is an error.

export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  /** The element's own text (entities decoded), trimmed; '' when it has only children. */
  text: string;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decode(raw: string): string {
  return raw.replace(/&(#x[0-9a-fA-F]+|#\d+|[a-z]+);/g, (whole, ref: string) => {
    if (ref.startsWith('#x')) return String.fromCodePoint(parseInt(ref.slice(2), 16));
    if (ref.startsWith('#')) return String.fromCodePoint(parseInt(ref.slice(1), 10));
    const entity = ENTITIES[ref];
    if (entity === undefined) throw new Error(`unknown entity ${whole}`);
    return entity;
  });
}

const NAME = '[A-Za-z_][\\w.:-]*';
const OPEN = new RegExp(`^<(${NAME})((?:\\s+${NAME}\\s*=\\s*(?:"[^"<]*"|'[^'<]*'))*)\\s*(/?)>`);
const ATTRIBUTE = new RegExp(`(${NAME})\\s*=\\s*(?:"([^"<]*)"|'([^'<]*)')`, 'g');
const CLOSE = new RegExp(`^</(${NAME})\\s*>`);

/** Parse one document; throws with the offset of the first thing that is not well-formed. */
export function parseXml(source: string): XmlElement {
  let at = 0;
  const fail = (why: string): never => {
    throw new Error(`XML not well-formed at offset ${at}: ${why}`);
  };
  const skipSpace = (): void => {
    while (at < source.length && /\s/.test(source[at]!)) at++;
  };

  skipSpace();
  if (source.startsWith('<?xml', at)) {
    const end = source.indexOf('?>', at);
    if (end < 0) fail('unterminated XML declaration');
    at = end + 2;
    skipSpace();
  }

  const element = (): XmlElement => {
    const open = OPEN.exec(source.slice(at));
    if (!open) return fail('expected an element');
    at += open[0].length;
    const node: XmlElement = { name: open[1]!, attributes: {}, children: [], text: '' };
    for (const match of open[2]!.matchAll(ATTRIBUTE)) {
      if (Object.hasOwn(node.attributes, match[1]!)) fail(`attribute ${match[1]} repeated`);
      node.attributes[match[1]!] = decode(match[2] ?? match[3] ?? '');
    }
    if (open[3] === '/') return node;
    let text = '';
    for (;;) {
      if (at >= source.length) fail(`<${node.name}> is never closed`);
      if (source.startsWith('</', at)) {
        const close = CLOSE.exec(source.slice(at));
        if (!close) fail('malformed end tag');
        if (close![1] !== node.name) fail(`</${close![1]}> closes <${node.name}>`);
        at += close![0].length;
        node.text = decode(text).trim();
        if (node.children.length > 0 && node.text !== '') fail(`<${node.name}> mixes text and elements`);
        return node;
      }
      if (source.startsWith('<!', at) || source.startsWith('<?', at)) fail('comments, CDATA and processing instructions are not expected');
      if (source[at] === '<') {
        node.children.push(element());
      } else {
        const next = source.indexOf('<', at);
        text += source.slice(at, next < 0 ? source.length : next);
        at = next < 0 ? source.length : next;
      }
    }
  };

  const root = element();
  skipSpace();
  if (at !== source.length) fail('content after the root element');
  return root;
}
