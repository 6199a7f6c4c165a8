/**
 * `sortie run --remote` writes the reports where a local run would: `--report-junit FILE` and
 * `--report-json FILE` as well as `--report-html FILE` (a CI job that reads its JUnit file from a
 * path of its own got "--report-junit does not go with --remote", exit 2). A real server, agent,
 * Redis and fixture API (runner/test/support/fleet.ts).
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runSortie } from '@sortie/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Fleet, redisServerMissing, startFleet } from './support/fleet.js';

const skip = redisServerMissing('the --remote report file tests');
let fleet: Fleet;

const scenario = {
  name: 'echo',
  steps: [{ name: 'get', request: { method: 'GET', url: '{{base}}/echo' }, post: [{ assert: { status: { equals: 200 } } }] }],
};

beforeAll(async () => {
  if (skip) return;
  fleet = await startFleet('remote-report-files', { 'echo.json': JSON.stringify(scenario) });
  await fleet.agent('files-agent');
}, 60_000);

afterAll(async () => {
  await fleet?.close();
});

describe.skipIf(skip)('--remote and the report file flags', { timeout: 60_000 }, () => {
  it('downloads the JUnit and JSON reports to --report-junit and --report-json, as a local run writes them', async () => {
    const outcome = await runSortie(
      [
        'run',
        'echo.json',
        '--remote',
        fleet.serverUrl,
        '--token',
        fleet.tokens.submit,
        '--env-var',
        `base=${fleet.api.url}`,
        '--report-junit',
        'ci/results/junit.xml',
        '--report-json',
        'ci/report.json',
      ],
      { cwd: fleet.project },
    );
    expect(outcome.code, outcome.stderr).toBe(0);
    expect(await readFile(join(fleet.project, 'ci', 'results', 'junit.xml'), 'utf8')).toContain('<testsuites');
    expect(JSON.parse(await readFile(join(fleet.project, 'ci', 'report.json'), 'utf8'))).toMatchObject({ status: 'passed' });
  });

  it('still refuses them for a schedule, whose reports stay on the server', async () => {
    for (const flag of ['--report-junit', '--report-json']) {
      const outcome = await runSortie(
        [
          'server',
          'schedule',
          'create',
          '--remote',
          fleet.serverUrl,
          '--token',
          fleet.tokens.admin,
          '--name',
          'n',
          '--every',
          '1h',
          'echo.json',
          flag,
          'x',
        ],
        { cwd: fleet.project },
      );
      expect(outcome.code, flag).toBe(2);
      expect(outcome.stderr, flag).toContain(flag);
    }
    expect(await fleet.call('/api/schedules')).toEqual({ schedules: [] });
  });
});
