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

  it('puts the caret under the value on a line with wide characters before it (a CJK step name pushed the value 2 columns a character)', () => {
    const at = (text: string, column: number) => formatSourceExcerpt({ file: 's.yaml', line: 3, column, text }, plain, same);
    const line = '  - { name: 获取用户列表, post: [ { assert: { status: { equals: 201 } } } ] }';
    const caret = at(line, line.indexOf('201') + 1).at(-1);
    // 获取用户列表 is 6 characters and 12 columns: the caret goes 6 columns further than the character count.
    expect(caret).toBe(`  | ${' '.repeat(line.indexOf('201') + 6)}^^^`);
    const value = '    equals: "名前"';
    expect(at(value, value.indexOf('"') + 1).at(-1)).toBe(`  | ${' '.repeat(value.indexOf('"'))}^^^^^^`);
    // A control character is printed as \x1b (4 columns): the caret follows the text as printed.
    const escaped = (text: string) => text.replace(/\u001b/g, '\\x1b');
    const control = '  - { name: "a\u001bb", x: 1 }';
    expect(formatSourceExcerpt({ file: 's.yaml', line: 3, column: control.indexOf('1 }') + 1, text: control }, plain, escaped).at(-1)).toBe(
      `  | ${' '.repeat(control.indexOf('1 }') + 3)}^`,
    );
  });

  it('shows a long line around the column, cut with …, the caret under the value as far as it is shown', () => {
    const at = (text: string, column: number) => formatSourceExcerpt({ file: 's.json', line: 3, column, text }, plain, same);
    // A script inline in a JSON string: the value is the whole rest of a 2,000-character line.
    const script = `  "script": "${'pm.test(1);'.repeat(180)}"`;
    const column = script.indexOf('"pm') + 1;
    const [, , shown, caret] = at(script, column);
    expect(shown).toBe(`3 | ${script.slice(0, 160)}…`);
    expect(caret).toBe(`  | ${' '.repeat(column - 1)}${'^'.repeat(160 - (column - 1))}`);
    // A value far into a minified line: 40 characters of lead, the value, the rest cut.
    const minified = `{"steps":[${'{"a":1},'.repeat(100)}{"assert":{"status":{"equals":"oops"}}}${',{"b":2}'.repeat(50)}]}`;
    const oops = minified.indexOf('"oops"');
    const [, , shownMin, caretMin] = at(minified, oops + 1);
    expect(shownMin).toBe(`3 | …${minified.slice(oops - 40, oops + 120)}…`);
    expect(caretMin).toBe(`  | ${' '.repeat(41)}^^^^^^`);
    // A value at the end of a long line: the window ends with the line.
    const tail = `${'x'.repeat(300)} 42`;
    const [, , shownTail, caretTail] = at(tail, tail.length - 1);
    expect(shownTail).toBe(`3 | …${tail.slice(-160)}`);
    expect(caretTail).toBe(`  | ${' '.repeat(159)}^^`);
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

  it('says "first 1 line" of a body cut by the engine on its first line', () => {
    const cut = '[{"i":0},{"i":1},{"i":2}';
    expect(formatBodyExcerpt({ text: cut, size: 11_888_891, truncated: true }, plain, same)).toEqual([
      'response body (11888891 bytes, first 1 line):',
      `| ${cut}`,
      '| …',
    ]);
  });

  it('shows deeply nested JSON as it came, as the HTML report does (pretty-printed, 8 KB nested 4,000 deep was 32 MB of 8,001 lines)', () => {
    const deep = `${'['.repeat(4000)}1${']'.repeat(4000)}`;
    expect(formatBodyExcerpt({ text: deep, size: deep.length, truncated: false }, plain, same)).toEqual([
      `response body (${deep.length} bytes):`,
      `| ${'['.repeat(120)}…`,
    ]);
  });
});
