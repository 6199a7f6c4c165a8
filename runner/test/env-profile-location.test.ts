/**
 * An auth profile of the environment (or of the project file) whose templated field renders to a value no request
 * can carry, or names a variable nobody defines, is reported at that field where the profile is written — not at
 * the URL of the request that used it. Golden in runner/test/golden/env-profile-location.out.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureBuilt, goldenIn, normaliseText, ROOT, runSortie } from '@sortie/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const golden = goldenIn(join(ROOT, 'runner', 'test', 'golden'));
let dir: string;

const ENV = `name: dev
variables:
  issuer: "not a url"
  header: "bad name"
auth:
  profiles:
    oauth:
      type: oauth2
      grant: client_credentials
      tokenUrl: "{{issuer}}/token"
      clientId: app
      clientSecret: s3cr3t-client-value
    key:
      type: apiKey
      name: "{{header}}"
      value: k3y-value
    unset:
      type: bearer
      token: "{{NO_SUCH_TOKEN}}"
`;

const PROJECT = `{
  "auth": {
    "profiles": {
      "fromProject": { "type": "bearer", "token": "{{PROJECT_TOKEN}}" }
    }
  }
}
`;

function scenario(profile: string): string {
  return `name: uses ${profile}
options: { onError: continue }
steps:
  - name: get
    request:
      auth: ${profile}
      url: http://127.0.0.1:9/items
`;
}

beforeAll(async () => {
  ensureBuilt();
  dir = await mkdtemp(join(tmpdir(), 'sortie-env-profile-'));
  await writeFile(join(dir, 'env.yaml'), ENV);
  await writeFile(join(dir, 'sortie.config.json'), PROJECT);
  for (const profile of ['oauth', 'key', 'unset', 'fromProject']) await writeFile(join(dir, `${profile}.yaml`), scenario(profile));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function placeOf(profile: string): Promise<{ place: string; stdout: string }> {
  const result = await runSortie(['run', `${profile}.yaml`, '-e', 'env.yaml', '--no-color'], { cwd: dir });
  expect(result.code).toBe(1);
  expect(result.stderr).not.toContain('    at ');
  const places = result.stdout.split('\n').filter((line) => line.includes('--> '));
  expect(places).toHaveLength(1);
  return { place: places[0]!.trim(), stdout: result.stdout };
}

describe('an unusable auth profile field of the environment', () => {
  it('is pointed at the field in the environment file, in the project file for a project profile', async () => {
    const outputs: string[] = [];
    const places: string[] = [];
    for (const profile of ['oauth', 'key', 'unset', 'fromProject']) {
      const { place, stdout } = await placeOf(profile);
      places.push(place);
      outputs.push(normaliseText(stdout));
    }
    expect(places).toEqual(['--> env.yaml:10:17', '--> env.yaml:15:13', '--> env.yaml:19:14', '--> sortie.config.json:4:51']);
    const all = outputs.join('\n');
    expect(all).not.toContain('s3cr3t-client-value');
    golden('env-profile-location.out', all);
  });
});
