/**
 * The live screen on a real pseudo-terminal (`script` from util-linux runs the CLI with a tty as
 * stdout): the status area (running step and its elapsed time, counters, progress bar with ETA, one
 * line per --parallel slot) is drawn under the lines and erased before the summary. The raw output is
 * replayed through a small model of the two control sequences the reporter uses, and the frames are
 * normalised (spinner, clocks, durations, ports) into a golden. A pipe gets no escape code at all.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type FixtureServer, startFixtureServer } from '@sortie/fixtures';
import { CLI, ensureBuilt, goldenIn, normaliseText, ROOT } from '@sortie/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const golden = goldenIn(join(import.meta.dirname, 'golden', 'live'));
let api: FixtureServer;
let work: string;
let haveScript = true;

beforeAll(async () => {
  ensureBuilt();
  api = await startFixtureServer();
  work = mkdtempSync(join(tmpdir(), 'sortie-live-'));
  haveScript = await new Promise((done) => execFile('script', ['--version'], (error) => done(error === null)));
  if (!haveScript) {
    if (process.env.CI !== undefined) throw new Error('script (util-linux) is needed for the pseudo-terminal tests');
    console.warn('skipping the pseudo-terminal tests: script (util-linux) is not installed');
  }
});
afterAll(async () => {
  await api.close();
  rmSync(work, { recursive: true, force: true });
});

function write(name: string, value: unknown): string {
  const file = join(work, name);
  writeFileSync(file, JSON.stringify(value, null, 2));
  return file;
}

/** Runs the CLI with a pseudo-terminal as stdout (80 columns), colours off; resolves with the raw bytes written. */
function runOnTerminal(args: string[], extraEnv: Record<string, string> = {}): Promise<string> {
  const quoted = [process.execPath, CLI, ...args].map((arg) => `'${arg.replaceAll("'", "'\\''")}'`).join(' ');
  const { CI: _ci, FORCE_COLOR: _force, ...env } = process.env;
  return new Promise((resolve, reject) => {
    execFile(
      'script',
      ['-qfec', `stty cols 80 rows 40; ${quoted}`, '/dev/null'],
      { cwd: ROOT, env: { ...env, NO_COLOR: '1', TERM: 'xterm', ...extraEnv }, encoding: 'utf8' },
      (error, stdout) => (error !== null && typeof error.code !== 'number' ? reject(error) : resolve(stdout)),
    ).on('error', reject);
  });
}

/**
 * Replays the output: plain lines append to the screen, `ESC [ n F` moves up n lines, `ESC [ J` erases
 * below. Returns the final screen and every status area drawn, normalised and without consecutive repeats.
 */
function replay(raw: string): { screen: string; frames: string[] } {
  const screen: string[] = [];
  let row = 0;
  const frames: string[] = [];
  let statusFrom = 0;
  const normalise = (text: string) =>
    normaliseText(text, api.port)
      .replace(/[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏]/g, '*')
      .replace(/(?<= )\d+:\d\d(?=$|\s)/gm, 'M:SS')
      .replaceAll(work, 'WORK');
  const tokens = raw.replace(/\r\n/g, '\n').split(/(\u001b\[\d+F|\u001b\[J|\n)/);
  let line = '';
  // The status area is what follows the last spinner line drawn (lines printed with it come before it);
  // a redraw by the timer alone gives the same area again once normalised, and is dropped.
  const snapshot = () => {
    const drawn = normalise(screen.slice(statusFrom, row).join('\n')).split('\n');
    const start = drawn.findLastIndex((text) => text.startsWith('* '));
    if (start === -1) return;
    const frame = drawn.slice(start).join('\n');
    if (frames.at(-1) !== frame) frames.push(frame);
  };
  for (const token of tokens) {
    const up = /^\u001b\[(\d+)F$/.exec(token);
    if (up !== null) {
      snapshot();
      row -= Number(up[1]);
      statusFrom = row;
    } else if (token === '\u001b[J') screen.length = row;
    else if (token === '\n') {
      screen[row++] = line;
      line = '';
    } else line += token;
  }
  // After the last erase come the summary lines: the final screen shows them.
  return { screen: normalise(screen.slice(0, row).join('\n')), frames };
}

describe('live screen', () => {
  it('draws the running step, counters and progress on a terminal, and leaves only the lines and the summary', async (context) => {
    if (!haveScript) return context.skip();
    const file = write('live.json', {
      name: 'Live',
      steps: [
        { name: 'first', request: { url: `${api.url}/slow?ms=300` } },
        {
          name: 'pages',
          loop: {
            count: 2,
            steps: [{ name: 'page', request: { url: `${api.url}/echo?page={{index}}` }, post: [{ assert: { status: { equals: 200 } } }] }],
          },
        },
        { name: 'broken', request: { url: `${api.url}/status/500` }, post: [{ assert: { status: { equals: 200 } } }] },
      ],
    });
    const raw = await runOnTerminal(['run', file, '-n', '2']);
    expect(raw).toContain('\u001b[J');
    const { screen, frames } = replay(raw);
    golden('sequential.screen', `${screen}\n`);
    golden('sequential.frames', `${frames.join('\n\n')}\n`);
    // Every frame has the counters line; the progress bar counts the leaf steps: 2 iterations × (1 + 2 loop passes + 1).
    for (const frame of frames)
      expect(frame).toMatch(/^\* M:SS {2}✓ \d+ {2}✗ \d+ {2}! \d+ {2}\d+ requests?\n {2}[█░]{24} \d+% {2}\d\/8 steps/);
    expect(frames.some((frame) => frame.includes('▸ first  M:SS'))).toBe(true);
    expect(frames.some((frame) => frame.includes('ETA M:SS'))).toBe(true);
    // The steps inside the loop move the bar too: a frame shows the run between two top-level steps.
    expect(frames.some((frame) => /\b[2-3]\/8 steps/.test(frame))).toBe(true);
  });

  it('shows one line per --parallel slot while scenario runs overlap', async (context) => {
    if (!haveScript) return context.skip();
    const slow = (name: string) =>
      write(`${name}.json`, { name, steps: [{ name: `${name} waits`, request: { url: `${api.url}/slow?ms=800` } }] });
    const raw = await runOnTerminal(['run', slow('alpha'), slow('beta'), '--parallel', '2']);
    const { screen, frames } = replay(raw);
    expect(frames.some((frame) => frame.includes('▸ alpha waits') && frame.includes('▸ beta waits'))).toBe(true);
    expect(screen).toContain('Scenarios   2 passed');
    expect(screen).not.toContain('▸');
  });

  it('writes no escape code to a pipe or with --silent; CI=1 on a terminal gets plain lines', async (context) => {
    const file = write('plain.json', { name: 'Plain', steps: [{ name: 'ok', request: { url: `${api.url}/echo` } }] });
    // Neither NO_COLOR nor FORCE_COLOR: the CLI decides from stdout alone, a pipe here.
    const { NO_COLOR: _no, FORCE_COLOR: _force, CI: _ci, ...env } = process.env;
    const piped = await new Promise<string>((resolve, reject) =>
      execFile(process.execPath, [CLI, 'run', file], { cwd: ROOT, env }, (error, stdout) =>
        error === null ? resolve(stdout) : reject(error),
      ),
    );
    expect(piped).toContain('PASSED');
    expect(piped).not.toContain('\u001b');
    if (!haveScript) return context.skip();
    expect(await runOnTerminal(['run', file, '--silent'])).toBe('');
    const ci = await runOnTerminal(['run', file, '--env-var', 'x=1'], { CI: 'true' });
    expect(ci).not.toContain('\u001b');
    expect(ci).toContain('PASSED');
  });
  it('colours a terminal unless FORCE_COLOR is 0 or false, as Node and chalk read it', async (context) => {
    if (!haveScript) return context.skip();
    const file = write('colours.json', { name: 'Colours', steps: [{ name: 'ok', request: { url: `${api.url}/echo` } }] });
    // An SGR colour (foreground 30–37 or 39): the cursor moves of the live screen are not colours.
    const colour = /\u001b\[3\dm/;
    const coloured = await runOnTerminal(['run', file], { NO_COLOR: '' });
    expect(coloured).toMatch(colour);
    for (const value of ['0', 'false', 'FALSE']) {
      const plain = await runOnTerminal(['run', file], { NO_COLOR: '', FORCE_COLOR: value });
      expect(plain).toContain('PASSED');
      expect(plain, `FORCE_COLOR=${value}`).not.toMatch(colour);
    }
  });
});
