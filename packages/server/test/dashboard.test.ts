/**
 * The dashboard's server-rendered markup (golden files, from fixed records: no time or port to
 * normalise), its escaping, its live progress messages and its sessions. The pages in a browser,
 * against real processes, are in runner/test/dashboard.test.ts.
 */
import { join } from 'node:path';
import { type AgentStatus, emptyCounts, type StreamEntry } from '@sortie/agent';
import type { RunEvent, StepResult } from '@sortie/core';
import { goldenIn } from '@sortie/testkit';
import { describe, expect, it } from 'vitest';
import { Html, html, trusted } from '../src/dashboard/html.js';
import { formatSse, LiveProgress } from '../src/dashboard/live-progress.js';
import { renderAgentsPage } from '../src/dashboard/pages/agents-page.js';
import type { Viewer } from '../src/dashboard/pages/layout.js';
import { renderLoginPage } from '../src/dashboard/pages/login-page.js';
import { type RunPageData, renderRunPage } from '../src/dashboard/pages/run-page.js';
import { renderRunsPage } from '../src/dashboard/pages/runs-page.js';
import { renderSchedulesPage } from '../src/dashboard/pages/schedules-page.js';
import { csrfMatches, DashboardSessions } from '../src/dashboard/sessions.js';
import type { RunRecord, ScheduleRecord } from '../src/store/store.js';

const expectGolden = goldenIn(join(import.meta.dirname, 'golden', 'dashboard'));
const NOW = Date.UTC(2026, 11, 3, 18, 0, 0);
const XSS = '<img src=x onerror="alert(1)">';
const viewers: Record<'read' | 'submit' | 'admin', Viewer> = {
  read: { tokenName: 'ci <b>reader</b>', scope: 'read', csrf: 'csrf-read' },
  submit: { tokenName: 'ci submitter', scope: 'submit', csrf: 'csrf-submit' },
  admin: { tokenName: 'ops', scope: 'admin', csrf: 'csrf-admin' },
};

function runRecord(id: string, patch: Partial<RunRecord>): RunRecord {
  return {
    id: `${id}-0000-4000-8000-000000000000`,
    status: 'passed',
    trigger: 'remote',
    pool: 'default',
    planId: 'plan-1',
    options: {},
    attempt: 1,
    createdAt: NOW - 60_000,
    reports: [],
    ...patch,
  };
}

const counts = (failed: number) => ({ scenarios: 2, steps: 12, requests: 10, passed: 12 - failed, failed, errored: 0, skipped: 0 });
const runs: RunRecord[] = [
  runRecord('aaaaaaaa', { status: 'queued', pool: 'eu-west' }),
  runRecord('bbbbbbbb', { status: 'running', agent: 'agent-1', startedAt: NOW - 5_000 }),
  runRecord('cccccccc', {
    status: 'failed',
    trigger: 'schedule',
    scheduleId: 'sched-1',
    agent: `agent-${XSS}`,
    startedAt: NOW - 50_000,
    endedAt: NOW - 47_500,
    counts: counts(2),
    reports: ['report.json', 'junit.xml'],
  }),
  runRecord('dddddddd', {
    status: 'error',
    trigger: 'api',
    planId: 'plan-2',
    agent: 'agent-2',
    attempt: 2,
    startedAt: NOW - 3_700_000,
    endedAt: NOW - 3_580_000,
    message: 'agent lost: the agents running it stopped answering, and it was not handed on again',
    counts: { scenarios: 0, steps: 0, requests: 0, passed: 0, failed: 0, errored: 0, skipped: 0 },
  }),
];
const planNames = new Map([
  ['plan-1', 'orders.json, users.json'],
  ['plan-2', XSS],
]);
const schedules: ScheduleRecord[] = [
  {
    id: 'sched-1',
    name: `Nightly ${XSS}`,
    planId: 'plan-1',
    cron: '0 3 * * *',
    pool: 'default',
    options: {},
    paused: false,
    createdAt: NOW,
  },
  { id: 'sched-2', name: 'Every 15 min', planId: 'plan-2', every: 900_000, pool: 'edge', options: {}, paused: true, createdAt: NOW },
];

describe('dashboard pages', () => {
  it('renders the run list with its filter, paging and everything user-made escaped', () => {
    const page = renderRunsPage({
      version: 'test',
      viewer: viewers.read,
      runs,
      total: 60,
      filter: { status: 'failed', pool: 'a"b', page: 2 },
      planNames,
      scheduleNames: new Map(schedules.map((s) => [s.id, s.name])),
      now: NOW,
    });
    expect(page).not.toContain('<img');
    expect(page).not.toContain('<b>');
    expect(page).toContain('href="/?status=failed&amp;pool=a%22b"');
    expect(page).toContain('Runs 26–29 of 60 · page 2 of 3');
    expectGolden('runs.html', page);
  });

  it('counts one of a kind in the singular: 1 scenario, 1 step, 1 request (not "1 scenarios")', () => {
    const one = runRecord('eeeeeeee', {
      status: 'passed',
      agent: 'agent-1',
      startedAt: NOW - 2_000,
      endedAt: NOW - 1_000,
      counts: { scenarios: 1, steps: 1, requests: 1, passed: 1, failed: 0, errored: 0, skipped: 0 },
    });
    const list = renderRunsPage({
      version: 'test',
      viewer: viewers.read,
      runs: [one],
      total: 1,
      filter: { page: 1 },
      planNames,
      scheduleNames: new Map(),
      now: NOW,
    });
    expect(list).toContain('title="1 scenario, 1 step, 1 request">1 step: ');
    const page = renderRunPage({ version: 'test', viewer: viewers.read, run: one, planName: 'orders.json', now: NOW });
    expect(page).toContain('1 scenario, 1 step (1 passed, 0 failed, 0 errored, 0 skipped), 1 request');
    expect(`${list}${page}`).not.toMatch(/\b1 (scenarios|steps|requests)\b/);
  });

  it('renders a finished run with its step view and downloads, and an open one with its live section and controls by scope', () => {
    const finished = renderRunPage({
      version: 'test',
      viewer: viewers.read,
      run: runs[2] as RunRecord,
      planName: 'orders.json, users.json',
      scheduleName: `Nightly ${XSS}`,
      view: '<section id="summary"><h2>Summary</h2></section><div id="scenarios"></div>\n',
      now: NOW,
    });
    expect(finished).toContain('<script src="/assets/report.js"></script>');
    expect(finished).not.toContain('id="live"');
    expectGolden('run-finished.html', finished);

    const open = (viewer: Viewer) =>
      renderRunPage({ version: 'test', viewer, run: runs[1] as RunRecord, planName: 'orders.json, users.json', now: NOW });
    expect(open(viewers.read)).not.toContain('Cancel run');
    expect(open(viewers.read)).not.toContain('/assets/report.js');
    expectGolden('run-open-submit.html', open(viewers.submit));
    expect(open(viewers.submit)).toContain(
      '<form method="post" action="/runs/bbbbbbbb-0000-4000-8000-000000000000/cancel" class="inline">',
    );
  });

  it('says so on the page of a run whose schedule was deleted, as the run list does', () => {
    const run: RunRecord = { ...(runs[2] as RunRecord), trigger: 'schedule', scheduleId: 'sched-gone' };
    const trigger = (page: string) => /<th scope="row">Trigger<\/th><td>(.*?)<\/td>/.exec(page)?.[1];
    expect(trigger(renderRunPage({ version: 'test', viewer: viewers.read, run, now: NOW }))).toBe(
      'Schedule <span class="muted">· deleted schedule</span>',
    );
    expect(trigger(renderRunPage({ version: 'test', viewer: viewers.read, run, scheduleName: 'nightly', now: NOW }))).toBe(
      'Schedule · <a href="/schedules">nightly</a>',
    );
    expect(trigger(renderRunPage({ version: 'test', viewer: viewers.read, run: runs[1] as RunRecord, now: NOW }))).toBe('CLI (--remote)');
  });

  it("says what an open run waits for: no live agent in its pool, its agents busy, its agent lost (it said 'Waiting…' for ever)", () => {
    const queued: RunRecord = { ...(runs[1] as RunRecord), status: 'queued', pool: 'nobody', agent: undefined, startedAt: undefined };
    const running = runs[1] as RunRecord;
    const current = (run: RunRecord, agents?: RunPageData['agents']) =>
      /<span id="live-current">(.*?)<\/span>/.exec(renderRunPage({ version: 'test', viewer: viewers.read, run, now: NOW, agents }))?.[1];
    const agent = (name: string, pool: string, state: 'live' | 'busy' | 'lost') => ({ name, pool, state });
    expect(current(queued, [agent('a1', 'default', 'live'), agent('a2', 'nobody', 'lost')])).toBe(
      'Waiting for an agent of pool nobody: no live agent serves it (start one with sortie agent --pool nobody).',
    );
    expect(current(queued, [agent('a1', 'nobody', 'busy'), agent('a2', 'nobody', 'busy')])).toBe(
      'Waiting for an agent of pool nobody: its 2 agents are busy.',
    );
    expect(current(queued, [agent('a1', 'nobody', 'live')])).toBe('Waiting for an agent of pool nobody…');
    // Redis away: the agents are not known, and the page says only what it knows.
    expect(current(queued, undefined)).toBe('Waiting for an agent of pool nobody…');
    expect(current(running, [agent('agent-1', 'default', 'lost')])).toBe(
      'Agent agent-1, which runs it, is lost, and no live agent serves pool default: the server ends the run as lost once the agent&#39;s lock on it expires, unless one starts first and takes it over (sortie agent --pool default).',
    );
    expect(current(running, [agent('agent-1', 'default', 'lost'), agent('agent-2', 'default', 'live')])).toBe('Running on pool default…');
    expect(current(running, [agent('agent-1', 'default', 'busy')])).toBe('Running on pool default…');
  });

  it('renders the agents with their state, slots and last heartbeat', () => {
    const agent = (name: string, patch: Partial<AgentStatus>): AgentStatus => ({
      name,
      pool: 'default',
      version: '0.1.0',
      concurrency: 2,
      busy: 0,
      startedAt: NOW - 3_600_000,
      lastSeen: NOW - 1_000,
      state: 'live',
      ...patch,
    });
    const page = renderAgentsPage({
      version: 'test',
      viewer: viewers.read,
      now: NOW,
      agents: [
        agent('agent-1', {}),
        agent('agent-2', { busy: 2, state: 'busy' }),
        agent(`edge-${XSS}`, { pool: 'edge', concurrency: 4, lastSeen: NOW - 95_000, state: 'lost' }),
      ],
    });
    expect(page).toContain('<strong>default</strong>: 2 live agents, 2 of 4 slots busy');
    expect(page).toContain('<strong>edge</strong>: 0 live agents, 0 of 0 slots busy');
    expectGolden('agents.html', page);
  });

  it('renders the schedules with the controls of the scope only', () => {
    const data = {
      version: 'test',
      schedules,
      lastRuns: new Map([['sched-1', runs[2] as RunRecord]]),
      nextRuns: new Map([['sched-1', Date.UTC(2026, 11, 4, 3, 0, 0)]]),
      plans: planNames,
    };
    const read = renderSchedulesPage({ ...data, viewer: viewers.read });
    expect(read.match(/<button[^>]*>[^<]*<\/button>/g)).toEqual(['<button type="submit" class="link">Sign out</button>']);
    expect(read).not.toContain('New schedule');
    const submit = renderSchedulesPage({ ...data, viewer: viewers.submit });
    expect(submit.match(/<button[^>]*>[^<]*<\/button>/g)).toEqual([
      '<button type="submit" class="link">Sign out</button>',
      '<button type="submit">Run now</button>',
      '<button type="submit">Run now</button>',
    ]);
    const admin = renderSchedulesPage({
      ...data,
      viewer: viewers.admin,
      error: 'cannot schedule "61 * * * *": Invalid cron',
      form: { name: XSS, planId: 'plan-2', cron: '61 * * * *' },
    });
    // The next run of each active schedule, as the other times; none of a paused one.
    const nextRun = (page: string, id: string) =>
      new RegExp(`<tr data-schedule="${id}">(?:\\s*<td[^>]*>.*</td>){5}\\s*<td>(.*?)</td>`).exec(page)?.[1];
    expect(read).toContain('<th>Next run</th>');
    expect(nextRun(read, 'sched-1')).toBe('2026-12-04 03:00:00 UTC');
    expect(nextRun(read, 'sched-2')).toBe('<span class="muted">paused</span>');
    // Redis away: BullMQ cannot say when, and the page says it does not know rather than nothing.
    expect(nextRun(renderSchedulesPage({ ...data, nextRuns: new Map(), viewer: viewers.read }), 'sched-1')).toBe(
      '<span class="muted" title="Redis does not answer">unknown</span>',
    );
    expectGolden('schedules-read.html', read);
    expectGolden('schedules-admin.html', admin);
  });

  it('renders the sign-in page, with the refusal and without the token', () => {
    expectGolden('login.html', renderLoginPage({ version: 'test', error: 'This token is not valid on this server.' }));
  });
});

describe('html``', () => {
  it('escapes every value but markup it made itself or was told is trusted', () => {
    const inner = html`<b>${'<i>'}</b>`;
    expect(html`<p title="${'"x"'}">${inner}${[1, '&', [false, null, undefined]]}${trusted('<hr>')}</p>`.value).toBe(
      '<p title="&quot;x&quot;"><b>&lt;i&gt;</b>1&amp;<hr></p>',
    );
    expect(inner).toBeInstanceOf(Html);
  });
});

describe('live progress', () => {
  const step = (patch: Partial<StepResult>): StepResult => ({
    id: '0',
    name: 'list orders',
    kind: 'request',
    path: [],
    status: 'passed',
    startedAt: NOW,
    durationMs: 42,
    assertions: [],
    extracted: [],
    ...patch,
  });
  const event = (e: RunEvent): StreamEntry => ({ kind: 'event', attempt: 1, event: e });

  it('turns stream entries into SSE messages: status, steps rendered by the report renderer, counts, a reset on a new attempt', () => {
    const live = new LiveProgress();
    const entries: StreamEntry[] = [
      { kind: 'attempt-start', attempt: 1, agent: 'agent-1' },
      event({ type: 'run:start', startedAt: NOW, files: ['orders.json'] }),
      event({ type: 'scenario:start', name: `Orders ${XSS}`, file: 'orders.json' }),
      event({ type: 'step:start', id: '0', name: 'list orders', kind: 'request', path: [], scenario: 'orders.json' }),
      event({
        type: 'step:end',
        scenario: 'orders.json',
        result: step({
          status: 'failed',
          assertions: [
            { selector: 'status', operator: 'equals', expected: 200, actual: 404, passed: false, message: 'expected 200 but was 404' },
          ],
        }),
      }),
      event({ type: 'step:start', id: '1', name: 'each item', kind: 'forEach', path: [], scenario: 'orders.json' }),
      event({
        type: 'step:end',
        scenario: 'orders.json',
        result: step({ id: '1.0.0', name: `get ${XSS}`, path: ['each item', 'loop[0]'] }),
      }),
      event({ type: 'step:end', scenario: 'orders.json', result: step({ id: '1', name: 'each item', kind: 'forEach' }) }),
      event({
        type: 'scenario:end',
        result: {
          name: 'Orders',
          file: 'orders.json',
          status: 'failed',
          startedAt: NOW,
          durationMs: 100,
          totals: { steps: 2, requests: 2, assertions: 1, failedAssertions: 1, passed: 1, failed: 1, errors: 0, skipped: 0 },
        },
      }),
      { kind: 'attempt-start', attempt: 2, agent: 'agent-2' },
    ];
    const text = entries
      .flatMap((entry) => live.messages(entry, entry.kind === 'attempt-start' ? NOW + entry.attempt * 1_000 : undefined))
      .map((message) => formatSse(message))
      .join('');
    expect(text).not.toContain('<img');
    expectGolden('live.sse', text);
  });

  it('gives each run of a step that setNextRequest runs again an element id of its own', () => {
    const live = new LiveProgress();
    const ended = (id: string, name: string, kind: StepResult['kind'] = 'request'): StreamEntry[] => [
      event({ type: 'step:start', id, name, kind, path: [], scenario: 'poll.json' }),
      event({ type: 'step:end', scenario: 'poll.json', result: step({ id, name, kind }) }),
    ];
    const entries: StreamEntry[] = [
      event({ type: 'scenario:start', name: 'Poll', file: 'poll.json' }),
      ...ended('0', 'poll'),
      ...ended('0', 'poll'),
      event({ type: 'step:start', id: '1', name: 'checks', kind: 'group', path: [], scenario: 'poll.json' }),
      ...ended('1.0', 'check'),
      event({ type: 'step:end', scenario: 'poll.json', result: step({ id: '1', name: 'checks', kind: 'group' }) }),
      event({ type: 'step:start', id: '1', name: 'checks', kind: 'group', path: [], scenario: 'poll.json' }),
      ...ended('1.0', 'check'),
    ];
    const html = entries
      .flatMap((entry) => live.messages(entry))
      .map((message) => formatSse(message))
      .join('');
    expect([...html.matchAll(/<li class=\\"step [^"\\]*\\" id=\\"([^"\\]*)\\"/g)].map((m) => m[1])).toEqual([
      'live-s-poll-json.0',
      'live-s-poll-json.0~2',
      'live-s-poll-json.1.0',
      'live-s-poll-json.1~2.0',
    ]);
  });

  it('gives files whose ids would be equal ids of their own (a b.json and a-b.json were both live-s-a-b-json)', () => {
    const live = new LiveProgress();
    const entries: StreamEntry[] = ['a b.json', 'a-b.json'].flatMap((file) => [
      event({ type: 'scenario:start', name: file, file }),
      event({ type: 'step:start', id: '0', name: 'get', kind: 'request', path: [], scenario: file }),
      event({ type: 'step:end', scenario: file, result: step({ id: '0', name: 'get' }) }),
    ]);
    const html = entries
      .flatMap((entry) => live.messages(entry))
      .map((message) => formatSse(message))
      .join('');
    expect([...html.matchAll(/<li class=\\"step [^"\\]*\\" id=\\"([^"\\]*)\\"/g)].map((m) => m[1])).toEqual([
      'live-s-a-b-json.0',
      'live-s-a-b-json~2.0',
    ]);
  });

  it('draws nothing of an attempt a newer one replaced, which went on (its agent lost the job lock)', () => {
    const live = new LiveProgress();
    const ended = (attempt: number, name: string): StreamEntry => ({
      kind: 'event',
      attempt,
      event: { type: 'step:end', scenario: 'orders.json', result: step({ name }) },
    });
    const shown = [
      { kind: 'attempt-start', attempt: 1, agent: 'first' },
      ended(1, 'before the hand-over'),
      { kind: 'attempt-start', attempt: 2, agent: 'second' },
      ended(1, 'superseded-step'),
      ended(2, 'of attempt two'),
    ]
      .flatMap((entry) => live.messages(entry as StreamEntry))
      .map((message) => formatSse(message))
      .join('');
    expect(shown).toContain('before the hand-over');
    expect(shown).toContain('of attempt two');
    expect(shown).not.toContain('superseded-step');
    // The old attempt's end does not end the live view; the newer one's does.
    const end = (attempt: number): StreamEntry => ({
      kind: 'end',
      attempt,
      result: { runId: 'r', agent: 'a', status: 'passed', counts: emptyCounts(), startedAt: 1, endedAt: 2, reports: [] },
    });
    expect(live.superseded(end(1))).toBe(true);
    expect(live.superseded(end(2))).toBe(false);
  });
});

describe('dashboard sessions', () => {
  it('end when idle too long, when too old, or when signed out; the oldest goes when full', () => {
    const sessions = new DashboardSessions({ idleMs: 1_000, maxAgeMs: 5_000, maxSessions: 2 });
    const a = sessions.create('hash-a', 0);
    expect(a.id).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(sessions.get(a.id, 900)?.tokenHash).toBe('hash-a');
    expect(sessions.get(a.id, 1_800)?.tokenHash).toBe('hash-a');
    expect(sessions.get(a.id, 2_900)).toBeUndefined();
    const b = sessions.create('hash-b', 0);
    for (let t = 900; t < 5_000; t += 900) expect(sessions.get(b.id, t)).toBeDefined();
    expect(sessions.get(b.id, 5_100)).toBeUndefined();
    const [c, d, e] = [sessions.create('c', 0), sessions.create('d', 0), sessions.create('e', 0)];
    expect([sessions.get(c.id, 1), sessions.get(d.id, 1)?.tokenHash, sessions.get(e.id, 1)?.tokenHash]).toEqual([undefined, 'd', 'e']);
    sessions.delete(d.id);
    expect(sessions.get(d.id, 2)).toBeUndefined();
    expect(sessions.get(undefined)).toBeUndefined();
  });

  it('check the form token in constant time, refusing anything else', () => {
    const { session } = new DashboardSessions().create('hash');
    expect(csrfMatches(session, session.csrf)).toBe(true);
    expect(csrfMatches(session, `${session.csrf}x`)).toBe(false);
    expect(csrfMatches(session, undefined)).toBe(false);
    expect(csrfMatches(session, ['x'])).toBe(false);
  });
});
