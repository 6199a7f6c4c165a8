import { describe, expect, it } from 'vitest';
import { createPaint } from '../src/cli/ansi.js';
import { formatBodyExcerpt, formatSourceExcerpt } from '../src/cli/format-failure-detail.js';

const plain = createPaint(false);
const same = (text: string) => text;

describe('failure detail of the CLI reporter', () => {
  it('points a caret under the whole value at the column: a string, a number, an object', () => {
    const at = (text: string, column: number) => formatSourceExcerpt({ file: 's.json', line: 7, column, text }, plain, same);
    const line = '  { "assert": { "status": { "equals": 200 } } },';
    const column = line.indexOf('200') + 1;
    expect(at(line, column)).toEqual([`--> s.json:7:${column}`, '  |', `7 | ${line}`, `  | ${' '.repeat(column - 1)}^^^`]);
    const url = '    url: "{{base}}/a\\"b" }';
    expect(at(url, url.indexOf('"') + 1).at(-1)).toBe(`  | ${' '.repeat(url.indexOf('"'))}${'^'.repeat('"{{base}}/a\\"b"'.length)}`);
    const object = '  - assert: { body: { equals: { a: 1 } } }';
    const brace = object.indexOf('{ a');
    expect(at(object, brace + 1).at(-1)).toBe(`  | ${' '.repeat(brace)}^`);
    expect(formatSourceExcerpt({ file: 's.json' }, plain, same)).toEqual(['--> s.json']);
  });

  it('shows the first lines of a body, pretty-printed when JSON, each cut to 120 characters', () => {
    const json = JSON.stringify({ items: Array.from({ length: 20 }, (_, i) => i), long: 'x'.repeat(200) });
    const lines = formatBodyExcerpt({ text: json, size: json.length, truncated: false }, plain, same);
    expect(lines[0]).toBe(`response body (${json.length} bytes, first 10 lines):`);
    expect(lines.slice(1, 4)).toEqual(['| {', '|   "items": [', '|     0,']);
    expect(lines).toHaveLength(12);
    expect(lines.at(-1)).toBe('| …');
    const long = formatBodyExcerpt({ text: 'y'.repeat(300), size: 300, truncated: false }, plain, same);
    expect(long[1]).toBe(`| ${'y'.repeat(120)}…`);
    expect(formatBodyExcerpt({ text: 'AAEC', encoding: 'base64', size: 3, truncated: false }, plain, same)).toEqual([
      'response body: 3 bytes of binary data',
    ]);
    expect(formatBodyExcerpt({ text: '  ', size: 2, truncated: false }, plain, same)).toEqual([]);
  });
});
