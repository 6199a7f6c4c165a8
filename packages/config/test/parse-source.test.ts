import { ErrorCode, isSortieError, type SortieError } from '@sortie/core';
import { describe, expect, it } from 'vitest';
import { parseSourceText } from '../src/index.js';

/** Runs parseSourceText expecting a syntax error, and returns its single detail. */
function parseFailure(text: string, file: string): SortieError {
  try {
    parseSourceText(text, file);
  } catch (error) {
    if (!isSortieError(error)) throw error;
    expect(error.code).toBe(ErrorCode.INVALID_INPUT);
    expect(error.details).toHaveLength(1);
    return error.details[0]!;
  }
  throw new Error('expected a syntax error');
}

describe('parseSourceText with JSON', () => {
  const text = '{\n  "name": "x",\n  "steps": [\n    { "request": { "url": "/a" } }\n  ],\n  "a b": { "c": null }\n}\n';

  it('returns the data', () => {
    expect(parseSourceText(text, 'f.json').data).toEqual({ name: 'x', steps: [{ request: { url: '/a' } }], 'a b': { c: null } });
  });

  it('locates the value at a path with 1-based line and column', () => {
    const parsed = parseSourceText(text, 'f.json');
    expect(parsed.locate(['steps', 0, 'request', 'url'])).toEqual({ file: 'f.json', line: 4, column: 27, path: '$.steps[0].request.url' });
    expect(parsed.locate(['a b', 'c'])).toEqual({ file: 'f.json', line: 6, column: 17, path: '$["a b"].c' });
    expect(parsed.locate([])).toEqual({ file: 'f.json', line: 1, column: 1, path: '$' });
  });

  it('locates the key of a property when asked', () => {
    const parsed = parseSourceText(text, 'f.json');
    expect(parsed.locate(['steps', 0, 'request', 'url'], 'key')).toMatchObject({ line: 4, column: 20 });
  });

  it('falls back to the nearest existing ancestor for a path not in the file', () => {
    const parsed = parseSourceText(text, 'f.json');
    expect(parsed.locate(['steps', 0, 'request', 'headers', 'X'])).toEqual({
      file: 'f.json',
      line: 4,
      column: 18,
      path: '$.steps[0].request.headers.X',
    });
  });

  it('ignores a byte order mark', () => {
    const parsed = parseSourceText('\uFEFF{"a": 1}', 'f.json');
    expect(parsed.data).toEqual({ a: 1 });
    expect(parsed.locate(['a'])).toMatchObject({ line: 1, column: 7 });
  });

  it('refuses comments, at the comment', () => {
    expect(parseFailure('{\n  // no\n  "a": 1\n}', 'f.json')).toMatchObject({
      message: 'comments are not allowed in JSON',
      location: { file: 'f.json', line: 2, column: 3 },
    });
  });

  it('refuses trailing commas, at the comma', () => {
    expect(parseFailure('{\n  "a": [1, 2, ],\n  "b": 1\n}', 'f.json')).toMatchObject({
      message: 'trailing commas are not allowed in JSON',
      location: { line: 2, column: 13 },
    });
    expect(parseFailure('{"a": 1,\n}', 'f.json')).toMatchObject({
      message: 'trailing commas are not allowed in JSON',
      location: { line: 1, column: 8 },
    });
  });

  it('reports a missing comma, an unquoted key and single quotes', () => {
    expect(parseFailure('{"a": 1\n "b": 2}', 'f.json')).toMatchObject({
      message: 'expected "," between two values',
      location: { line: 2, column: 2 },
    });
    expect(parseFailure('{a: 1}', 'f.json')).toMatchObject({
      message: 'expected a property name in double quotes, got a',
      location: { line: 1, column: 2 },
    });
    expect(parseFailure('{"a": \'x\'}', 'f.json').message).toBe('strings must use double quotes in JSON');
    expect(parseFailure('{"a": True}', 'f.json')).toMatchObject({ message: 'unexpected True', location: { line: 1, column: 7 } });
  });

  it('reports an empty file and a truncated document', () => {
    expect(parseFailure('  \n', 'f.json')).toMatchObject({
      message: 'the file is empty, expected a JSON value',
      location: { line: 1, column: 1 },
    });
    expect(parseFailure('{"a": [1,', 'f.json').location).toMatchObject({ line: 1, column: 10 });
  });

  it('reports a duplicate property at its second occurrence', () => {
    const detail = parseFailure('{\n  "a": 1,\n  "b": { "c": 1, "c": 2 }\n}', 'f.json');
    expect(detail).toMatchObject({ message: 'duplicate property "c"', hint: 'first defined at line 3', location: { line: 3, column: 18 } });
  });

  it('gives the same data on the fast path as the positioned one: objects without a prototype, "__proto__" a plain key', () => {
    const parsed = parseSourceText('{"__proto__": {"polluted": true}, "a": [{"b": 1}], "constructor": 2}', 'f.json');
    const data = parsed.data as Record<string, unknown>;
    expect(Object.getPrototypeOf(data)).toBeNull();
    expect(Object.getPrototypeOf((data.a as object[])[0])).toBeNull();
    expect(Object.keys(data)).toEqual(['__proto__', 'a', 'constructor']);
    expect(Object.getOwnPropertyDescriptor(data, '__proto__')?.value).toEqual({ polluted: true });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(parsed.locate(['a', 0, 'b'])).toEqual({ file: 'f.json', line: 1, column: 47, path: '$.a[0].b' });
  });

  it('finds a duplicate property deep inside a document that JSON.parse accepts', () => {
    expect(parseFailure('{"steps": [{"a": 1}, {"request": {"url": "/a", "url": "/b"}}]}', 'f.json')).toMatchObject({
      message: 'duplicate property "url"',
      location: { file: 'f.json', line: 1, column: 48 },
    });
  });

  it('places a syntax error right after CRLF line ends, a byte order mark, tabs and characters beyond one UTF-16 unit', () => {
    // Columns count UTF-16 code units (an emoji is two), as editors and the language server protocol do.
    const text = '\uFEFF{\r\n\t"name": "日本😀",\r\n\t"steps": [{"name": "é😀" "x": 1}]}\r\n';
    expect(parseFailure(text, 'f.json')).toMatchObject({ message: 'expected "," between two values', location: { line: 3, column: 27 } });
    const lone = '{"name": "s",\r"steps": [\r{"name": "a" "x": 1}]}';
    expect(parseFailure(lone, 'f.json').location).toMatchObject({ line: 3, column: 14 });
  });

  it('points at the bad character inside a string, not at its opening quote', () => {
    expect(parseFailure('{\r\n  "name": "é😀\\x"\r\n}', 'f.json')).toMatchObject({
      message: 'invalid escape sequence in a string',
      location: { line: 2, column: 15 },
    });
    expect(parseFailure('{"a": "ok \\u12G4"}', 'f.json')).toMatchObject({
      message: 'invalid \\u escape in a string',
      location: { line: 1, column: 11 },
    });
    expect(parseFailure('{\n  "name": "a\tb"\n}', 'f.json')).toMatchObject({
      message: 'control characters in a string must be escaped',
      location: { line: 2, column: 13 },
    });
  });

  it('says a number has a leading zero, at the zero', () => {
    for (const [text, column] of [
      ['{"a": 01}', 7],
      ['{"a": [-007]}', 9],
    ] as const) {
      expect(parseFailure(text, 'f.json')).toMatchObject({
        message: 'a number cannot start with 0 followed by a digit in JSON (write it as a string to keep the zeros)',
        location: { line: 1, column },
      });
    }
    expect(parseFailure('{"a": [0 1]}', 'f.json').message).toBe('expected "," between two values');
  });

  it('titles the error after the format', () => {
    expect(() => parseSourceText('{', 'f.json')).toThrow(
      expect.objectContaining({ title: 'Invalid JSON', message: 'f.json is not valid JSON' }),
    );
  });
});

describe('parseSourceText with YAML', () => {
  const text = 'name: x\nsteps:\n  - request:\n      url: /a\n"a b":\n  c: ~\n';

  it('returns the data for .yaml and .yml', () => {
    const expected = { name: 'x', steps: [{ request: { url: '/a' } }], 'a b': { c: null } };
    expect(parseSourceText(text, 'f.yaml').data).toEqual(expected);
    expect(parseSourceText(text, 'F.YML').data).toEqual(expected);
  });

  it('locates values and keys', () => {
    const parsed = parseSourceText(text, 'f.yaml');
    expect(parsed.locate(['steps', 0, 'request', 'url'])).toEqual({ file: 'f.yaml', line: 4, column: 12, path: '$.steps[0].request.url' });
    expect(parsed.locate(['steps', 0, 'request', 'url'], 'key')).toMatchObject({ line: 4, column: 7 });
    expect(parsed.locate(['a b', 'c'])).toMatchObject({ line: 6, column: 6, path: '$["a b"].c' });
    expect(parsed.locate(['steps', 0, 'request', 'nothing'])).toMatchObject({ line: 4, column: 7 });
  });

  it('keeps YAML 1.2 core schema scalars (yes stays a string)', () => {
    expect(parseSourceText('a: yes\nb: 010\nc: null\n', 'f.yaml').data).toEqual({ a: 'yes', b: 10, c: null });
  });

  it('refuses values JSON cannot hold, at the value (they became {}, null or "[object Object]" keys, and yaml printed a warning)', () => {
    const cases: Array<[string, string, number]> = [
      ['a: .nan\n', 'NaN (.nan) is not a JSON value: write a number or a string', 4],
      ['a:\n  b: [1, -.inf]\n', '-Infinity (-.inf) is not a JSON value: write a number or a string', 10],
      ['a: !!set { x, y }\n', 'a set (!!set) is not a JSON value: write a list', 10],
      ['a: !!omap [ x: 1 ]\n', 'an ordered map (!!omap) is not a JSON value: write a mapping', 11],
      ['a: !!binary aGVsbG8=\n', 'binary data (!!binary) is not a JSON value: write a string', 13],
      ['a: !!timestamp 2001-12-14\n', 'a timestamp (!!timestamp) is not a JSON value: write a string', 16],
      ['a:\n  ? [1, 2]\n  : x\n', 'a key must be a scalar (a string, number, boolean or null), not a sequence', 5],
      ['? { k: 1 }\n: x\n', 'a key must be a scalar (a string, number, boolean or null), not a mapping', 3],
    ];
    for (const [text, message, column] of cases) {
      const error = parseFailure(text, 'f.yaml');
      expect({ text, message: error.message, column: error.location?.column }).toEqual({ text, message, column });
    }
    expect(parseFailure('a:\n  b: [1, -.inf]\n', 'f.yaml').location).toEqual({ file: 'f.yaml', line: 2, column: 10 });
  });

  it('keeps YAML numbers, strings that look like tags, and scalar keys', () => {
    expect(parseSourceText('a: 1.5e3\nb: "!!set"\n1: one\ntrue: yes\n', 'f.yaml').data).toEqual({
      a: 1500,
      b: '!!set',
      1: 'one',
      true: 'yes',
    });
  });

  it('expands aliases and locates through them', () => {
    const parsed = parseSourceText('base: &b\n  url: /x\nother: *b\n', 'f.yaml');
    expect(parsed.data).toEqual({ base: { url: '/x' }, other: { url: '/x' } });
    expect(parsed.locate(['other', 'url'])).toMatchObject({ line: 2, column: 8 });
  });

  it('reports syntax errors with their position', () => {
    expect(parseFailure('a:\n  b: 1\n c: 2\n', 'f.yaml')).toMatchObject({
      message: 'all mapping items must start at the same column',
      location: { line: 3, column: 1 },
    });
    expect(parseFailure('a: 1\na: 2\n', 'f.yaml')).toMatchObject({
      message: 'duplicate property "a"',
      hint: 'first defined at line 1',
      location: { line: 2 },
    });
    expect(parseFailure('a: 1\n---\nb: 2\n', 'f.yaml').message).toBe('expected one YAML document, found a second one after "---"');
    expect(parseFailure('a: [1, 2\n', 'f.yaml').location).toMatchObject({ line: 2, column: 1 });
  });

  it('places errors right after CRLF line ends, a byte order mark and characters beyond one UTF-16 unit', () => {
    const text = '\uFEFFname: "日本😀"\r\nsteps:\r\n  - name: "é😀"\r\n    request: {url: "😀", meth: 1, x: ]\r\n';
    expect(parseFailure(text, 'f.yaml').location).toMatchObject({ line: 4, column: 38 });
    const parsed = parseSourceText('\uFEFFname: "日本😀"\r\nsteps: [{name: "é😀", request: {url: 5}}]\r\n', 'f.yaml');
    expect(parsed.locate(['steps', 0, 'request', 'url'])).toMatchObject({ line: 2, column: 38 });
  });

  it('reads a lone CR as a line end (YAML 1.2 §5.4), as it does with LF and CRLF', () => {
    const parsed = parseSourceText('name: s\rsteps:\r  - name: a\r    request: {url: 5}\r', 'f.yaml');
    expect(parsed.data).toEqual({ name: 's', steps: [{ name: 'a', request: { url: 5 } }] });
    expect(parsed.locate(['steps', 0, 'request', 'url'])).toMatchObject({ line: 4, column: 20 });
    expect(parseFailure('a:\r  b: 1\r c: 2\r', 'f.yaml')).toMatchObject({
      message: 'all mapping items must start at the same column',
      location: { line: 3, column: 1 },
    });
  });

  it('merges YAML 1.1 merge keys (<<) as docker-compose and Kubernetes files use them, and locates merged values in the anchor', () => {
    const text = [
      'base: &base', //               1
      '  method: GET', //             2
      '  url: /items', //             3
      '  timeout: 100', //            4
      'more: &more', //               5
      '  retries: 1', //              6
      '  url: /more', //              7
      'one:', //                      8
      '  <<: *base', //               9
      '  url: /one', //               10
      'two:', //                      11
      '  <<: [*more, *base]', //      12
      'flow: {<<: *base, method: PUT}', // 13
      'quoted:', //                   14
      '  "<<": kept', //              15
    ].join('\n');
    const parsed = parseSourceText(text, 'f.yaml');
    expect(parsed.data).toEqual({
      base: { method: 'GET', url: '/items', timeout: 100 },
      more: { retries: 1, url: '/more' },
      // The mapping's own keys win over merged ones; of several sources, the first wins.
      one: { method: 'GET', url: '/one', timeout: 100 },
      two: { retries: 1, url: '/more', method: 'GET', timeout: 100 },
      flow: { method: 'PUT', url: '/items', timeout: 100 },
      // A quoted "<<" is a plain key, as YAML 1.1 says.
      quoted: { '<<': 'kept' },
    });
    // A merged value is where it is written: in the anchor's mapping.
    expect(parsed.locate(['one', 'timeout'])).toMatchObject({ line: 4, column: 12, path: '$.one.timeout' });
    expect(parsed.locate(['one', 'url'])).toMatchObject({ line: 10, column: 8 });
    expect(parsed.locate(['one', 'method'], 'key')).toMatchObject({ line: 2, column: 3 });
    expect(parsed.locate(['two', 'url'])).toMatchObject({ line: 7, column: 8 });
    expect(parsed.locate(['two', 'timeout'])).toMatchObject({ line: 4, column: 12 });
    expect(parsed.locate(['flow', 'method'])).toMatchObject({ line: 13, column: 27 });
    expect(parsed.locate(['flow', 'url'])).toMatchObject({ line: 3, column: 8 });
  });

  it('refuses a merge key whose value is not a mapping, at that value (in a list: at the item)', () => {
    expect(parseFailure('a: &a [1]\nb:\n  <<: *a\n', 'f.yaml')).toMatchObject({
      message: 'a merge key (<<) takes a mapping, an alias of one, or a list of them',
      location: { line: 3, column: 7 },
    });
    expect(parseFailure('a: &a {x: 1}\nb:\n  c: 1\n  <<: [*a, 2]\n', 'f.yaml')).toMatchObject({
      message: 'a merge key (<<) takes a mapping, an alias of one, or a list of them',
      location: { line: 4, column: 12 },
    });
  });

  it('reports an unresolved alias at the alias', () => {
    expect(parseFailure('a: 1\nb: *nope\n', 'f.yaml')).toMatchObject({
      message: 'unresolved alias *nope (the anchor &nope must be defined before it)',
      location: { line: 2, column: 4 },
    });
  });

  it('stops alias bombs', () => {
    const lines = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (const [name, previous] of [
      ['b', 'a'],
      ['c', 'b'],
      ['d', 'c'],
    ] as const)
      lines.push(`${name}: &${name} [${Array(10).fill(`*${previous}`).join(', ')}]`);
    // At the alias that passes the limit (the second *c: 2 uses of c, each 100 expansions), not at 1:1.
    expect(parseFailure(lines.join('\n'), 'f.yaml')).toMatchObject({
      message: 'too many alias expansions (more than 100)',
      location: { line: 4, column: 12 },
    });
  });
});

describe('nesting limit', () => {
  it('refuses JSON nested past the limit at the bracket that goes too deep, and accepts the limit itself', () => {
    expect(parseFailure(`{"a":${'['.repeat(300)}`, 'f.json')).toMatchObject({
      message: 'arrays and objects nested more than 256 levels deep',
      location: { line: 1, column: 261 },
    });
    expect(parseFailure('['.repeat(100_000), 'f.json').message).toBe('arrays and objects nested more than 256 levels deep');
    expect(parseSourceText(`${'['.repeat(256)}${']'.repeat(256)}`, 'f.json').data).toBeDefined();
    // Brackets in strings do not count.
    expect(parseSourceText(JSON.stringify({ s: '['.repeat(1000) }), 'f.json').data).toEqual({ s: '['.repeat(1000) });
  });

  it('refuses YAML nested past the limit, flow or block, and leaves quoted brackets alone', () => {
    expect(parseFailure(`a:\n  b: ${'['.repeat(300)}`, 'f.yaml')).toMatchObject({ location: { line: 2, column: 262 } });
    expect(parseFailure(`a:\n  ${'- '.repeat(300)}x\n`, 'f.yaml')).toMatchObject({ location: { line: 2, column: 515 } });
    expect(parseFailure(`a: ${'{b: '.repeat(100_000)}`, 'f.yaml').message).toBe('arrays and objects nested more than 256 levels deep');
    const quoted = `a: '${'['.repeat(1000)}'\nb: "${'{'.repeat(1000)}"\nc: don't [x]\n`;
    expect(parseSourceText(quoted, 'f.yaml').data).toEqual({ a: '['.repeat(1000), b: '{'.repeat(1000), c: "don't [x]" });
  });

  it('refuses YAML whose nesting only shows once parsed (block mappings)', () => {
    const lines = Array.from({ length: 300 }, (_, i) => `${' '.repeat(i)}k${i}:`);
    expect(parseFailure(`${lines.join('\n')} x\n`, 'f.yaml').message).toBe('arrays and objects nested more than 256 levels deep');
  });
});

describe('parseSourceText with another extension', () => {
  it('refuses the file, naming the supported extensions', () => {
    expect(() => parseSourceText('{}', 'f.txt')).toThrow(
      expect.objectContaining({ code: ErrorCode.INVALID_INPUT, message: 'unsupported file type ".txt", expected .json, .yaml or .yml' }),
    );
  });
});
