// Renders the README's inputs and outputs tables from action.yml, so the two never disagree.
// `npm run docs` rewrites README.md; the docs test fails when README.md is out of date.
import { readFileSync, writeFileSync } from 'node:fs';
import { parse } from 'yaml';
const BEGIN = '<!-- BEGIN GENERATED: action.yml -->';
const END = '<!-- END GENERATED: action.yml -->';
const cell = (text) => text.replace(/\s+/g, ' ').trim().replace(/\|/g, '\\|');
export function renderTables(actionYml) {
    const action = parse(actionYml);
    const inputs = Object.entries(action.inputs).map(([name, input]) => `| \`${name}\` | ${input.required ? 'yes' : 'no'} | ${input.default ? `\`${input.default}\`` : ''} | ${cell(input.description)} |`);
    const outputs = Object.entries(action.outputs).map(([name, output]) => `| \`${name}\` | ${cell(output.description)} |`);
    return [
        '### Inputs',
        '',
        '| input | required | default | description |',
        '| --- | --- | --- | --- |',
        ...inputs,
        '',
        '### Outputs',
        '',
        '| output | description |',
        '| --- | --- |',
        ...outputs,
    ].join('\n');
}
export function withTables(readme, actionYml) {
    const start = readme.indexOf(BEGIN);
    const end = readme.indexOf(END);
    if (start < 0 || end < start)
        throw new Error(`README.md needs the markers ${BEGIN} and ${END}`);
    return `${readme.slice(0, start + BEGIN.length)}\n${renderTables(actionYml)}\n${readme.slice(end)}`;
}
if (import.meta.url === `file://${process.argv[1]}`) {
    const readme = readFileSync('README.md', 'utf8');
    writeFileSync('README.md', withTables(readme, readFileSync('action.yml', 'utf8')));
}
