// Shows a run the way a person sees it on GitHub: the log with masked values hidden and workflow
// commands rendered, and the job summary's HTML as plain text.
import { redact } from '../src/text.ts';

/** The runner's view of a step's stdout: mask commands applied and hidden, annotations labelled. */
export function renderLog(stdout: string): string {
  const masks = maskedValues(stdout);
  const shown: string[] = [];
  for (const line of stdout.split('\n')) {
    // Mask commands are consumed by the runner; debug lines show only with debug logging on.
    if (line.startsWith('::add-mask::') || line.startsWith('::debug::')) continue;
    const [, kind = '', message = ''] = /^::(error|warning|notice)[^:]*::(.*)$/.exec(line) ?? [];
    const text = kind ? `${kind[0]?.toUpperCase()}${kind.slice(1)}: ${decodeCommand(message)}` : line;
    shown.push(redact(text, masks));
  }
  return shown.join('\n').trimEnd();
}

/** The values a step registered with `::add-mask::`. */
export function maskedValues(stdout: string): string[] {
  return stdout
    .split('\n')
    .filter((line) => line.startsWith('::add-mask::'))
    .map((line) => line.slice('::add-mask::'.length));
}

/** A workflow command's message, with the runner's escapes undone. */
export function decodeCommand(message: string): string {
  return message.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%');
}

/** Plain text of the job summary: headings, quotes, two-column facts and tables, lists. */
export function renderSummary(html: string): string {
  const text = (fragment: string): string =>
    fragment
      .replace(/<code>(.*?)<\/code>/g, '$1')
      .replace(/<a href="([^"]*)">(.*?)<\/a>/g, '$2 ($1)')
      .replace(/<[^>]+>/g, '')
      .replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code)))
      .replace(/&amp;/g, '&')
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&quot;/g, '"');
  const lines: string[] = [];
  for (const block of html.split('\n').filter((line) => line.trim() !== '')) {
    if (block.startsWith('<h')) lines.push(`## ${text(block)}`, '');
    else if (block.startsWith('<blockquote')) lines.push(`> ${text(block)}`, '');
    else if (block.startsWith('<table')) lines.push(...renderTable(block, text), '');
    else if (block.startsWith('<ul')) lines.push(...[...block.matchAll(/<li>(.*?)<\/li>/g)].map(([, item]) => `- ${text(item ?? '')}`), '');
    else lines.push(text(block), '');
  }
  return lines.join('\n').trimEnd();
}

function renderTable(html: string, text: (fragment: string) => string): string[] {
  const rows = [...html.matchAll(/<tr>(.*?)<\/tr>/g)].map(([, row]) => [...(row ?? '').matchAll(/<t[hd]>(.*?)<\/t[hd]>/g)].map(([, cell]) => text(cell ?? '')));
  const widths = rows.reduce<number[]>((w, row) => row.map((cell, i) => Math.max(w[i] ?? 0, cell.length)), []);
  return rows.map((row) =>
    row
      .map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd(),
  );
}
