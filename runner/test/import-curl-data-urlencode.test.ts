/**
 * `sortie import curl` of `--data-urlencode` in the five forms of curl(1): `content`, `=content`,
 * `name=content`, `@filename` and `name@filename`. The two file forms were imported as the text
 * "@f.txt" (`form: {k: "@f.txt"}`), not the file's content. Each command is sent by the real curl and,
 * imported, by `sortie run` to the same local server: the server records both bodies, which must
 * carry the same fields (a form is re-encoded by the WHATWG serializer, so "~" may be sent as %7E). A file that cannot be read is a note, and its part is left out, as curl leaves it out.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ensureBuilt, type ListeningServer, runSortie, startServer } from '@sortie/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const CURL = '/usr/bin/curl';
/** The real curl, asynchronously: the server answering it runs in this process. */
const curl = (args: string[]) => promisify(execFile)(CURL, ['-sS', '-o', '/dev/null', ...args], { cwd: work });
let server: ListeningServer;
let work: string;
/** Request path → the form fields the server received, with its method and content type. */
const received = new Map<string, { method: string; type: string | undefined; fields: string[][] }>();

beforeAll(async () => {
  ensureBuilt();
  work = mkdtempSync(join(tmpdir(), 'sortie-curl-urlencode-'));
  // A file with spaces, reserved characters, a line break and non-ASCII text.
  writeFileSync(join(work, 'f.txt'), 'hello world & a=b+c/~*!\nnaïve 100%\n');
  server = await startServer(async (request, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    received.set(request.url ?? '', {
      method: request.method ?? '',
      type: request.headers['content-type'],
      fields: [...new URLSearchParams(Buffer.concat(chunks).toString('utf8'))],
    });
    response.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
  });
});

afterAll(async () => {
  await server?.close();
  rmSync(work, { recursive: true, force: true });
});

const FORMS = [
  ['name-at-file', "-XPUT --data-urlencode 'k@f.txt'"],
  ['at-file', '--data-urlencode @f.txt'],
  ['name-equals', "--data-urlencode 'k=v w&x'"],
  ['equals', "--data-urlencode '=v w'"],
  ['content', "--data-urlencode 'v w'"],
  ['mixed', "--data-urlencode 'k@f.txt' -d a=b --data-urlencode 'x=y z'"],
] as const;

describe.skipIf(!existsSync(CURL))('sortie import curl --data-urlencode', { timeout: 60_000 }, () => {
  it.each(FORMS)('sends the %s form as curl sends it', async (name, options) => {
    await curl([...shellWords(options), `${server.url}/curl/${name}`]);
    const command = `curl ${options} ${server.url}/sortie/${name}`;
    const imported = await runSortie(['import', 'curl', command, '--out', `out-${name}`], { cwd: work });
    expect(imported.code, imported.stdout + imported.stderr).toBe(0);
    expect(imported.stdout).not.toContain('is sent as the text');
    const run = await runSortie(['run', 'scenarios'], { cwd: join(work, `out-${name}`) });
    expect(run.code, run.stdout + run.stderr).toBe(0);
    const byCurl = received.get(`/curl/${name}`);
    const bySortie = received.get(`/sortie/${name}`);
    expect(byCurl).toBeDefined();
    expect(bySortie).toEqual(byCurl);
  });

  it('notes a file it cannot read and leaves its part out, as curl does', async () => {
    const command = `curl --data-urlencode 'k@missing.txt' -d a=b ${server.url}/sortie/missing`;
    const imported = await runSortie(['import', 'curl', command, '--out', 'out-missing'], { cwd: work });
    expect(imported.code, imported.stdout + imported.stderr).toBe(0);
    expect(imported.stdout).toContain('curl: --data-urlencode k@missing.txt: cannot read missing.txt');
    const scenario = readFileSync(join(work, 'out-missing', 'scenarios', 'curl.yaml'), 'utf8');
    expect(scenario).not.toContain('@missing.txt');
    await curl(['--data-urlencode', 'k@missing.txt', '-d', 'a=b', `${server.url}/curl/missing`]);
    const run = await runSortie(['run', 'scenarios'], { cwd: join(work, 'out-missing') });
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(received.get('/sortie/missing')).toEqual(received.get('/curl/missing'));
  });
});

/** The words of the options above, as Bash splits them (single quotes only). */
function shellWords(text: string): string[] {
  return [...text.matchAll(/'([^']*)'|(\S+)/g)].map((match) => match[1] ?? match[2]!);
}
