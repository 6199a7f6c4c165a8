import { existsSync, readdirSync, statSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ErrorCode, emptyTotals, Redactor, type RunEvent } from '@sortie/core';
import { goldenIn } from '@sortie/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatBodyText } from '../src/html/render-body.js';
import { createHtmlReporter, dispatchEvent, escapeHtml } from '../src/index.js';
import { feed } from './support/drive.js';
import { containerStep, failedAssertion, requestStep, type ScenarioPlan, sequentialRun, T0 } from './support/events.js';
import { driveHtml, normaliseHtml, pageText } from './support/html.js';
import { failuresPlan, iterationPlan, loadErrorPlan, nestedPlan, passingPlan } from './support/plans.js';

const expectGolden = goldenIn(join(import.meta.dirname, 'golden'));

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sortie-html-test-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function listSpoolDirs(): string[] {
  return readdirSync(tmpdir()).filter((name) => name.startsWith('sortie-html-') && !name.startsWith('sortie-html-test-'));
}

/** The ids of the `<li class="step">` elements, in document order. */
function stepIds(html: string): string[] {
  return [...html.matchAll(/<li class="step [^"]*" id="([^"]*)"/g)].map((m) => m[1] as string);
}

describe('HTML reporter', () => {
  it('writes one self-contained page: summary first, then every step, no network', async () => {
    const html = await driveHtml(dir, 'passing', sequentialRun([passingPlan()]), { environment: 'staging' });
    expect(html.startsWith('<!DOCTYPE html>\n<html lang="en">')).toBe(true);
    expect(html).not.toMatch(/<(link|img|iframe)\b|\bsrc=|https?:\/\/(?!127\.0\.0\.1)/);
    expect(html.indexOf('id="summary"')).toBeLessThan(html.indexOf('class="scenario'));
    const text = pageText(html);
    expect(text).toContain('Environment staging');
    expect(text).toContain('Steps 2 (2 passed, 0 failed, 0 errored, 0 skipped)');
    expect(stepIds(html)).toEqual(['s-scenarios-users-json.0', 's-scenarios-users-json.1']);
    expect(html).toContain('href="#s-scenarios-users-json.1"');
    expectGolden('html-passing.html', normaliseHtml(html));
  });

  it('writes only the content with fragment: the page without its head, style and script (the step view of the dashboard)', async () => {
    const events = sequentialRun([failuresPlan(), loadErrorPlan()]);
    const page = await driveHtml(dir, 'fragment-page', events);
    const fragment = await driveHtml(dir, 'fragment', events, { fragment: true });
    // Content inside the dashboard's run page, which has its own <h1> and <main>: neither here.
    expect(fragment.startsWith('<section id="summary"><h2>Summary</h2>\n<p class="tool">sortie 1.2.3</p>')).toBe(true);
    expect(fragment.endsWith('</div>\n')).toBe(true);
    expect(fragment).not.toMatch(/<(style|script|html|head|body|header|h1|main)\b/);
    // The same markup as the page's, between its header and its script, but for the tool line and the scenarios' element.
    const start = page.indexOf('<section id="summary">');
    const asPage = fragment
      .replace('<h2>Summary</h2>\n<p class="tool">sortie 1.2.3</p>', '<h2>Summary</h2>\n')
      .replace('<div id="scenarios">', '<main id="scenarios">')
      .replace(/<\/div>\n$/, '</main>\n');
    expect(page.slice(start, start + asPage.length)).toBe(asPage);
    expect(page.slice(start + asPage.length)).toMatch(/^<script>[\s\S]*<\/script>\n<\/body>\n<\/html>\n$/);
  });

  it('shows failures and errors outside the collapsed details, escaped, with retries and console output', async () => {
    const html = await driveHtml(dir, 'failures', sequentialRun([failuresPlan(), loadErrorPlan()]));
    const text = pageText(html);
    expect(html).toContain('get order &lt;#1&gt; &amp; &quot;friends&quot;');
    expect(html).not.toContain('<#1>');
    // A control character is shown, not written raw.
    expect(html).toContain('was null\\x01\\x1b[31m ☕');
    expect(html).toMatch(/<\/details><ul class="problems"><li class="failure">✗ status equals: expected 200 but was 404<\/li>/);
    expect(text).toContain('Connection refused : connect ECONNREFUSED 127.0.0.1:1');
    expect(text).toContain('hint: is the server running?');
    expect(html).toContain('<section class="attempts">');
    expect(text).toContain('slow login:\nsecond line');
    expect(text).toContain('Invalid scenario : expected an array at $.steps');
    expect(text).toContain('at scenarios/broken.json:3:12 ($.steps)');
    expect(stepIds(html)).toEqual([
      's-scenarios-orders-more-json.0',
      's-scenarios-orders-more-json.1',
      's-scenarios-orders-more-json.2',
      's-scenarios-orders-more-json.2.0',
      's-scenarios-orders-more-json.2.1',
      's-scenarios-orders-more-json.3',
      's-scenarios-orders-more-json.3.0',
      's-scenarios-orders-more-json.3.1',
      's-scenarios-orders-more-json.4',
    ]);
    expectGolden('html-failures.html', normaliseHtml(html));
  });

  it("never skips a heading level (a step's Request, Response, Assertions… were <h4> under a scenario's <h2>)", async () => {
    const html = await driveHtml(dir, 'headings', sequentialRun([failuresPlan()]));
    const levels = [...html.matchAll(/<h([1-6])[ >]/g)].map((m) => Number(m[1]));
    expect(levels).toContain(3);
    const skips = levels.filter((level, i) => i > 0 && level > (levels[i - 1] as number) + 1);
    expect(skips).toEqual([]);
  });

  it('keeps the iterations of a data-driven run apart, each with its own anchors', async () => {
    const html = await driveHtml(dir, 'iterations', sequentialRun([iterationPlan(0), iterationPlan(1)]));
    expect(stepIds(html)).toEqual(['s-scenarios-data-json-0.0', 's-scenarios-data-json-1.0']);
    expect(pageText(html)).toContain('Iterations 2');
    expect(html).toContain('Data driven [iteration 1]');
    expectGolden('html-iterations.html', normaliseHtml(html));
  });

  it('gives scenario files named in other scripts anchors of their own (用户.json and 订单.json were both #s-scenarios-json)', async () => {
    const users = { ...passingPlan(), name: '用户', file: 'scenarios/用户.json' };
    const orders = { ...passingPlan(), name: '订单', file: 'scenarios/订单.json' };
    const html = await driveHtml(dir, 'unicode-files', sequentialRun([users, orders]));
    const sections = [...html.matchAll(/<section class="scenario[^"]*" id="([^"]*)"/g)].map((m) => m[1]);
    expect(sections).toEqual(['s-scenarios-用户-json', 's-scenarios-订单-json']);
    expect(stepIds(html)).toEqual([
      's-scenarios-用户-json.0',
      's-scenarios-用户-json.1',
      's-scenarios-订单-json.0',
      's-scenarios-订单-json.1',
    ]);
    expect(html).toContain('href="#s-scenarios-订单-json"');
  });

  it('gives files whose anchors would be equal ids of their own (a b.json and a-b.json were both #s-scenarios-a-b-json)', async () => {
    const spaced = { ...passingPlan(), name: 'spaced', file: 'scenarios/a b.json' };
    const dashed = { ...passingPlan(), name: 'dashed', file: 'scenarios/a-b.json' };
    const dotted = { ...passingPlan(), name: 'dotted', file: 'scenarios/a.b.json' };
    const html = await driveHtml(dir, 'colliding-files', sequentialRun([spaced, dashed, dotted]));
    const sections = [...html.matchAll(/<section class="scenario[^"]*" id="([^"]*)"/g)].map((m) => m[1]);
    expect(sections).toEqual(['s-scenarios-a-b-json', 's-scenarios-a-b-json~2', 's-scenarios-a-b-json~3']);
    expect(stepIds(html)).toEqual([
      's-scenarios-a-b-json.0',
      's-scenarios-a-b-json.1',
      's-scenarios-a-b-json~2.0',
      's-scenarios-a-b-json~2.1',
      's-scenarios-a-b-json~3.0',
      's-scenarios-a-b-json~3.1',
    ]);
    const links = [...html.matchAll(/<td><a href="#([^"]*)">([^<]*)<\/a>/g)].map((m) => [m[1], m[2]]);
    expect(links).toEqual([
      ['s-scenarios-a-b-json', 'spaced'],
      ['s-scenarios-a-b-json~2', 'dashed'],
      ['s-scenarios-a-b-json~3', 'dotted'],
    ]);
  });

  it('shows bidirectional overrides as \\uXXXX: raw, one in a step name reversed the request and status after it on the step line', async () => {
    const plan = {
      name: 'bidi \u202e scenario',
      file: 'scenarios/bidi.json',
      steps: [
        requestStep({
          id: '0',
          name: 'download \u202e',
          url: 'http://127.0.0.1:4010/files/\u2067x\u2069',
          responseBody: '{"f":"\u202dtxt.exe"}',
        }),
      ],
    };
    const html = await driveHtml(dir, 'bidi', sequentialRun([plan]));
    expect(html).not.toMatch(/[\u202a-\u202e\u2066-\u2069]/);
    expect(html).toContain('<span class="name">download \\u202e</span>');
    expect(html).toContain('/files/\\u2067x\\u2069');
    expect(html).toContain('\\u202dtxt.exe');
    expect(escapeHtml('a\u202eb')).toBe('a\\u202eb');
  });

  it('shows DEL, the C1 controls and U+FFFE/U+FFFF as \\xNN / \\uXXXX, as the CLI does (they showed as empty boxes)', () => {
    expect(escapeHtml('a\u007fb\u0085c\u009b31md\ufffee\uffff')).toBe('a\\x7fb\\x85c\\x9b31md\\ufffee\\uffff');
    expect(escapeHtml('\u00a0é\ufffd')).toBe('\u00a0é\ufffd');
  });

  it('nests groups, if branches, loop passes and their steps as the JSON report does', async () => {
    const html = await driveHtml(dir, 'nested', sequentialRun([nestedPlan()]));
    const ids = stepIds(html).map((id) => id.replace('s-scenarios-nested-json.', ''));
    expect(ids).toEqual(['0', '0.0', '0.1', '0.1.0', '1', '1.0', '1.0.0', '1.0.1', '1.1', '1.1.0', '1.1.1', '2', '3']);
    // Children sit inside their container's list.
    const loop = html.slice(html.indexOf('id="s-scenarios-nested-json.1"'), html.indexOf('id="s-scenarios-nested-json.2"'));
    expect(loop).toContain('id="s-scenarios-nested-json.1.1.0"');
    expect(loop).toContain('expected true but was false');
    expect(html).toContain('No steps ran.');
    expectGolden('html-nested.html', normaliseHtml(html));
  });

  it('gives each run of a step that setNextRequest runs again an element id of its own (steps inside a group run again too)', async () => {
    const poll = () => requestStep({ id: '1', name: 'poll' });
    const group = () => containerStep('2', 'checks', 'group', [requestStep({ id: '2.0', name: 'check', path: ['checks'] })]);
    const steps = [
      requestStep({ id: '0', name: 'start' }),
      poll(),
      poll(),
      poll(),
      group(),
      group(),
      requestStep({ id: '3', name: 'done' }),
    ];
    const plan: ScenarioPlan = { name: 'jumps', file: 'jumps.json', steps };
    for (const options of [{}, { nestedOnly: ['2'] }]) {
      const html = await driveHtml(dir, 'jumps', sequentialRun([{ ...plan, ...options }]));
      const ids = stepIds(html).map((id) => id.replace('s-jumps-json.', ''));
      expect(ids).toEqual(['0', '1', '1~2', '1~3', '2', '2.0', '2~2', '2~2.0', '3']);
      expect(html).toContain('href="#s-jumps-json.1~3"');
      expect(html).toContain('href="#s-jumps-json.2~2.0"');
    }
  });

  it('collapses a passed container of many steps, but not a failed one', async () => {
    const passes = (top: string, failAt: number) =>
      Array.from({ length: 30 }, (_, n) =>
        containerStep(`${top}.${n}`, `loop[${n}]`, 'iteration', [
          requestStep({
            id: `${top}.${n}.0`,
            name: 'tick',
            path: [`loop[${n}]`],
            status: n === failAt ? 'failed' : 'passed',
            assertions: n === failAt ? [failedAssertion('status', 'equals', 201, 200, 'expected 201 but was 200')] : [],
          }),
        ]),
      );
    const plan: ScenarioPlan = {
      name: 'loops',
      file: 'loops.json',
      steps: [containerStep('0', 'quiet', 'loop', passes('0', -1)), containerStep('1', 'noisy', 'loop', passes('1', 7))],
    };
    const html = await driveHtml(dir, 'collapse', sequentialRun([plan]));
    expect(html).toMatch(/id="s-loops-json\.0"[^>]*><details><summary>/);
    expect(html).toMatch(/id="s-loops-json\.1"[^>]*><details open><summary>/);
  });

  it('redacts secrets everywhere, in raw and HTML-entity forms', async () => {
    const secrets = ['s3cr&t<tok>"x', "it's-a-p&ss", 'plainsecret42'];
    const redactor = new Redactor();
    for (const secret of secrets) redactor.add(secret);
    const [amp, quote, plain] = secrets as [string, string, string];
    const step = requestStep({
      id: '0',
      name: `login ${plain}`,
      url: `http://127.0.0.1:4010/login?key=${encodeURIComponent(amp)}`,
      requestHeaders: [['x-token', amp]],
      responseBody: JSON.stringify({ token: amp, other: quote, html: escapeHtml(amp) }),
      status: 'failed',
      assertions: [failedAssertion('jsonpath $.token', 'equals', plain, amp, `expected ${plain} but was ${amp}`)],
      error: { code: ErrorCode.AUTH, title: 'Auth failed', message: `rejected ${quote}` },
    });
    step.logs = [{ level: 'log', message: `token is ${amp}` }];
    step.db = [
      {
        connection: 'main',
        operation: 'SELECT ?',
        durationMs: 1,
        result: { text: JSON.stringify([{ p: quote }]), size: 20, truncated: false },
      },
    ];
    const plan: ScenarioPlan = { name: `Secrets ${plain}`, file: 'secrets.json', steps: [step] };
    const html = await driveHtml(dir, 'redacted', sequentialRun([plan]), { redactor });
    for (const secret of secrets) {
      expect(html).not.toContain(secret);
      expect(html).not.toContain(escapeHtml(secret));
      expect(html).not.toContain(escapeHtml(JSON.stringify(secret).slice(1, -1)));
      expect(html).not.toContain(encodeURIComponent(secret));
      expect(pageText(html)).not.toContain(secret);
    }
    expect(html).toContain('[REDACTED]');
    expect(pageText(html)).toContain('rejected [REDACTED]');
  });

  it('pretty-prints JSON and indents XML bodies', () => {
    expect(formatBodyText('{"a":[1,{"b":"c"}]}')).toBe('{\n  "a": [\n    1,\n    {\n      "b": "c"\n    }\n  ]\n}');
    expect(formatBodyText('<?xml version="1.0"?><a><b>x</b><c/></a>', 'application/xml')).toBe(
      '<?xml version="1.0"?>\n<a>\n  <b>x</b>\n  <c/>\n</a>',
    );
    expect(formatBodyText('{not json', 'application/json')).toBe('{not json');
    expect(formatBodyText('plain text', 'text/plain')).toBe('plain text');
  });

  it('shows deeply nested JSON as it came: pretty-printing indents every line by its depth (8 KB nested 4,000 deep became 32 MB)', () => {
    const deep = `${'['.repeat(4000)}1${']'.repeat(4000)}`;
    expect(formatBodyText(deep, 'application/json')).toBe(deep);
    // Nested within the limit, still pretty-printed.
    const nested = `${'['.repeat(100)}1${']'.repeat(100)}`;
    expect(formatBodyText(nested, 'application/json')).toBe(JSON.stringify(JSON.parse(nested), null, 2));
    // Shallow enough, but every one of many small values on a line of its own, 200 spaces in: as it came.
    const wide = `${'['.repeat(100)}${'0,'.repeat(5000)}0${']'.repeat(100)}`;
    expect(formatBodyText(wide, 'application/json')).toBe(wide);
    // Brackets inside strings are not nesting.
    const inString = JSON.stringify({ a: '['.repeat(500) });
    expect(formatBodyText(inString)).toBe(JSON.stringify({ a: '['.repeat(500) }, null, 2));
  });

  it('shows deeply nested XML as it came: 10 KB of <a> nested 1,460 deep became 4.3 MB once indented', () => {
    const deep = `${'<a>'.repeat(1460)}x${'</a>'.repeat(1460)}`;
    expect(formatBodyText(deep, 'application/xml')).toBe(deep);
    const nested = `<?xml version="1.0"?>${'<a>'.repeat(50)}x${'</a>'.repeat(50)}`;
    expect(formatBodyText(nested, 'application/xml').split('\n')).toHaveLength(100);
  });

  it('streams steps to a temporary file while the run goes on and removes it when closed', async () => {
    const before = new Set(listSpoolDirs());
    const big = 'x'.repeat(40 * 1024);
    const plan: ScenarioPlan = {
      name: 'big',
      file: 'big.json',
      steps: [0, 1, 2].map((i) => requestStep({ id: String(i), name: `big ${i}`, responseBody: `{"b":"${big}"}` })),
    };
    const file = join(dir, 'spool', 'report.html');
    const reporter = createHtmlReporter({ file });
    const events = sequentialRun([plan]);
    const secondEnd = events.findIndex((e) => e.type === 'step:end' && e.result.id === '1');
    for (const event of events.slice(0, secondEnd + 1)) dispatchEvent([reporter], event);
    const spoolDirs = listSpoolDirs().filter((name) => !before.has(name));
    expect(spoolDirs).toHaveLength(1);
    const spoolDir = join(tmpdir(), spoolDirs[0] as string);
    expect((await readdir(spoolDir)).length).toBeGreaterThan(0);
    expect(existsSync(file)).toBe(false);
    for (const event of events.slice(secondEnd + 1)) dispatchEvent([reporter], event);
    await reporter.close?.();
    expect(existsSync(spoolDir)).toBe(false);
    expect(stepIds(await readFile(file, 'utf8'))).toEqual(['s-big-json.0', 's-big-json.1', 's-big-json.2']);
  });

  it('assembles a page of 100,000 steps, streamed through a temporary file, without keeping them in memory', async () => {
    const count = 100_000;
    const file = join(dir, 'many', 'report.html');
    const reporter = createHtmlReporter({ file });
    const before = new Set(listSpoolDirs());
    const heapBefore = process.memoryUsage().heapUsed;
    let peak = 0;
    let spooled = 0;
    // Events are made one at a time, as the engine does: only the reporter keeps anything.
    dispatchEvent([reporter], { type: 'run:start', startedAt: T0, files: ['many.json'] });
    dispatchEvent([reporter], { type: 'scenario:start', name: 'many', file: 'many.json' });
    for (let i = 0; i < count; i++) {
      const step = requestStep({ id: String(i), name: `step ${i}`, responseBody: `{"i":${i}}` });
      dispatchEvent([reporter], { type: 'step:start', id: step.id, name: step.name, kind: step.kind, path: [], scenario: 'many.json' });
      dispatchEvent([reporter], { type: 'step:end', scenario: 'many.json', result: step });
      if (i % 10_000 === 9_999) {
        peak = Math.max(peak, process.memoryUsage().heapUsed - heapBefore);
        const spoolDir = join(tmpdir(), listSpoolDirs().find((name) => !before.has(name)) ?? 'missing');
        spooled = (await readdir(spoolDir)).reduce((sum, name) => sum + statSync(join(spoolDir, name)).size, 0);
      }
    }
    const totals = { ...emptyTotals(), steps: count, requests: count, passed: count };
    const scenario = { name: 'many', file: 'many.json', status: 'passed' as const, startedAt: T0, durationMs: 1, totals };
    dispatchEvent([reporter], { type: 'scenario:end', result: scenario });
    dispatchEvent([reporter], {
      type: 'run:end',
      result: { status: 'passed', startedAt: T0, durationMs: 1, totals, scenarios: [scenario] },
    });
    await reporter.close?.();
    const size = statSync(file).size;
    expect(spooled).toBeGreaterThan(size * 0.9);
    // The steps' markup sat on disk, not in the reporter's memory.
    expect(peak).toBeLessThan(size / 2);
    const tail = (await readFile(file, 'utf8')).slice(-20_000);
    expect(tail).toContain('id="s-many-json.99999"');
    expect(tail.endsWith('</html>\n')).toBe(true);
  }, 120_000);

  it('writes the scenario runs that ended when closed before the run ended', async () => {
    const events = sequentialRun([passingPlan(), failuresPlan()]);
    const cut = events.findIndex((e) => e.type === 'scenario:start' && e.name.startsWith('Orders'));
    const file = join(dir, 'interrupted', 'report.html');
    await feed(createHtmlReporter({ file }), events.slice(0, cut + 3));
    const html = await readFile(file, 'utf8');
    expect(stepIds(html)).toEqual(['s-scenarios-users-json.0', 's-scenarios-users-json.1']);
    expect(pageText(html)).toContain('Steps 2 (2 passed');
  });

  it('says when the run time limit stopped an interrupted run', async () => {
    const events = sequentialRun([passingPlan()]);
    const end = events.at(-1) as Extract<RunEvent, { type: 'run:end' }>;
    const interrupted = { ...end.result, status: 'interrupted' as const };
    const signalled = await driveHtml(dir, 'stopped-signal', [...events.slice(0, -1), { type: 'run:end', result: interrupted }]);
    expect(pageText(signalled)).not.toContain('Stopped by');
    const timedOut = { ...interrupted, timedOut: true as const };
    const html = await driveHtml(dir, 'stopped-timeout', [...events.slice(0, -1), { type: 'run:end', result: timedOut }]);
    expect(pageText(html)).toContain("Stopped by the run's time limit (--timeout)");
  });

  it('says CANCELLED, and stopped by a cancel, for a run cancelled on a server (it said INTERRUPTED)', async () => {
    const events = sequentialRun([passingPlan()]);
    const end = events.at(-1) as Extract<RunEvent, { type: 'run:end' }>;
    const cancelled = { ...end.result, status: 'interrupted' as const, cancelled: true as const };
    const html = await driveHtml(dir, 'stopped-cancel', [...events.slice(0, -1), { type: 'run:end', result: cancelled }]);
    expect(html).toContain('<title>Sortie report — cancelled</title>');
    expect(pageText(html)).toContain('Sortie report CANCELLED');
    expect(pageText(html)).not.toContain('INTERRUPTED');
    expect(pageText(html)).toContain('Stopped by a cancel (sortie run --remote interrupted, or the server cancelled the run)');
  });

  it('rejects with SORTIE_USAGE when the page cannot be written', async () => {
    await driveHtml(dir, 'blocker', sequentialRun([passingPlan()]));
    const reporter = createHtmlReporter({ file: join(dir, 'blocker', 'report.html', 'x.html') });
    for (const event of sequentialRun([passingPlan()])) dispatchEvent([reporter], event);
    await expect(reporter.close?.()).rejects.toMatchObject({ code: ErrorCode.USAGE });
  });
});
