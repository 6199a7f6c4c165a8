/**
 * The reports pretty-print a JSON body by parsing it, which turned a 64-bit id `9007199254740993` into
 * 9007199254740992: the CLI's body excerpt and the HTML report showed a number the server never sent. Such a
 * body is now shown as it came.
 */
import { describe, expect, it } from 'vitest';
import { prettyPrintJson } from '../src/shared/pretty-json.js';

describe('prettyPrintJson', () => {
  it('indents a JSON body', () => {
    expect(prettyPrintJson('{"a":[1,2.5,"x"]}')).toBe('{\n  "a": [\n    1,\n    2.5,\n    "x"\n  ]\n}');
  });

  it('leaves a body with a number JSON.parse reads as another value as it came', () => {
    expect(prettyPrintJson('{"id":9007199254740993}')).toBeUndefined();
    expect(prettyPrintJson('{"id":-12345678901234567891,"ok":true}')).toBeUndefined();
  });

  it('still indents a body whose long digits are exact or inside strings', () => {
    expect(prettyPrintJson('{"id":"9007199254740993","n":9007199254740991}')).toBe(
      '{\n  "id": "9007199254740993",\n  "n": 9007199254740991\n}',
    );
  });

  it('leaves text that is not JSON', () => {
    expect(prettyPrintJson('{nope')).toBeUndefined();
  });
});
