/**
 * A security requirement naming two schemes, all of which must be met (OpenAPI 3.0.3 §4.7.30):
 * `[{bearer: [], appKey: []}]`. Only the first scheme became the step's profile; the API key was
 * never sent and every request got a 401. The step now sends the other API keys itself (header,
 * query parameter, cookie), and a second sign-in that it cannot send is named in the notes.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { importOpenApi } from '../src/index.js';

const dir = mkdtempSync(join(tmpdir(), 'sortie-security-and-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const SPEC = `openapi: 3.0.3
info: {title: Both, version: "1"}
servers: [{url: "https://api.example.com"}]
security: [{appKey: [], bearer: []}]
components:
  securitySchemes:
    bearer: {type: http, scheme: bearer}
    basic: {type: http, scheme: basic}
    appKey: {type: apiKey, in: header, name: X-App-Key}
    q: {type: apiKey, in: query, name: key}
    c: {type: apiKey, in: cookie, name: sid}
paths:
  /default: {get: {operationId: byDefault, responses: {"200": {description: ok}}}}
  /keys: {get: {operationId: keys, security: [{q: [], c: []}], responses: {"200": {description: ok}}}}
  /two: {get: {operationId: two, security: [{basic: [], bearer: []}], responses: {"200": {description: ok}}}}
  /one: {get: {operationId: one, security: [{basic: []}], responses: {"200": {description: ok}}}}
`;

describe('sortie import openapi: a requirement with several schemes', () => {
  it('sends the API keys with the profile, and names a second sign-in it cannot send', async () => {
    const spec = join(dir, 'both.yaml');
    writeFileSync(spec, SPEC);
    const result = await importOpenApi(spec, { outDir: join(dir, 'out'), cwd: dir });
    const requests = result.files
      .flatMap((file) => (file.kind === 'scenario' ? (file.value.steps as Array<{ request: Record<string, unknown> }>) : []))
      .map((step) => step.request);
    const byUrl = Object.fromEntries(requests.map((request) => [request.url, request]));
    const environment = result.files.find((file) => file.kind === 'environment')?.value as { auth: { use: string } };
    // The default requirement: the bearer profile, and the key as a header of every step that uses it.
    expect(environment.auth.use).toBe('bearer');
    expect(byUrl['/default']).toMatchObject({ headers: { 'X-App-Key': '{{APPKEY_API_KEY}}' } });
    expect(byUrl['/default']?.auth).toBeUndefined();
    // Two keys: the query key is the profile, the cookie key the step's Cookie header.
    expect(byUrl['/keys']).toMatchObject({ auth: 'q', headers: { Cookie: 'sid={{C_API_KEY}}' } });
    // Two sign-ins: the first is sent, the notes say the other is not.
    expect(byUrl['/two']).toMatchObject({ auth: 'basic' });
    expect(result.notes).toContain("GET /two requires two sign-ins (basic and a bearer one): the step sends only basic's");
    // One scheme: as before, no extra header.
    expect(byUrl['/one']).toMatchObject({ auth: 'basic' });
    expect(byUrl['/one']?.headers).toBeUndefined();
  });
});
