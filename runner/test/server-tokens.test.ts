/**
 * `sortie server token create|list|delete` as an ops team uses them on the server's host, against a
 * running `sortie server` (processes of the built CLI on a redis-server of the test's own): a token
 * that leaked is deleted from the same data dir, and the running server refuses it from then on, in
 * the API and in the dashboard sessions signed in with it.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runSortie } from '@sortie/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Fleet, redisServerMissing, startFleet } from './support/fleet.js';

const skip = redisServerMissing('the server token tests');
let fleet: Fleet;

beforeAll(async () => {
  if (!skip) fleet = await startFleet('server-tokens', {});
}, 60_000);

afterAll(async () => {
  await fleet?.close();
});

const token = (args: string[]) => runSortie(['server', 'token', ...args, '--data-dir', fleet.dataDir]);

describe.skipIf(skip)('sortie server token', { timeout: 60_000 }, () => {
  it('deletes a token by its id: the running server refuses it at once, in the API and in its dashboard sessions', async () => {
    const created = await token(['create', '--scope', 'read', '--name', 'leaked-ci']);
    expect(created.code).toBe(0);
    const secret = created.stdout.trim();
    const id = /token (\S+) \(leaked-ci/.exec(created.stderr)?.[1] as string;
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    const api = () => fetch(`${fleet.serverUrl}/api/runs`, { headers: { authorization: `Bearer ${secret}` } });
    expect((await api()).status).toBe(200);
    const signIn = await fetch(`${fleet.serverUrl}/login`, {
      method: 'POST',
      redirect: 'manual',
      headers: { origin: fleet.serverUrl, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: secret }),
    });
    const cookie = (signIn.headers.get('set-cookie') ?? '').split(';')[0] as string;
    const page = () => fetch(`${fleet.serverUrl}/agents`, { redirect: 'manual', headers: { cookie } });
    expect((await page()).status).toBe(200);

    const deleted = await token(['delete', id]);
    expect(deleted.code).toBe(0);
    expect(deleted.stderr).toBe(`token ${id} (leaked-ci, scope read) deleted\n`);
    expect((await token(['list'])).stdout).not.toContain(id);
    expect((await api()).status).toBe(401);
    const after = await page();
    expect(after.status).toBe(303);
    expect(after.headers.get('location')).toBe('/login?next=%2Fagents'); // back to the page after signing in again
    // The other tokens still work.
    expect((await fetch(`${fleet.serverUrl}/api/runs`, { headers: { authorization: `Bearer ${fleet.tokens.read}` } })).status).toBe(200);
  });

  it('refuses a token name with a control character (a terminal escape reached whoever listed the tokens)', async () => {
    const escaped = await token(['create', '--scope', 'read', '--name', 'ci\u001b]0;owned\u0007']);
    expect(escaped.code).toBe(2);
    expect(escaped.stdout).toBe('');
    expect(escaped.stderr).toBe(
      'error: Usage error: --name expects 1 to 200 characters, none of them a control character, got "ci\\u001b]0;owned\\u0007"\n' +
        "  hint: run 'sortie server --help' for usage\n",
    );
    expect((await token(['create', '--scope', 'read', '--name', ''])).code).toBe(2);
    expect((await token(['list'])).stdout).not.toContain('owned');
  });

  it('refuses to delete an unknown id, or without one, with exit 2 and what to do', async () => {
    const unknown = await token(['delete', '00000000-0000-0000-0000-000000000000']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('no token with the id 00000000-0000-0000-0000-000000000000');
    expect(unknown.stderr).toContain('sortie server token list');
    const none = await token(['delete']);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('sortie server token delete needs the id of a token');
    const two = await token(['delete', 'a', 'b']);
    expect(two.code).toBe(2);
    expect((await token(['list'])).stdout.trim().split('\n')).toHaveLength(3);
  });

  it('reads a relative sqlite: --database from the current folder, and refuses list and delete of a file that is not there', async () => {
    const work = await mkdtemp(join(tmpdir(), 'sortie-tokens-'));
    try {
      const inWork = (args: string[]) => runSortie(['server', 'token', ...args], { cwd: work });
      // A mistyped file listed no token (exit 0) and left an empty database there.
      for (const args of [['list'], ['delete', '00000000-0000-0000-0000-000000000000']]) {
        const outcome = await inWork([...args, '--database', 'sqlite:histroy.db']);
        expect(outcome.code, args[0]).toBe(2);
        expect(outcome.stderr.replaceAll(work, '<tmp>')).toBe(
          "error: Usage error: no server data in <tmp>/histroy.db (no such file)\n  hint: give the server's --database\n",
        );
      }
      expect(existsSync(join(work, 'histroy.db'))).toBe(false);
      const created = await inWork(['create', '--scope', 'read', '--name', 'rel', '--database', 'sqlite:history/h.db']);
      expect(created.code, created.stderr).toBe(0);
      expect(existsSync(join(work, 'history', 'h.db'))).toBe(true);
      // The same file named absolute, from another folder.
      const listed = await runSortie(['server', 'token', 'list', '--database', `sqlite://${join(work, 'history', 'h.db')}`]);
      expect(listed.stdout).toContain('  read    rel  never used');
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  });

  it('refuses list and delete in a folder that holds no server data (a mistyped --data-dir listed no token, exit 0)', async () => {
    const work = await mkdtemp(join(tmpdir(), 'sortie-tokens-'));
    try {
      const typo = join(work, 'sortie-sever');
      for (const args of [['list'], ['delete', '00000000-0000-0000-0000-000000000000']]) {
        const outcome = await runSortie(['server', 'token', ...args, '--data-dir', typo]);
        expect(outcome.code, args[0]).toBe(2);
        expect(outcome.stdout).toBe('');
        expect(outcome.stderr.replaceAll(work, '<tmp>')).toBe(
          'error: Usage error: no server data in <tmp>/sortie-sever (it has no sortie.db)\n' +
            "  hint: give the server's --data-dir (default: sortie-server in the current folder), or its --database\n",
        );
      }
      // Nothing was made there.
      expect(existsSync(typo)).toBe(false);
      // A new data dir with no token yet says so, and how to make one.
      const fresh = join(work, 'fresh');
      const created = await runSortie(['server', 'token', 'create', '--scope', 'read', '--data-dir', fresh]);
      expect(created.code).toBe(0);
      const id = /token (\S+) \(read/.exec(created.stderr)?.[1];
      expect((await runSortie(['server', 'token', 'delete', id as string, '--data-dir', fresh])).code).toBe(0);
      const empty = await runSortie(['server', 'token', 'list', '--data-dir', fresh]);
      expect([empty.code, empty.stdout, empty.stderr]).toEqual([
        0,
        '',
        'no API tokens: create one with `sortie server token create --scope read|submit|admin`\n',
      ]);
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  });
});
