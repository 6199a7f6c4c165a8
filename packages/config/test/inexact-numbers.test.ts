import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SortieError } from '@sortie/core';
import { describe, expect, it } from 'vitest';
import { formatInputError } from '../src/format-input-error.js';
import { isExactLiteral } from '../src/inexact-numbers.js';
import { loadEnvironment } from '../src/load-file.js';
import { parseJsonSource } from '../src/parse-json.js';
import { parseYamlSource } from '../src/parse-yaml.js';

describe('isExactLiteral: whether a number literal reads as the value written', () => {
  it.each([
    ['9007199254740991', true], // 2^53 - 1
    ['9007199254740992', true],
    ['9007199254740993', false],
    ['-9007199254740993', false],
    ['12345678901234567891', false],
    ['12345678901234567000', true], // the shortest form of the double it reads as
    ['1e21', true],
    ['1000000000000000000000', true],
    ['1.50', true],
    ['1.500000000000000000000', true],
    ['0.1', true],
    ['0.30000000000000001', false],
    ['1.0000000000000001', false],
    ['3.141592653589793', true],
    ['3.14159265358979323846', false],
    ['5e-324', true],
    ['1e-400', false], // reads as 0
    ['-0.0', true],
    ['0.000000000000000000000000001', true],
    ['123456789012345', true],
  ])('%s → %s', (literal, exact) => {
    expect(isExactLiteral(literal, Number(literal))).toBe(exact);
  });

  it('leaves a literal that is not decimal (YAML hex, octal) alone', () => {
    expect(isExactLiteral('0x1FFFFFFFFFFFFFFFF', 36893488147419103000)).toBe(true);
  });
});

describe('the parsers report numbers read as another value, with their paths', () => {
  it('JSON', () => {
    const text = '{"a": [1, 9007199254740993], "b": {"c": 1e400, "d": 12345678901234567000, "e": "9007199254740993"}}';
    const outcome = parseJsonSource(text, 'x.json');
    if (!('parsed' in outcome)) throw new Error('expected a parse');
    expect(
      outcome.parsed.inexactNumbers?.map(({ path, written, offset }) => ({ path, written, at: text.slice(offset, offset + 4) })),
    ).toEqual([
      { path: ['a', 1], written: '9007199254740993', at: '9007' },
      { path: ['b', 'c'], written: '1e400', at: '1e40' },
    ]);
  });

  it('JSON without any: no list (the common case costs nothing more)', () => {
    const outcome = parseJsonSource('{"a": 1, "b": 2.5}', 'x.json');
    expect('parsed' in outcome && outcome.parsed.inexactNumbers).toBeUndefined();
  });

  it('YAML, where it is written (an anchor once, not at its aliases; a merged key in its anchor)', () => {
    const text = [
      'base: &b { id: 9007199254740993 }',
      'copy: *b',
      'merged: { <<: *b, x: 0.30000000000000001 }',
      'hex: 0x1F',
      'ok: 1.50',
    ].join('\n');
    const outcome = parseYamlSource(text, 'x.yaml');
    if (!('parsed' in outcome)) throw new Error('expected a parse');
    expect(outcome.parsed.inexactNumbers?.map(({ path, written }) => ({ path, written }))).toEqual([
      { path: ['base', 'id'], written: '9007199254740993' },
      { path: ['merged', 'x'], written: '0.30000000000000001' },
    ]);
  });
});

describe('the error for such a number', () => {
  it('names the place, never the digits (the value may be a secret: a numeric key)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sortie-inexact-'));
    try {
      const file = join(dir, 'env.json');
      writeFileSync(file, JSON.stringify({ secrets: ['PIN'], variables: { PIN: 0 } }).replace('"PIN":0', '"PIN":98765432109876543210123'));
      const error = await loadEnvironment(file).then(
        () => undefined,
        (caught: unknown) => caught as SortieError,
      );
      const text = formatInputError(error as SortieError);
      expect(text).toContain('$.variables.PIN');
      expect(text).toContain('more digits than a number keeps exactly');
      for (const part of ['98765432109876543210123', '9876543210987654', String(Number('98765432109876543210123'))])
        expect(text).not.toContain(part);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
