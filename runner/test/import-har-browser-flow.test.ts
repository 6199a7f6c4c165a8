/**
 * `sortie import har` of what a real browser (Chromium, playwright-core's recordHar) records on a
 * sign-in page: a form POST answered by a 302 with a session cookie, the redirect's target, a file
 * upload and a binary body. The POST step asserted the recorded 302 but followed the redirect (200),
 * so the imported scenario failed at its second step; the upload was replayed with the recorded
 * multipart Content-Type (a boundary) and no body, silently. A recorded 3xx step now does not
 * follow (the next entry is the target); a body the HAR does not hold is named in the notes and
 * the step sends neither it nor its Content-Type. A cookie a recorded response set (the session) is left
 * to the run's cookie jar, not made a secret to supply. The imported scenario runs against the same server.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHROMIUM, CHROMIUM_ARGS, ensureBuilt, type ListeningServer, runSortie, startServer } from '@sortie/testkit';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const PASSWORD = 'flow-pw-8d2c';
/** The sessions the server gave out: each sign-in gets a new one (the recorded one is of no use to a later run). */
const sessions: string[] = [];
let server: ListeningServer;
let work: string;
const seen: string[] = [];

beforeAll(async () => {
  ensureBuilt();
  work = mkdtempSync(join(tmpdir(), 'sortie-har-flow-'));
  server = await startServer(async (request, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    seen.push(`${request.method} ${request.url} ${request.headers['content-type'] ?? '-'} ${body.length}`);
    const signedIn = sessions.length > 0 && request.headers.cookie === `session=${sessions.at(-1)}`;
    if (request.url === '/') {
      response.writeHead(200, { 'content-type': 'text/html' });
      response.end('<form method="post" action="/login"><input name="user" value="ann"><input name="password"><button>go</button></form>');
    } else if (request.url === '/login' && body === `user=ann&password=${PASSWORD}`) {
      sessions.push(`flow-session-${sessions.length}-41fa`);
      response.writeHead(302, { location: '/home', 'set-cookie': `session=${sessions.at(-1)}; Path=/; HttpOnly` }).end();
    } else if ((request.url === '/home' || request.url === '/upload') && signedIn) {
      response.writeHead(200, { 'content-type': 'text/html' }).end('<p>home</p>');
    } else response.writeHead(403, { 'content-type': 'text/plain' }).end('no');
  });
});

afterAll(async () => {
  await server?.close();
  rmSync(work, { recursive: true, force: true });
});

describe.skipIf(!existsSync(CHROMIUM) && !process.env.CI)(
  'sortie import har: a sign-in, a redirect and uploads recorded by Chromium',
  () => {
    it('replays the recorded 302 and its target, names the bodies the HAR does not hold, and runs', { timeout: 90_000 }, async () => {
      const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: [...CHROMIUM_ARGS] });
      try {
        const context = await browser.newContext({ recordHar: { path: join(work, 'flow.har'), content: 'embed' } });
        const page = await context.newPage();
        await page.goto(`${server.url}/`);
        await page.fill('input[name=password]', PASSWORD);
        await Promise.all([page.waitForURL('**/home'), page.click('button')]);
        await page.evaluate(async () => {
          const form = new FormData();
          form.append('file', new Blob([new Uint8Array([0, 1, 2, 255])]), 'b.bin');
          await fetch('/upload', { method: 'POST', body: form });
          await fetch('/upload', {
            method: 'POST',
            body: new Uint8Array([0xff, 0xfe, 0]),
            headers: { 'content-type': 'application/octet-stream' },
          });
        });
        await context.close();
      } finally {
        await browser.close();
      }

      const imported = await runSortie(['import', 'har', 'flow.har', '--out', 'out'], { cwd: work });
      expect(imported.code, imported.stderr).toBe(0);
      expect(imported.stdout).toContain('entry 4 (POST /upload) sent a body that the HAR file does not hold');
      expect(imported.stdout).toContain('entry 5 (POST /upload) sent a body of 3 bytes that the HAR file does not hold');
      const scenario = readFileSync(join(work, 'out', 'scenarios', 'flow.yaml'), 'utf8');
      expect(scenario).toContain('followRedirects: false');
      expect(scenario).not.toContain('boundary=');
      expect(scenario).not.toContain(PASSWORD);
      // The session cookie the recorded /login set is the run's own (its cookie jar), not a secret to supply.
      expect(scenario).not.toContain(sessions[0]);
      expect(scenario).not.toContain('COOKIE_SESSION');
      expect(imported.stdout).toContain('the cookie "session" that a recorded response set is left to the run\'s cookie jar');

      seen.length = 0;
      const run = await runSortie(['run', 'scenarios', '--no-color'], {
        cwd: join(work, 'out'),
        env: { PASSWORD },
      });
      expect(run.code, run.stdout + run.stderr).toBe(0);
      expect(run.stdout).toContain('POST /login  POST');
      // The POST is answered 302 once, the target is its own step; the uploads go without a body or its type.
      expect(seen).toEqual([
        'GET / - 0',
        `POST /login application/x-www-form-urlencoded ${`user=ann&password=${PASSWORD}`.length}`,
        'GET /home - 0',
        'POST /upload - 0',
        'POST /upload - 0',
      ]);
      expect(sessions).toHaveLength(2); // the browser's sign-in, then the run's
      for (const secret of [PASSWORD, ...sessions]) expect(run.stdout + run.stderr).not.toContain(secret);
    });
  },
);
