/** Values typed secret blanked in Postman exports: the text a plan carries, and the files a bundle uploads. */
import { parseSourceText } from '@sortie/config';
import { describe, expect, it } from 'vitest';
import { blankSecretValues, emptySecretValues, writtenSecretValues } from '../src/secret-values.js';

const SECRET = 'p@ss "word" \\\\ 1';

const environment = JSON.stringify(
  {
    name: 'local',
    values: [
      { key: 'user', value: 'ann', type: 'default' },
      { key: 'token', value: SECRET, type: 'secret', enabled: true },
      { key: 'old', value: `${SECRET} old`, type: 'secret', enabled: false },
      { key: 'pin', value: 1234, type: 'secret' },
      { key: 'marked', value: `${SECRET} marked`, type: 'default', secret: true },
    ],
  },
  null,
  2,
);

describe('blankSecretValues', () => {
  it('fills a collection variable typed secret with as many stars: lines and columns stay', () => {
    const text = `{ "info": { "name": "c" },\n  "variable": [{ "key": "k", "value": ${JSON.stringify(SECRET)}, "type": "secret" }, { "key": "v", "value": "shown" }] }`;
    const blanked = blankSecretValues(text, parseSourceText(text, 'c.json'), 'stars');
    expect(blanked).not.toContain('p@ss');
    expect(blanked).toHaveLength(text.length);
    expect(blanked).toContain('"shown"');
    expect((JSON.parse(blanked) as { variable: Array<{ value: string }> }).variable[0]?.value).toMatch(/^\*+$/);
  });

  it("empties an environment export's values typed secret (or marked secret: true), enabled or not, of any type", () => {
    const emptied = emptySecretValues(environment, 'local.postman_environment.json');
    expect(emptied).not.toContain('p@ss');
    expect(emptied).not.toContain('1234');
    expect(emptied.split('\n')).toHaveLength(environment.split('\n').length);
    const values = (JSON.parse(emptied) as { values: Array<{ key: string; value: unknown }> }).values;
    expect(values.map((value) => [value.key, value.value])).toEqual([
      ['user', 'ann'],
      ['token', ''],
      ['old', ''],
      ['pin', ''],
      ['marked', ''],
    ]);
  });

  it('empties them in a v3 YAML environment, comments kept', () => {
    const yaml = `# team environment\nname: local\nvalues:\n  - key: user\n    value: ann\n  - key: token\n    value: 'yaml-secret-9'\n    type: secret\n`;
    const emptied = emptySecretValues(yaml, 'local.environment.yaml');
    expect(emptied).not.toContain('yaml-secret-9');
    expect(emptied).toContain('# team environment');
    expect(emptied).toContain('value: ann');
    expect(parseSourceText(emptied, 'x.yaml').data).toMatchObject({ values: [{ value: 'ann' }, { key: 'token', value: '' }] });
  });

  it('empties a secret a v3 YAML environment takes from a merge key (<<), in the anchor too', () => {
    const yaml = [
      'name: local',
      'values:',
      '  - &secret',
      '    key: token',
      '    value: merged-secret-1',
      '    type: secret',
      '  - <<: *secret',
      '    key: other',
      '  - key: plain',
      '    <<: {type: secret, value: merged-secret-2}',
      '  - {key: anchored, type: secret, value: &shared merged-secret-3}',
      '  - {key: aliased, type: secret, value: *shared}',
      '',
    ].join('\n');
    const emptied = emptySecretValues(yaml, 'local.environment.yaml');
    expect(emptied).not.toContain('merged-secret');
    expect(parseSourceText(emptied, 'x.yaml').data).toMatchObject({
      values: [
        { key: 'token', value: '' },
        { key: 'other', value: '' },
        { key: 'plain', value: '' },
        { key: 'anchored', value: '' },
        { key: 'aliased', value: '' },
      ],
    });
  });

  it('empties a value a v3 YAML environment marks secret: true (next to type: default), as the converter reads it', () => {
    const yaml = `name: local\nvalues:\n  - key: token\n    value: yaml-marked-7\n    type: default\n    secret: true\n`;
    const emptied = emptySecretValues(yaml, 'local.environment.yaml');
    expect(emptied).not.toContain('yaml-marked-7');
    expect(parseSourceText(emptied, 'x.yaml').data).toMatchObject({ values: [{ key: 'token', value: '' }] });
  });
});

describe('writtenSecretValues', () => {
  it('names the values typed secret or marked secret: true that are not empty, with where each is written', () => {
    const text = environment.replace('"ann"', '""');
    const written = writtenSecretValues(parseSourceText(text, 'local.json'), 'local.postman_environment.json');
    expect(written.map(({ name, location }) => [name, location.file, location.path])).toEqual([
      ['token', 'local.postman_environment.json', '$.values[1].value'],
      ['old', 'local.postman_environment.json', '$.values[2].value'],
      ['pin', 'local.postman_environment.json', '$.values[3].value'],
      ['marked', 'local.postman_environment.json', '$.values[4].value'],
    ]);
    expect(writtenSecretValues(parseSourceText(emptySecretValues(text, 'local.json'), 'local.json'), 'local.json')).toEqual([]);
  });
});
