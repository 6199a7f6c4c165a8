import { Redactor } from '@sortie/core';
import { describe, expect, it } from 'vitest';
import { stringifyIndented, stringifyRedacted } from '../src/json/redact-json.js';

/** The plain way: pretty-print, then indent every line. */
function indentLines(value: unknown, indent: number): string {
  const json = JSON.stringify(value, null, 2) ?? 'null';
  const pad = ' '.repeat(indent);
  return indent === 0 ? json : pad + json.replaceAll('\n', `\n${pad}`);
}

const VALUES: unknown[] = [
  { id: '3', name: 'get user', assertions: [{ passed: true, message: 'line\nbreak' }], response: { headers: [['a', 'b']], body: {} } },
  { empty: [], nested: { deeper: { list: [1, [2, [3]]] } } },
  [],
  {},
  [[]],
  'text with "quotes" and \\ and \u2028',
  42,
  null,
  true,
  undefined,
  { toJSON: () => ({ replaced: true }) },
];

describe('stringifyIndented', () => {
  it('gives exactly the pretty-printed text with every line indented, at every indent the reports use and odd ones', () => {
    for (const value of VALUES) {
      for (const indent of [0, 1, 2, 3, 4, 6, 8, 12, 16]) expect(stringifyIndented(value, indent)).toBe(indentLines(value, indent));
    }
  });
});

describe('stringifyRedacted', () => {
  it('redacts a secret in every string and in data, at any indent, keeping the record’s keys and the tool’s own fields', () => {
    const redactor = new Redactor();
    redactor.add('s3cr3t-value');
    redactor.add('test');
    const value = {
      url: 'https://x.example/?key=s3cr3t-value',
      headers: [['x-key', 's3cr3t-value']],
      assertions: [{ operator: 'test', source: 'script', name: 'a test', expected: { 's3cr3t-value': 's3cr3t-value' } }],
    };
    for (const indent of [0, 4, 8]) {
      const text = stringifyRedacted(value, indent, redactor);
      expect(text).not.toContain('s3cr3t-value');
      const redacted = {
        url: 'https://x.example/?key=[REDACTED]',
        headers: [['x-key', '[REDACTED]']],
        assertions: [{ operator: 'test', source: 'script', name: 'a [REDACTED]', expected: { '[REDACTED]': '[REDACTED]' } }],
      };
      expect(text).toBe(indentLines(redacted, indent));
    }
  });
});
