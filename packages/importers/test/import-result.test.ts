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

  it('refuses to write a file Sortie would refuse (an importer bug), with code INTERNAL', () => {
    const error = catchError(() =>
      serializeImport({ files: [{ path: 'scenarios/x', kind: 'scenario', value: { steps: 3 } }], secrets: [], notes: [] }, 'yaml'),
    );
    expect(error.code).toBe('SORTIE_INTERNAL');
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
