/**
 * Interrupted runs, through the real CLI as a child process against the fixture API: SIGINT and
 * SIGTERM mid-run give exit code 1 and reports that say `interrupted`, with the steps and scenarios
 * that never ran listed as skipped, and leave no temporary file; the first signal stops a spinning
 * script, a second one quits at once, even while a script spins.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type FixtureServer, startFixtureServer } from '@sortie/fixtures';
import { ReportSchema } from '@sortie/reporters';
import { ensureBuilt, expectGolden, normaliseJunit, normaliseReport, normaliseText, ROOT } from '@sortie/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateXML } from 'xmllint-wasm';

const CLI = join(ROOT, 'runner', 'dist', 'sortie.cjs');
const GOLDEN = join(import.meta.dirname, 'golden');
const XSD = readFileSync(join(ROOT, 'fixtures', 'conformance', 'junit-10.xsd'), 'utf8');

let server: FixtureServer;
let work: string;
beforeAll(async () => {
  ensureBuilt();
  server = await startFixtureServer();
  work = mkdtempSync(join(tmpdir(), 'sortie-interrupt-'));
  const get = (name: string, path: string, extra: Record<string, unknown> = {}) => ({
    name,
    request: { url: `{{base}}${path}` },
    ...extra,
  });
  const write = (name: string, value: unknown) => writeFileSync(join(work, name), JSON.stringify(value, null, 2));
  write('first.json', {
    name: 'interrupted mid-run',
    steps: [
      get('fast', '/status/200'),
      get('slow', '/slow?ms=1500'),
      get('after', '/status/200'),
      { name: 'group', group: { steps: [get('inside', '/status/200')] } },
    ],
  });
  write('second.json', { name: 'never started', steps: [get('later', '/status/200')] });
  // Steps that end without any I/O: each errors at once on an unresolved variable.
  write('no-io-loop.json', {
    name: 'no I/O',
    options: { onError: 'continue' },
    steps: [{ name: 'many', loop: { count: 1_000_000, max: 1_000_000, steps: [get('unresolved', '/{{nope}}')] } }],
  });
  // --retry-failed is at most 100 now: each attempt does a few thousand steps, so the reruns outlast the signal.
  write('no-io-rerun.json', {
    name: 'no I/O rerun',
    options: { onError: 'continue' },
    steps: [{ name: 'many', loop: { count: 3000, max: 3000, steps: [get('unresolved', '/{{nope}}')] } }],
  });
  write('spin.json', {
    name: 'spins',
    steps: [get('fast', '/status/200'), get('slow', '/slow?ms=1500')],
    teardown: [{ name: 'spin', script: 'while (true) {}' }],
  });
});
afterAll(async () => {
  await server.close();
  rmSync(work, { recursive: true, force: true });
});

interface Child {
  stdout: () => string;
  stderr: () => string;
  send: (signal: NodeJS.Signals) => void;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>;
  /** Resolves when stdout contains `text`. */
  waitFor: (text: string) => Promise<void>;
}

/** Starts `sortie run` with its own empty temporary directory (TMPDIR), to see what it leaves there. */
function startRun(args: string[], temp: string): Child {
  const child = spawn(process.execPath, [CLI, 'run', ...args, '--env-var', `base=${server.url}`], {
    cwd: work,
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '', TMPDIR: temp },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  const waiters: Array<{ text: string; resolve: () => void }> = [];
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
    for (const waiter of waiters.filter((w) => stdout.includes(w.text))) waiter.resolve();
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  return {
    stdout: () => stdout,
    stderr: () => stderr,
    send: (signal) => child.kill(signal),
    exited: new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal, at: performance.now() }))),
    waitFor: (text) => (stdout.includes(text) ? Promise.resolve() : new Promise((resolve) => waiters.push({ text, resolve }))),
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('an interrupted run', () => {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    it(`after ${signal} mid-run: exit 1, every report says interrupted, what never ran is skipped, no temporary file is left`, async () => {
      const temp = mkdtempSync(join(work, 'tmp-'));
      const out = join(temp, '..', `out-${signal}`);
      const run = startRun(['first.json', 'second.json', '-r', 'cli,json,junit', '--out-dir', out], temp);
      await run.waitFor('✓ fast');
      await sleep(200); // the slow request is in flight
      run.send(signal);
      const exit = await run.exited;
      expect(exit.code, run.stderr()).toBe(1);
      const port = server.port;
      expectGolden(join(GOLDEN, 'interrupted.out'), normaliseText(run.stdout(), port));
      expectGolden(join(GOLDEN, `interrupted-${signal.toLowerCase()}.err`), normaliseText(run.stderr(), port));
      const report = readFileSync(join(out, 'report.json'), 'utf8');
      expect(ReportSchema.safeParse(JSON.parse(report)).success).toBe(true);
      expectGolden(join(GOLDEN, 'interrupted.report.json'), normaliseReport(report, port));
      const junit = readFileSync(join(out, 'junit.xml'), 'utf8');
      const validation = await validateXML({ xml: [{ fileName: 'junit.xml', contents: junit }], schema: [XSD] });
      expect(validation.errors.map((e) => e.rawMessage)).toEqual([]);
      expectGolden(join(GOLDEN, 'interrupted.junit.xml'), normaliseJunit(junit, port));
      expect(readdirSync(temp)).toEqual([]);
    }, 20_000);
  }

  // The run went on for ever: steps and reruns that do no I/O never let the event loop reach the signal.
  const endsSoon = async (run: Child): Promise<{ code: number | null; signal: NodeJS.Signals | null }> => {
    const exit = await Promise.race([run.exited, sleep(5000).then(() => undefined)]);
    if (exit === undefined) run.send('SIGKILL');
    expect(exit, 'still running 5 s after the signal').toBeDefined();
    return exit ?? { code: null, signal: 'SIGKILL' };
  };

  // The sandbox runs on the main thread: a SIGINT during `while (true) {}` waited for the script's time
  // limit (for ever with a large --timeout-script). The first Ctrl-C now stops the script at once
  // (sigint-watch.ts), and the run ends interrupted with its reports written.
  it('stops a spinning script at the first SIGINT: the run ends interrupted, its report written', async () => {
    writeFileSync(
      join(work, 'spinning-script.json'),
      JSON.stringify({
        name: 'spinning',
        steps: [
          { name: 'spin', script: 'while (true) {}' },
          { name: 'after', script: '1' },
        ],
      }),
    );
    const out = join(work, 'out-spinning');
    const run = startRun(
      ['spinning-script.json', '--timeout-script', '600000', '-r', 'cli,json', '--out-dir', out],
      mkdtempSync(join(work, 'tmp-')),
    );
    await run.waitFor('▶ spinning');
    await sleep(300);
    run.send('SIGINT');
    const exit = await endsSoon(run);
    expect(exit.code, run.stderr()).toBe(1);
    expectGolden(join(GOLDEN, 'interrupted-spinning-script.out'), normaliseText(run.stdout(), server.port));
    expectGolden(join(GOLDEN, 'interrupted-spinning-script.err'), normaliseText(run.stderr(), server.port));
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
    expect(report.status).toBe('interrupted');
  }, 20_000);

  // SIGTERM (what CI systems and container runtimes send) and --timeout reached a spinning script only
  // at its time limit: the run's listener and the --timeout timer need the event loop the script keeps.
  // A worker now watches SIGTERM while a script keeps the thread (sigterm-watch.ts), and the interrupt
  // handler compares the clock with the run's deadline: the same stop as a Ctrl-C.
  const spinning = (name: string) =>
    writeFileSync(
      join(work, name),
      JSON.stringify({
        name: 'spinning',
        steps: [
          { name: 'spin', script: 'while (true) {}' },
          { name: 'after', script: '1' },
        ],
      }),
    );

  // The watching worker starts with the first script of the process that keeps the thread 250 ms (a
  // SIGTERM before it runs waits for the time limit, as before): a first step spins for a second to
  // give it time on a loaded machine, then the second spins until the signal.
  it('stops a spinning script at the first SIGTERM: the run ends interrupted, its report written', async () => {
    writeFileSync(
      join(work, 'spinning-sigterm.json'),
      JSON.stringify({
        name: 'spinning',
        steps: [
          { name: 'warm', script: 'const start = Date.now(); while (Date.now() - start < 1000) {}' },
          { name: 'spin', script: 'while (true) {}' },
          { name: 'after', script: '1' },
        ],
      }),
    );
    const out = join(work, 'out-spinning-sigterm');
    const run = startRun(
      ['spinning-sigterm.json', '--timeout-script', '600000', '-r', 'cli,json', '--out-dir', out],
      mkdtempSync(join(work, 'tmp-')),
    );
    await run.waitFor('✓ warm');
    await sleep(500);
    run.send('SIGTERM');
    const exit = await endsSoon(run);
    expect(exit.code, run.stderr()).toBe(1);
    expect(run.stdout()).toContain('Script interrupted: Script "spin" was stopped before it finished: the run was interrupted');
    expect(run.stdout()).toMatch(/- after\n/);
    expect(run.stdout()).toContain('INTERRUPTED');
    expect(run.stderr()).toContain('Interrupted (SIGTERM)');
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
    expect(report.status).toBe('interrupted');
  }, 20_000);

  it('stops a spinning script when the run reaches its --timeout, not at the script time limit', async () => {
    spinning('spinning-timeout.json');
    const out = join(work, 'out-spinning-timeout');
    const started = performance.now();
    const run = startRun(
      ['spinning-timeout.json', '--timeout', '1000', '--timeout-script', '600000', '-r', 'cli,json', '--out-dir', out],
      mkdtempSync(join(work, 'tmp-')),
    );
    const exit = await Promise.race([run.exited, sleep(15_000).then(() => undefined)]);
    if (exit === undefined) run.send('SIGKILL');
    expect(exit, 'still running 15 s after the start with --timeout 1000').toBeDefined();
    expect(exit?.code, run.stderr()).toBe(1);
    expect((exit?.at ?? 0) - started).toBeLessThan(15_000);
    expect(run.stdout()).toContain('Script interrupted: Script "spin" was stopped before it finished: the run was interrupted');
    expect(run.stdout()).toMatch(/- after\n/);
    expect(run.stderr()).toContain('Timed out: the run took longer than --timeout 1000 ms');
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
    expect(report).toMatchObject({ status: 'interrupted', timedOut: true });
  }, 30_000);

  // The same with a script that waits on a long timer: the wait ends at the signal, not at the timer.
  it('stops a script waiting on a timer at the first SIGINT', async () => {
    writeFileSync(
      join(work, 'waiting-script.json'),
      JSON.stringify({
        name: 'waiting',
        steps: [{ name: 'wait', script: 'await new Promise((resolve) => setTimeout(resolve, 500000));' }],
      }),
    );
    const run = startRun(['waiting-script.json', '--timeout-script', '600000'], mkdtempSync(join(work, 'tmp-')));
    await run.waitFor('▶ waiting');
    await sleep(300);
    run.send('SIGINT');
    expect((await endsSoon(run)).code, run.stderr()).toBe(1);
    expect(run.stdout()).toContain('Script interrupted: Script "wait" was stopped before it finished: the run was interrupted');
    expect(run.stdout()).toContain('INTERRUPTED');
  }, 20_000);

  it('stops on SIGTERM during a loop whose steps do no I/O', async () => {
    const run = startRun(['no-io-loop.json', '-q'], mkdtempSync(join(work, 'tmp-')));
    await run.waitFor('many[0] › unresolved');
    run.send('SIGTERM');
    expect((await endsSoon(run)).code).toBe(1);
    expect(run.stderr()).toContain('Interrupted (SIGTERM)');
    expect(run.stdout()).toContain('INTERRUPTED');
  }, 20_000);

  // --timeout stops the run as a signal does: its reports said "a signal (Ctrl-C, SIGTERM) stopped the run".
  it('says in the JSON and JUnit reports that --timeout stopped the run, not a signal', async () => {
    const temp = mkdtempSync(join(work, 'tmp-'));
    const out = join(temp, '..', 'out-timeout');
    const run = startRun(['first.json', 'second.json', '-r', 'json,junit', '--out-dir', out, '--timeout', '700'], temp);
    expect((await run.exited).code, run.stderr()).toBe(1);
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
    expect(ReportSchema.safeParse(report).success).toBe(true);
    expect(report).toMatchObject({ status: 'interrupted', timedOut: true });
    const junit = readFileSync(join(out, 'junit.xml'), 'utf8');
    const validation = await validateXML({ xml: [{ fileName: 'junit.xml', contents: junit }], schema: [XSD] });
    expect(validation.errors.map((e) => e.rawMessage)).toEqual([]);
    expect(junit).toContain(
      `<error message="the run reached its time limit before it finished" type="SORTIE_INTERRUPTED">Interrupted: the run's time limit (--timeout) stopped it; what did not run is reported as skipped</error>`,
    );
    expect(junit).not.toContain('a signal');
  }, 20_000);

  it('stops on SIGINT during --retry-failed reruns that do no I/O, and at --timeout', async () => {
    const run = startRun(['no-io-rerun.json', '--retry-failed', '100', '-q'], mkdtempSync(join(work, 'tmp-')));
    await run.waitFor('[attempt 2]');
    run.send('SIGINT');
    expect((await endsSoon(run)).code).toBe(1);
    expect(run.stdout()).toContain('INTERRUPTED');
    const timed = startRun(['no-io-loop.json', '-q', '--timeout', '500'], mkdtempSync(join(work, 'tmp-')));
    expect((await endsSoon(timed)).code).toBe(1);
    expect(timed.stderr()).toContain('Timed out: the run took longer than --timeout 500 ms');
  }, 20_000);

  it('quits at once on a second signal while a teardown script spins (well under the 5 s script time limit)', async () => {
    const temp = mkdtempSync(join(work, 'tmp-'));
    const run = startRun(['spin.json', '-r', 'cli'], temp);
    await run.waitFor('✓ fast');
    await sleep(200);
    run.send('SIGINT'); // during the slow request: it is cut, and the teardown's script then spins
    await sleep(2500);
    const sent = performance.now();
    run.send('SIGINT');
    const exit = await run.exited;
    expect(exit.signal).toBe('SIGINT');
    expect(exit.at - sent).toBeLessThan(1500);
    expect(run.stderr()).toContain('Interrupted: finishing the current step (Ctrl-C again to quit now)');
  }, 20_000);
});
