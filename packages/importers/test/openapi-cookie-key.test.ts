/**
 * An API key in a cookie (a profile setting the Cookie header) and a cookie parameter of the same
 * operation: the profile's Cookie header replaced the step's, so `theme=dark` was never sent. Both
 * cookies are now the step's Cookie header (auth "none": the header already carries the key).
 */
import { join } from 'node:path';
import { ROOT } from '@sortie/testkit';
import { describe, expect, it } from 'vitest';
import { importOpenApi } from '../src/index.js';

describe('sortie import openapi: an API key in a cookie, and cookie parameters', () => {
  it('sends both cookies in one Cookie header', async () => {
    const result = await importOpenApi(join(ROOT, 'fixtures', 'import-cases', 'cookie-key.yaml'), {
      outDir: join(ROOT, 'out'),
      cwd: ROOT,
    });
    const steps = (
      result.files.flatMap((file) => (file.kind === 'scenario' ? (file.value.steps as unknown[]) : [])) as Array<{
        request: Record<string, unknown>;
      }>
    ).map((step) => step.request);
    expect(steps[0]).toMatchObject({ url: '/prefs', headers: { Cookie: 'theme=dark; SESSION={{SESSION_API_KEY}}' }, auth: 'none' });
    // Without cookie parameters the profile sends the key, as before.
    expect(steps[1]?.headers).toBeUndefined();
    expect(steps[1]?.auth).toBeUndefined();
  });
});
