/**
 * `sortie import curl` read as curl reads it, each command sent by the real curl and, imported, by
 * `sortie run` to the same local server, which records what both sent:
 * - PowerShell's quoting (`curl.exe … -d 'it''s'`): was read as Bash, the body sent as `its`;
 * - `-F 'n=<file.txt'`, the file's content as a plain field: was a file upload (with a file name);
 * - `-L`, `--max-redirs`, `-m`/`--max-time`, `--retry`: were dropped without a note, and `-o`,
 *   `--connect-timeout` too;
 * - `--retry-delay N`: was dropped (the step waited 1 s, doubling, as for `--retry` alone);
 * - `-H 'Expect: 100-continue'`: was kept, and the imported step was an error on every run (the HTTP
 *   client cannot send `Expect`): it is left out with a note, and the body is sent at once.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ensureBuilt, type ListeningServer, runSortie, startServer } from '@sortie/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const CURL = '/usr/bin/curl';
const curl = (args: string[]) => promisify(execFile)(CURL, ['-sS', '-o', '/dev/null', ...args], { cwd: work });
let server: ListeningServer;
let work: string;
/** Request path → the bodies the server received, in order. */
const received = new Map<string, string[]>();
/** Request path → when each request arrived (ms). */
const arrived = new Map<string, number[]>();
/** Request path → the multipart parts the server received (each part's header section and content). */
const parts = (body: string): Array<{ head: string; content: string }> =>
  body
    .split(/--[^\r\n]+\r\n/)
    .slice(1)
    .map((part) => {
      const [head = '', content = ''] = part.split('\r\n\r\n');
      return { head: head.replace(/Content-Type: [^\r\n]+/i, ''), content: content.replace(/\r\n(--[^\r\n]+--\r\n)?$/, '') };
    });

beforeAll(async () => {
  ensureBuilt();
  work = mkdtempSync(join(tmpdir(), 'sortie-curl-options-'));
  writeFileSync(join(work, 'note.txt'), "it's a note\nline 2\n");
  server = await startServer(async (request, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const path = (request.url ?? '').split('?')[0] ?? '';
    received.set(path, [...(received.get(path) ?? []), Buffer.concat(chunks).toString('utf8')]);
    arrived.set(path, [...(arrived.get(path) ?? []), Date.now()]);
    if (path.endsWith('/moved')) return void response.writeHead(302, { location: path.replace('/moved', '/target') }).end();
    // Busy on the first attempt, then fine: only a retried step gets the 200.
    if (/\/busy\d*$/.test(path) && received.get(path)?.length === 1) return void response.writeHead(503).end('busy');
    if (path.endsWith('/slow')) await new Promise((done) => setTimeout(done, 3000));
    response.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
  });
});

afterAll(async () => {
  await server?.close();
  rmSync(work, { recursive: true, force: true });
});

async function importAndRun(command: string, out: string) {
  const imported = await runSortie(['import', 'curl', command, '--out', out], { cwd: work });
  expect(imported.code, imported.stdout + imported.stderr).toBe(0);
  const run = await runSortie(['run', 'scenarios', '-r', 'json', '--out-dir', 'reports'], { cwd: join(work, out) });
  return { imported, run, scenario: readFileSync(join(work, out, 'scenarios', 'curl.yaml'), 'utf8') };
}

describe.skipIf(!existsSync(CURL))('sortie import curl: options read as curl reads them', { timeout: 60_000 }, () => {
  it("reads a PowerShell command's quoting: 'it''s' is it's", async () => {
    await curl(['-d', "it's", '-H', 'X-Say: "hi"', `${server.url}/curl/ps`]);
    const command = `curl.exe '${server.url}/sortie/ps' \`\n  -H "X-Say: \`"hi""" \`\n  -d 'it''s'`;
    const { run, scenario } = await importAndRun(command, 'out-ps');
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(received.get('/sortie/ps')).toEqual(["it's"]);
    expect(received.get('/sortie/ps')).toEqual(received.get('/curl/ps'));
    expect(scenario).toContain('X-Say: \'"hi"\'');
  });

  it('sends -F name=<file as the field curl sends: the content, no file name', async () => {
    const options = ['-F', 'note=<note.txt', '-F', 'upload=@note.txt', '-F', 'a=b'];
    await curl([...options, `${server.url}/curl/form`]);
    const { imported, run } = await importAndRun(
      `curl ${server.url}/sortie/form -F 'note=<note.txt' -F 'upload=@note.txt' -F a=b`,
      'out-form',
    );
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(imported.stdout).toContain("curl: -F note=<note.txt: the content of note.txt was written as the field's value at import");
    const byCurl = parts(received.get('/curl/form')?.[0] ?? '');
    expect(byCurl[0]).toEqual({ head: 'Content-Disposition: form-data; name="note"', content: "it's a note\nline 2\n" });
    expect(parts(received.get('/sortie/form')?.[0] ?? '').map(({ head, content }) => ({ head: head.trim(), content }))).toEqual(
      byCurl.map(({ head, content }) => ({ head: head.trim(), content })),
    );
  });

  it('-F name=<file that cannot be read is an error naming the file, as curl stops', async () => {
    const imported = await runSortie(['import', 'curl', `curl ${server.url}/x -F 'n=<missing.txt'`, '--out', 'out-missing'], { cwd: work });
    expect(imported.code).toBe(2);
    expect(imported.stderr).toContain(
      "-F n=<missing.txt: cannot read missing.txt (no such file); curl sends its content as the field's value",
    );
    expect(imported.stderr).not.toMatch(/\n\s+at /);
  });

  it('maps -L, --max-redirs, --retry, --retry-delay and --max-time to the step, and names -o and --connect-timeout', async () => {
    const redirect = await importAndRun(`curl -L --max-redirs 2 ${server.url}/sortie/moved`, 'out-redirect');
    expect(redirect.run.code, redirect.run.stdout + redirect.run.stderr).toBe(0);
    expect(redirect.scenario).toContain('followRedirects: true');
    expect(redirect.scenario).toContain('maxRedirects: 2');
    expect(received.get('/sortie/target')).toHaveLength(1);

    const retried = await importAndRun(`curl --retry 2 -o out.json --connect-timeout 3 ${server.url}/sortie/busy`, 'out-retry');
    expect(retried.run.code, retried.run.stdout + retried.run.stderr).toBe(0);
    expect(received.get('/sortie/busy')).toHaveLength(2);
    expect(retried.imported.stdout).toContain('curl: -o out.json is not part of the scenario');
    expect(retried.imported.stdout).toContain('curl: --connect-timeout 3 has no equivalent');
    expect(retried.imported.stdout).not.toContain('--retry is not a supported option');
    const report = JSON.parse(readFileSync(join(work, 'out-retry', 'reports', 'report.json'), 'utf8')) as object;
    expect(JSON.stringify(report)).toContain('"attempt":2');

    const delayed = await importAndRun(`curl --retry 1 --retry-delay 2 ${server.url}/sortie/busy2`, 'out-retry-delay');
    expect(delayed.run.code, delayed.run.stdout + delayed.run.stderr).toBe(0);
    expect(delayed.imported.stdout).not.toContain('--retry-delay');
    expect(delayed.scenario).toMatch(/retry:\n\s+count: 1\n\s+delay: 2000\n\s+backoff: fixed\n/);
    const [first = 0, second = 0] = arrived.get('/sortie/busy2') ?? [];
    // curl waits the --retry-delay before each retry: 2 s, not the 1 s of --retry alone.
    expect(second - first).toBeGreaterThanOrEqual(1900);

    const ignored = await runSortie(['import', 'curl', `curl --retry-delay 3 ${server.url}/x`, '--out', 'out-delay-only'], { cwd: work });
    expect(ignored.stdout).toContain('curl: --retry-delay 3 is ignored without --retry (as curl ignores it)');
    expect(readFileSync(join(work, 'out-delay-only', 'scenarios', 'curl.yaml'), 'utf8')).not.toContain('retry');

    const slow = await importAndRun(`curl -m 0.5 ${server.url}/sortie/slow`, 'out-slow');
    expect(slow.scenario).toContain('timeout: 500');
    expect(slow.run.code, slow.run.stdout).toBe(1);
    expect(readFileSync(join(work, 'out-slow', 'reports', 'report.json'), 'utf8')).toContain('SORTIE_TIMEOUT');
  });

  it("leaves out curl's Expect: 100-continue with a note: the imported step sends the body curl sends", async () => {
    const options = ['-X', 'PUT', '-H', 'Expect: 100-continue', '-H', 'Content-Type: application/json', '-d', '{"a":1}'];
    await curl([...options, `${server.url}/curl/expect`]);
    const { imported, run, scenario } = await importAndRun(
      `curl -X PUT -H 'Expect: 100-continue' -H 'Content-Type: application/json' -d '{"a":1}' ${server.url}/sortie/expect`,
      'out-expect',
    );
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(scenario).not.toMatch(/^\s*Expect:/im);
    expect(imported.stdout).toContain(
      'PUT /sortie/expect: the header "Expect: 100-continue" is left out: the HTTP client cannot send it, and sends the body at once (RFC 9110 §10.1.1; docs/http.md)',
    );
    expect(received.get('/sortie/expect')).toEqual(['{"a":1}']);
    expect(received.get('/sortie/expect')).toEqual(received.get('/curl/expect'));
  });
});
