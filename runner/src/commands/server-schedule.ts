import { ErrorCode, SortieError } from '@sortie/api';
import { suggestClosest } from '@sortie/core';
import { parseCliArgs, type RunArgs } from '../args.js';
import { parseCommandOptions } from '../parse-options.js';
import { ServerClient } from '../remote/server-client.js';
import { EXIT, type Terminal } from '../terminal.js';
import { bundleForServer } from './remote-run.js';

interface Schedule {
  id: string;
  name: string;
  planId: string;
  cron?: string;
  every?: number;
  pool: string;
  paused: boolean;
  createdAt: number;
  /** When it fires next (ms since the epoch); the server leaves it out while it is paused or Redis is away. */
  nextRunAt?: number;
}

interface Run {
  id: string;
  status: string;
  pool: string;
}

const ACTIONS = ['create', 'list', 'pause', 'resume', 'delete', 'run-now'] as const;
const USAGE_HINT =
  'sortie server schedule create --remote <url> --name <name> (--cron "<expr>" | --every <interval>) [run options] <files…>\n' +
  '      sortie server schedule list|pause|resume|delete|run-now [<id>] --remote <url> [--token <token>]';

/**
 * `sortie server schedule …`: the schedules of a Sortie server through its HTTP API, with an API
 * token as `sortie run --remote` uses (admin scope to change them; read to list; submit for run-now).
 * `create` validates and uploads the plan like `sortie run --remote`, then schedules it.
 */
export async function scheduleCommand(argv: readonly string[], terminal: Terminal): Promise<number> {
  const [action, ...rest] = argv;
  if (!(ACTIONS as readonly string[]).includes(action ?? '')) {
    if (action === undefined) throw usage('sortie server schedule needs a command');
    const closest = suggestClosest(action, ACTIONS);
    if (closest === undefined) throw usage(`unknown schedule command "${action}"`);
    throw new SortieError(ErrorCode.USAGE, 'Usage error', `unknown schedule command "${action}"`, {
      hint: `did you mean "sortie server schedule ${closest}"?`,
    });
  }
  if (action === 'create') return createSchedule(rest, terminal);
  const parsed = parseCommandOptions(rest, idOptions, USAGE_HINT);
  const client = connect(parsed.values.remote, parsed.values.token, terminal);
  if (action === 'list') {
    if (parsed.positionals.length > 0) throw usage(`sortie server schedule list takes no argument, got "${parsed.positionals[0]}"`);
    const { schedules } = await client.json<{ schedules: Schedule[] }>('/api/schedules');
    if (schedules.length === 0) terminal.out('No schedules.\n');
    for (const schedule of schedules) terminal.out(`${describe(schedule)}\n`);
    return EXIT.OK;
  }
  if (parsed.positionals.length !== 1) throw usage(`sortie server schedule ${action} needs one schedule id`);
  const id = encodeURIComponent(parsed.positionals[0] as string);
  if (action === 'pause' || action === 'resume') {
    const schedule = await client.json<Schedule>(`/api/schedules/${id}`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ paused: action === 'pause' }),
    });
    terminal.out(`${describe(schedule)}\n`);
    return EXIT.OK;
  }
  if (action === 'delete') {
    await client.request(`/api/schedules/${id}`, { method: 'DELETE' });
    terminal.out(`Schedule ${parsed.positionals[0]} deleted.\n`);
    return EXIT.OK;
  }
  const run = await client.json<Run>(`/api/schedules/${id}/run`, { method: 'POST' });
  terminal.out(`Run ${run.id} queued on pool ${run.pool}.\n`);
  return EXIT.OK;
}

const idOptions = {
  remote: { type: 'string' },
  token: { type: 'string' },
} as const;

const createOptions = {
  name: { type: 'string' },
  cron: { type: 'string' },
  every: { type: 'string' },
} as const;

async function createSchedule(argv: string[], terminal: Terminal): Promise<number> {
  // --name, --cron and --every are the schedule's; everything else is `sortie run --remote`'s.
  const own: string[] = [];
  const runArgv: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const flag = arg.split('=')[0] as string;
    if (flag === '--name' || flag === '--cron' || flag === '--every') {
      own.push(arg);
      if (!arg.includes('=') && i + 1 < argv.length) own.push(argv[++i] as string);
    } else {
      runArgv.push(arg);
    }
  }
  const { values } = parseCommandOptions(own, createOptions, USAGE_HINT);
  if (values.name === undefined || values.name.trim() === '') throw usage('sortie server schedule create needs --name <name>');
  // Both given was told "needs one of --cron and --every", as if neither had been.
  if (values.cron !== undefined && values.every !== undefined) {
    throw usage('sortie server schedule create takes --cron "<expr>" or --every <interval>, not both');
  }
  if (values.cron === undefined && values.every === undefined) {
    throw usage('sortie server schedule create needs one of --cron "<expr>" and --every <interval>');
  }
  // Checked before the plan is read and bundled: a bad interval is said first.
  const every = values.every === undefined ? undefined : parseInterval(values.every);
  const args = parseCliArgs(['run', ...runArgv]);
  if (args.command !== 'run') throw usage('sortie server schedule create needs scenario files');
  const forbidden = runOnlyFlags(args);
  if (forbidden.length > 0) throw usage(`${forbidden.join(', ')} cannot be scheduled (a scheduled run keeps its reports on the server)`);
  const client = connect(args.remote, args.token, terminal);
  const { bundle, options } = await bundleForServer(args, terminal);
  // One request with the plan bundle: the server checks the admin scope before it stores anything.
  const form = new FormData();
  form.set('bundle', new Blob([bundle], { type: 'application/gzip' }), 'plan.tar.gz');
  form.set('name', values.name);
  form.set('options', JSON.stringify(options));
  if (values.cron !== undefined) form.set('cron', values.cron);
  if (every !== undefined) form.set('every', String(every));
  if (args.pool !== undefined) form.set('pool', args.pool);
  const schedule = await client.json<Schedule>('/api/schedules', { method: 'POST', body: form });
  terminal.out(`${describe(schedule)}\n`);
  terminal.err(`Schedule ${schedule.id} created; its runs are listed with the others (GET /api/runs?schedule=${schedule.id})\n`);
  return EXIT.OK;
}

/** The `sortie run` flags that only mean something for a run in this terminal. */
function runOnlyFlags(args: RunArgs): string[] {
  const flags: string[] = [];
  if (args.reporters !== undefined) flags.push('-r');
  if (args.outDir !== undefined) flags.push('--out-dir');
  if (args.reportHtml !== undefined) flags.push('--report-html');
  if (args.reportJunit !== undefined) flags.push('--report-junit');
  if (args.reportJson !== undefined) flags.push('--report-json');
  if (args.exportEnvironment !== undefined) flags.push('--export-environment');
  if (args.exportGlobals !== undefined) flags.push('--export-globals');
  return flags;
}

function connect(remote: string | undefined, token: string | undefined, terminal: Terminal): ServerClient {
  if (remote === undefined) throw usage('sortie server schedule needs --remote <url> (the Sortie server)');
  const apiToken = token ?? terminal.env.SORTIE_TOKEN;
  if (apiToken === undefined || apiToken === '') throw usage('sortie server schedule needs an API token: pass --token or set SORTIE_TOKEN');
  return new ServerClient(remote, apiToken);
}

const UNITS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `--every`: `90s`, `15m`, `2h`, `1d`, or milliseconds; at least a second. */
export function parseInterval(text: string): number {
  // As the whole-number flags: decimal digits as written (a space before or after was taken).
  const match = /^(\d+)(ms|s|m|h|d)?$/.exec(text);
  const ms = match === null ? Number.NaN : Number(match[1]) * (UNITS[match[2] ?? 'ms'] as number);
  if (!Number.isSafeInteger(ms) || ms < 1_000) {
    throw usage(`--every expects an interval of at least a second, like 30s, 15m, 2h or 1d; got "${text}"`);
  }
  return ms;
}

function describe(schedule: Schedule): string {
  const when = schedule.cron !== undefined ? `cron "${printable(schedule.cron)}"` : `every ${formatInterval(schedule.every ?? 0)}`;
  const state = schedule.paused ? 'paused' : 'active';
  const next = typeof schedule.nextRunAt === 'number' ? `  next ${new Date(schedule.nextRunAt).toISOString().replace(/\.\d+Z$/, 'Z')}` : '';
  return `${printable(schedule.id)}  ${state}  ${printable(schedule.name)}  ${when}  pool ${printable(schedule.pool)}  plan ${printable(schedule.planId)}${next}`;
}

/**
 * What the server sent, with its control characters escaped as in JSON (`\n`, `\u001b`): a name with
 * a terminal escape or a newline, stored by a server that took them, changed the terminal or printed
 * a line that looked like another schedule.
 */
function printable(text: string): string {
  return String(text).replace(/\p{Cc}/gu, (character) => {
    const escaped = JSON.stringify(character).slice(1, -1);
    // JSON leaves DEL and the C1 controls as they are.
    return escaped === character ? `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}` : escaped;
  });
}

function formatInterval(ms: number): string {
  for (const unit of ['d', 'h', 'm', 's'] as const) {
    const size = UNITS[unit] as number;
    if (ms % size === 0) return `${ms / size}${unit}`;
  }
  return `${ms}ms`;
}

function usage(message: string): SortieError {
  return new SortieError(ErrorCode.USAGE, 'Usage error', message, { hint: USAGE_HINT });
}
