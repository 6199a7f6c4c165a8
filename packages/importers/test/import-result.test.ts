import { catchError } from '@sortie/testkit';
import { describe, expect, it } from 'vitest';
import { secretName, slugify } from '../src/import-result.js';
import { importCapturedRequests, serializeImport } from '../src/index.js';

describe('serializeImport', () => {
  it('writes YAML or JSON with the extension of the format', () => {
    const result = importCapturedRequests(
      [{ method: 'get', url: 'https://api.example.com/pets?limit=2', headers: [['Accept', 'application/json']] }],
      {
        name: 'pets',
      },
    );
    expect(serializeImport(result, 'json').map((file) => file.path)).toEqual([
      'scenarios/pets.json',
      'environments/default.json',
      'sortie.config.json',
    ]);
    const [scenario] = serializeImport(result, 'yaml');
    expect(scenario?.text).toBe(
      'name: pets\nsteps:\n  - name: GET /pets\n    request:\n      method: GET\n      service: api\n      url: /pets\n      headers:\n        Accept: application/json\n      query:\n        limit: "2"\n',
    );
  });

  it('refuses to write a file Sortie would refuse: an input error at its origin, never the raw JSON of the schema', () => {
    const error = catchError(() =>
      serializeImport(
        {
          files: [
            { path: 'scenarios/x', kind: 'scenario', value: { name: 'x', steps: 3 } },
            {
              path: 'environments/default',
              kind: 'environment',
              value: { auth: { profiles: { key: { type: 'apiKey', name: 'X Key', value: '{{K}}' } } } },
              origins: [
                [
                  ['auth', 'profiles', 'key'],
                  ['components', 'securitySchemes', 'key'],
                ],
              ],
            },
          ],
          secrets: [],
          notes: [],
          input: { file: 'api.yaml', locate: (path) => ({ file: 'api.yaml', line: path.length, column: 3, path: `$.${path.join('.')}` }) },
        },
        'yaml',
      ),
    );
    expect(error.code).toBe('SORTIE_INVALID_INPUT');
    expect(error.message).toBe('api.yaml has 2 problems: Sortie would refuse the files it makes');
    expect(error.details.map((problem) => [problem.location, problem.message])).toEqual([
      [{ file: 'api.yaml', path: '$.steps' }, 'expected an array, got 3 ($.steps of the scenario scenarios/x.yaml it makes)'],
      [
        { file: 'api.yaml', line: 4, column: 3, path: '$.components.securitySchemes.key.name' },
        `expected a header name (letters, digits and !#$%&'*+-.^_\`|~, RFC 9110 §5.1), got "X Key" ($.auth.profiles.key.name of the environment environments/default.yaml it makes)`,
      ],
    ]);
  });

  it('never writes a credential: the same token twice is one profile, one secret', () => {
    const headers: Array<[string, string]> = [['Authorization', 'Bearer t0ken-value']];
    const result = importCapturedRequests(
      [
        { method: 'GET', url: 'https://api.example.com/a', headers },
        { method: 'GET', url: 'https://api.example.com/b', headers },
      ],
      { name: 'twice' },
    );
    const text = serializeImport(result, 'json')
      .map((file) => file.text)
      .join('\n');
    expect(text).not.toContain('t0ken-value');
    expect(result.secrets).toEqual([{ name: 'BEARER_TOKEN', description: 'the bearer token of the captured requests' }]);
  });
});

describe('slugify', () => {
  it('drops accents instead of cutting the words at them', () => {
    expect(slugify('Crème brûlée', 'x')).toBe('creme-brulee');
    expect(slugify('Ünïcödé 名前', 'x')).toBe('unicode');
    expect(secretName('Crème API', 'client secret')).toBe('CREME_API_CLIENT_SECRET');
  });
});
