import { writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { createCliReporter, dispatchEvent, ErrorCode, isRunTimeoutLog, Redactor, type RunEvent, SortieError, validate } from '@sortie/api';
import { makeDirectory } from '@sortie/core';
import { toWriteError } from '@sortie/reporters';
import type { RunArgs } from '../args.js';
import { makeBundle } from '../remote/make-bundle.js';
import { readEventStream, ServerClient } from '../remote/server-client.js';
import { readVariablesFiles } from '../run-flag-settings.js';
import { EXIT, type Terminal, useColor } from '../terminal.js';
import { refuseUnwritablePath } from '../write-output.js';

interface RemoteRun {
  id: string;
  status: string;
  pool: string;
  agent?: string;
  message?: string;
  reports: string[];
}

const REPORT_FILE: Record<string, string> = { json: 'report.json', junit: 'junit.xml', html: 'report.html' };

/**
 * `sortie run --remote URL`: validates the inputs here (same errors, exit 2), uploads the plan as a
 * bundle, prints the run's progress with the CLI reporter as the server streams it, downloads the
 * requested reports to --out-dir and exits as a local run would. Ctrl-C cancels the remote run.
 */
export async function remoteRunCommand(args: RunArgs & { remote: string }, terminal: Terminal, signal?: AbortSignal): Promise<number> {
  const token = args.token ?? terminal.env.SORTIE_TOKEN;
  if (token === undefined || token === '') {
    throw new SortieError(ErrorCode.USAGE, 'Usage error', '--remote needs an API token', { hint: 'pass --token or set SORTIE_TOKEN' });
  }
  // The URL first: a usage error before the inputs are read and packed.
  const client = new ServerClient(args.remote, token);
  const { bundle, options } = await bundleForServer(args, terminal);
  // As locally, --report-html, --report-junit and --report-json add their report (downloaded to that file).
  const named = [
    ...(args.reporters ?? ['cli']),
    ...(args.reportHtml === undefined ? [] : ['html']),
    ...(args.reportJunit === undefined ? [] : ['junit']),
    ...(args.reportJson === undefined ? [] : ['json']),
  ];
  const wanted = [...new Set(named)].filter((name) => REPORT_FILE[name] !== undefined);
  // A report file's path as the user gave it (for an error), resolved from the working folder.
  const chosen: Record<string, string | undefined> = {
    [REPORT_FILE.html as string]: args.reportHtml,
    [REPORT_FILE.junit as string]: args.reportJunit,
    [REPORT_FILE.json as string]: args.reportJson,
  };
  const givenPath = (name: string): string => chosen[name] ?? join(args.outDir ?? 'sortie-reports', name);
  // As a local run (run.ts): a report that could not be written here is refused before the run, not after it,
  // named by what chose its folder (`--out-dir afile` is what to fix), else by its -r.
  for (const name of wanted) {
    const file = REPORT_FILE[name] as string;
    const flag = chosen[file] !== undefined ? `--report-${name}` : args.outDir !== undefined ? `--out-dir (-r ${name})` : `-r ${name}`;
    refuseUnwritablePath(terminal.cwd, givenPath(file), flag);
  }
  const form = new FormData();
  form.set('bundle', new Blob([bundle], { type: 'application/gzip' }), 'plan.tar.gz');
  form.set('options', JSON.stringify(options));
  form.set('reports', JSON.stringify(wanted));
  form.set('trigger', 'remote');
  if (args.pool !== undefined) form.set('pool', args.pool);
  // From the moment the run is queued, an interrupt cancels it (before, there is nothing to cancel):
  // `cancel` below says so, not main.ts's "finishing the current step", which is a local run's.
  terminal.stopsGracefully?.({ saysStopping: true });
  const queued = await client.json<RemoteRun>('/api/runs', { method: 'POST', body: form });
  const split = args.shards !== undefined && args.shards > 1 ? ` in ${args.shards} shards` : '';
  // -q and --silent: only what goes wrong is said (as a local run's output), the queued run is not.
  if (args.output === 'normal') terminal.err(`Run ${queued.id} queued${split} on pool ${queued.pool} at ${args.remote}\n`);

  // As locally: --silent prints no run output, -q only the problems and the summary.
  const showCli = (args.reporters === undefined || args.reporters.includes('cli')) && args.output !== 'silent';
  const reporter = showCli
    ? createCliReporter({
        write: (text) => terminal.out(text),
        color: useColor(terminal, args.color),
        verbose: args.verbose,
        redactor: new Redactor(),
        quiet: args.output === 'quiet',
      })
    : undefined;
  let cancelled = false;
  let timedOut = false;
  const cancel = () => {
    if (cancelled) return;
    cancelled = true;
    terminal.err(`Cancelling run ${queued.id}…\n`);
    void client.request(`/api/runs/${queued.id}/cancel`, { method: 'POST' }).catch(() => {});
  };
  signal?.addEventListener('abort', cancel, { once: true });
  if (signal?.aborted) cancel();
  // --timeout / --timeout-run also bounds the wait in the queue (as Testkube's and Newman's time
  // limits end a CI job): a run no agent started within it is cancelled, and the client ends.
  const queueWait = args.timeoutRun === undefined ? undefined : boundQueueWait(client, queued.id, args.timeoutRun);
  let end: { status: string; message?: string };
  try {
    end = await Promise.race([
      followRun(
        client,
        queued,
        (data) => {
          const event = data as RunEvent;
          // The run's time limit passed: said at the end, as a local run says it, not as a log line.
          if (isRunTimeoutLog(event)) timedOut = true;
          else if (reporter !== undefined) dispatchEvent([reporter], event);
        },
        terminal,
        () => queueWait?.started(),
      ),
      ...(queueWait === undefined ? [] : [queueWait.unserved]),
    ]);
  } finally {
    queueWait?.started();
  }
  await reporter?.close?.();
  if (queueWait?.expired() === true && end.status !== 'passed') {
    terminal.err(
      `Timed out: no agent started run ${queued.id} on pool ${queued.pool} within --timeout ${args.timeoutRun} ms, ` +
        'so it was cancelled and did not pass.\n',
    );
    if (end.message !== undefined && end.status !== 'cancelled') terminal.err(`Run ${queued.id} ${end.status}: ${end.message}\n`);
    return args.suppressExitCode ? EXIT.OK : EXIT.FAILED;
  }

  // The stream's end can reach us before the server has stored the outcome and moved the reports.
  let run = await client.json<RemoteRun>(`/api/runs/${queued.id}`);
  for (let i = 0; i < 100 && (run.status === 'queued' || run.status === 'running'); i++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    run = await client.json<RemoteRun>(`/api/runs/${queued.id}`);
  }
  if (run.reports.length > 0) {
    for (const name of run.reports) {
      const response = await client.request(`/api/runs/${queued.id}/reports/${encodeURIComponent(name)}`);
      const given = givenPath(name);
      const file = resolve(terminal.cwd, given);
      const content = Buffer.from(await response.arrayBuffer());
      try {
        await makeDirectory(dirname(file));
        await writeFile(file, content);
      } catch (error) {
        // As a local run says it (exit 2); the reports stay on the server.
        throw toWriteError(given, error);
      }
    }
  }
  if (end.message !== undefined && end.status !== 'passed') terminal.err(`Run ${queued.id} ${end.status}: ${end.message}\n`);
  // A run that ended before an agent made its reports (agent lost, cancelled while queued) has none to
  // download: say which of the asked-for files were not written, rather than leave a CI job to find
  // an old file or none.
  const missing = wanted.map((name) => REPORT_FILE[name] as string).filter((name) => !run.reports.includes(name));
  if (missing.length > 0)
    terminal.err(
      `Not written: ${missing.map(givenPath).join(', ')}: run ${queued.id} ended ${end.status} before an agent made ${missing.length === 1 ? 'this report' : 'these reports'}\n`,
    );
  // As a local run says it (run.ts): the agent's run stopped when --timeout / --timeout-run passed.
  if (timedOut && !cancelled && end.status !== 'passed')
    terminal.err(`Timed out: the run took longer than --timeout ${args.timeoutRun} ms, so it did not pass.\n`);
  // -x / --suppress-exit-code: a failed run still exits 0, as locally (invalid input still exits 2).
  return end.status === 'passed' || args.suppressExitCode ? EXIT.OK : EXIT.FAILED;
}

/**
 * Bounds how long a run may wait in the queue: once `ms` pass before {@link QueueWait.started} is
 * called, the run is cancelled on the server. `unserved` settles when the server could not cancel it
 * (Redis away, the server unreachable): the client ends anyway rather than waiting for ever. Its end
 * otherwise comes through the event stream (the server ends a cancelled queued run at once).
 */
interface QueueWait {
  started(): void;
  expired(): boolean;
  unserved: Promise<{ status: string; message: string }>;
}

function boundQueueWait(client: ServerClient, runId: string, ms: number): QueueWait {
  let expired = false;
  let settle: (end: { status: string; message: string }) => void = () => {};
  const unserved = new Promise<{ status: string; message: string }>((resolve) => {
    settle = resolve;
  });
  const timer = setTimeout(() => {
    expired = true;
    client.request(`/api/runs/${runId}/cancel`, { method: 'POST' }).then(
      () => {},
      async (error: unknown) => {
        // 409: it ended just now (its end comes through the stream); anything else leaves it queued.
        const record = await client.json<RemoteRun>(`/api/runs/${runId}`).catch(() => undefined);
        if (record !== undefined && endedRun(record) !== undefined) return;
        settle({ status: 'error', message: `the server could not cancel it: ${error instanceof Error ? error.message : String(error)}` });
      },
    );
  }, ms);
  return {
    started: () => clearTimeout(timer),
    expired: () => expired,
    unserved,
  };
}

/**
 * Validates the inputs here (the same errors as a local run, exit 2) and packs them as a plan bundle
 * for a Sortie server, with the run options a submission carries. `--folder` and `--working-dir`
 * travel in the bundle's manifest (the server selects and converts as `sortie run` does here; the
 * body files they name are in the bundle); `-g`'s values travel as globals, except those the file
 * types secret, which travel as names and are looked up by the agent. A secret given with --env-var,
 * --variable, --variables-file or --global-var is refused, naming that flag: secret values never travel.
 */
export async function bundleForServer(given: RunArgs, terminal: Terminal): Promise<{ bundle: Buffer; options: Record<string, unknown> }> {
  // As locally: --variables-file values, then --env-var (and --variable) over them; all are checked for secrets below.
  // Where each variable came from, for the refusal below to name the flag the user gave (the last one wins, as for the value).
  const givenWith = new Map<string, string>();
  for (const file of given.variablesFiles) {
    for (const name of Object.keys(await readVariablesFiles([file], terminal.cwd)))
      givenWith.set(name, `--variables-file ${file} (${name})`);
  }
  for (const name of Object.keys(given.envVars)) {
    givenWith.set(name, `${given.variableNames?.includes(name) === true ? '--variable' : '--env-var'} ${name}`);
  }
  const args: RunArgs = { ...given, envVars: { ...(await readVariablesFiles(given.variablesFiles, terminal.cwd)), ...given.envVars } };
  const inputs: Parameters<typeof validate>[0] = { paths: args.files, cwd: terminal.cwd, scripts: args.scripts };
  if (args.env !== undefined) inputs.environment = args.env;
  if (args.iterationData !== undefined) inputs.iterationData = args.iterationData;
  if (args.folders.length > 0) inputs.folders = args.folders;
  const workingDir = args.workingDir === undefined ? undefined : bundlePath(terminal.cwd, args.workingDir, '--working-dir');
  if (workingDir !== undefined) inputs.workingDir = workingDir;
  // The Postman converter (and its SDK) loads only when a globals file is given.
  const globalsFile =
    args.globalsFile === undefined
      ? undefined
      : await (await import('@sortie/postman')).readGlobalsFile(args.globalsFile, { cwd: terminal.cwd });
  const plan = await validate(inputs, { travels: true });
  const globalSecrets = Object.keys(globalsFile?.secrets ?? {});
  const secretVars = [
    ...Object.keys(args.envVars)
      .filter((name) => plan.secrets.includes(name))
      .map((name) => givenWith.get(name) ?? `--env-var ${name}`),
    ...Object.keys(args.globals)
      .filter((name) => globalSecrets.includes(name))
      .map((name) => `--global-var ${name}`),
  ];
  if (secretVars.length > 0) {
    throw new SortieError(
      ErrorCode.USAGE,
      'Secret on the command line',
      `${secretVars.join(', ')} would send a secret value to the server`,
      {
        hint: 'secret values never travel: set them in the environment (or .env) of the agents',
      },
    );
  }
  const manifest: Parameters<typeof makeBundle>[1] = {
    // With --folder, a scenario file none of whose steps is selected is not in the plan (nor in the bundle).
    files: args.folders.length > 0 ? plan.scenarios.map((source) => source.file) : args.files,
    scripts: args.scripts,
    ...(plan.iterationData === undefined ? {} : { iterationData: plan.iterationData.file }),
    ...(args.folders.length === 0 ? {} : { folders: args.folders }),
    ...(workingDir === undefined ? {} : { workingDir }),
  };
  const bundle = await makeBundle(plan, manifest);
  const options = remoteOptions(args, globalsFile?.variables);
  if (globalSecrets.length > 0) options.globalSecrets = globalSecrets;
  return { bundle, options };
}

/** A folder given on the command line as a bundle path: relative to the current folder and inside it. */
function bundlePath(cwd: string, path: string, flag: string): string {
  const inside = relative(cwd, resolve(cwd, path)).split(sep).join('/');
  if (inside === '..' || inside.startsWith('../') || isAbsolute(inside)) {
    throw new SortieError(ErrorCode.USAGE, 'Cannot send the plan', `${flag} ${path} is outside the current folder`, {
      hint: 'run `sortie run --remote` from the project folder, so that every input is inside it',
    });
  }
  return inside === '' ? '.' : inside;
}

/** The options a submission carries (never a secret: secret --env-var values were refused above). */
function remoteOptions(args: RunArgs, globalsFileValues?: Record<string, unknown>): Record<string, unknown> {
  // As locally: the globals file's values with their JSON types (a number stays a number, as Newman
  // keeps it), then --global-var over them.
  const options: Record<string, unknown> = { envVars: args.envVars, globals: { ...globalsFileValues, ...args.globals } };
  if (args.iterations !== undefined) options.iterations = args.iterations;
  if (args.parallel !== undefined) options.parallel = args.parallel;
  if (args.timeoutRequest !== undefined) options.timeoutRequest = args.timeoutRequest;
  if (args.maxResponseBytes !== undefined) options.maxResponseBytes = args.maxResponseBytes;
  if (args.seed !== undefined) options.seed = args.seed;
  if (args.locale !== undefined) options.locale = args.locale;
  if (args.bail) options.bail = true;
  if (args.retryFailed !== undefined) options.retryFailed = args.retryFailed;
  if (args.failOnFlaky) options.failOnFlaky = true;
  if (args.teardownGrace !== undefined) options.teardownGrace = args.teardownGrace;
  if (args.timeoutRun !== undefined) options.timeoutRun = args.timeoutRun;
  if (args.insecure) options.insecure = true;
  if (!args.cookies) options.cookies = false;
  if (args.allowUnresolved) options.allowUnresolved = true;
  if (args.shards !== undefined && args.shards > 1) options.shards = args.shards;
  return options;
}

/**
 * How long the event stream may stay silent before the run's record is asked whether the run ended:
 * a proxy holding the stream back, or a server whose stream stalled, cannot leave the client waiting
 * after the run is over. The server sends a keep-alive comment every 15 s, which is not an event.
 */
const SILENCE_MS = 10_000;
const SILENT = Symbol('silent');

/**
 * Follows a run's event stream to its end, reconnecting with Last-Event-ID when the connection
 * drops (a server restart). A new attempt (the first agent was lost) is said on stderr. After
 * {@link SILENCE_MS} without an event it looks at the run's record, and ends there if the run did.
 * A run not started after {@link WAITING_NOTICE_MS} is said to wait, and for what (waitingNotice).
 */
async function followRun(
  client: ServerClient,
  run: { id: string; pool: string },
  onEvent: (event: unknown) => void,
  terminal: Terminal,
  onStart: () => void,
): Promise<{ status: string; message?: string }> {
  const runId = run.id;
  const shards = new ShardEvents();
  const attempts = new Attempts();
  let lastId: string | undefined;
  let failures = 0;
  // Said once if the run is still queued after a while: what it waits for. Looked at again while it
  // waits with nothing said: an agent killed just before is listed live (idle) until its heartbeat is
  // 10 s old, and a single look then left the run waiting in silence.
  let started = false;
  let followed = false;
  // Said once: the agent running it is lost and no agent serves the pool (strandedNotice).
  let strandedSaid = false;
  let waiting: NodeJS.Timeout | undefined;
  const lookAgain = () => {
    waiting = setTimeout(() => {
      void waitingNotice(client, run.pool).then((notice) => {
        if (started || followed) return;
        if (notice !== undefined) terminal.err(`${notice}\n`);
        else lookAgain();
      });
    }, WAITING_NOTICE_MS);
  };
  lookAgain();
  try {
    return await followStream();
  } finally {
    followed = true;
    clearTimeout(waiting);
  }

  async function followStream(): Promise<{ status: string; message?: string }> {
    for (;;) {
      const connection = new AbortController();
      try {
        const response = await client.request(`/api/runs/${runId}/events`, {
          headers: lastId === undefined ? { accept: 'text/event-stream' } : { accept: 'text/event-stream', 'last-event-id': lastId },
          signal: connection.signal,
        });
        if (response.body === null) throw new Error('no event stream');
        const events = readEventStream(response.body)[Symbol.asyncIterator]();
        let next = events.next();
        // Once the connection is dropped here, the read in hand fails: nobody waits for it.
        next.catch(() => {});
        for (;;) {
          const step = await orSilence(next, SILENCE_MS);
          if (step === SILENT) {
            const record = await client.json<RemoteRun>(`/api/runs/${runId}`);
            const ended = endedRun(record);
            if (ended === undefined) {
              if (!strandedSaid && record.status === 'running') {
                const notice = await strandedNotice(client, record);
                if (notice !== undefined) {
                  strandedSaid = true;
                  terminal.err(`${notice}\n`);
                }
              }
              continue;
            }
            connection.abort();
            terminal.err(`The run's event stream went silent; its outcome is taken from the server's record of it\n`);
            return ended;
          }
          if (step.done === true) break;
          next = events.next();
          next.catch(() => {});
          const message = step.value;
          failures = 0;
          if (message.id !== undefined) lastId = message.id;
          const data = JSON.parse(message.data) as Record<string, unknown>;
          if (attempts.superseded(message.event, data)) continue;
          if (message.event === 'attempt-start') {
            started = true;
            onStart();
          }
          if (message.event === 'attempt-start' && typeof data.attempt === 'number' && data.attempt > 1) {
            const what = typeof data.shard === 'number' ? `shard ${data.shard + 1}` : 'it';
            terminal.err(`The agent running ${what} was lost; agent ${String(data.agent)} runs ${what} again (attempt ${data.attempt})\n`);
          } else if (message.event === 'event') {
            if (shards.shows(data)) onEvent(data.event);
          } else if (message.event === 'end') {
            connection.abort();
            const result = (data.result ?? data.run) as { status: string; message?: string };
            return result.message === undefined ? { status: result.status } : { status: result.status, message: result.message };
          }
        }
      } catch (error) {
        if (error instanceof SortieError && error.code !== ErrorCode.NETWORK) throw error;
        if (++failures > 30) throw error;
      } finally {
        connection.abort();
      }
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
  }
}

/**
 * The newest attempt of the run (of each shard of a run split into shards). An agent that lost a
 * job's lock (Redis away longer than --lock-duration, a frozen agent) may go on with its attempt
 * after BullMQ handed the run to another agent: its events, and its `end`, then come after the
 * next attempt's `attempt-start`. They are dropped, as docs/agents.md tells readers to: the run was
 * shown with both attempts' steps and ended with the outcome of the one that no longer counts.
 */
class Attempts {
  readonly #newest = new Map<number, number>();

  /** Whether a stream entry belongs to an attempt older than one already started (and is to be dropped). */
  superseded(kind: string | undefined, data: Record<string, unknown>): boolean {
    if (typeof data.attempt !== 'number') return false;
    const key = typeof data.shard === 'number' ? data.shard : -1;
    const newest = this.#newest.get(key) ?? 0;
    if (kind === 'attempt-start') {
      if (data.attempt < newest) return true;
      this.#newest.set(key, data.attempt);
      return false;
    }
    return data.attempt < newest;
  }
}

/**
 * Which events of a run split into shards go to the reporter: each shard's scenario and step events,
 * the first `run:start` of any shard, and the server's `run:end` of the whole run (it carries no
 * `shard`) rather than each shard's own.
 */
class ShardEvents {
  #started = false;

  shows(entry: Record<string, unknown>): boolean {
    if (typeof entry.shard !== 'number') return true;
    const type = (entry.event as { type?: unknown } | null)?.type;
    if (type === 'run:end') return false;
    if (type !== 'run:start') return true;
    if (this.#started) return false;
    this.#started = true;
    return true;
  }
}

/**
 * Why a running run's stream is silent, when its agent is listed lost and no live agent serves its
 * pool: BullMQ's stalled check, which hands a run on, runs in the agents; with none left the server
 * ends the run as "agent lost" once the dead agent's lock on it expires. Undefined otherwise
 * (another agent takes it over after --lock-duration) or when the list cannot be read.
 */
async function strandedNotice(client: ServerClient, run: RemoteRun): Promise<string | undefined> {
  if (run.agent === undefined) return undefined;
  try {
    const { agents } = await client.json<{ agents: Array<{ pool: string; state: string; name: string }> }>('/api/agents');
    const own = agents.find((agent) => agent.name === run.agent);
    if (own !== undefined && own.state !== 'lost') return undefined;
    if (agents.some((agent) => agent.pool === run.pool && agent.state !== 'lost')) return undefined;
    return (
      `Agent ${printable(run.agent)}, which runs it, is lost, and no live agent serves pool ${run.pool}: ` +
      `the server ends the run as lost once the agent's lock on it expires (--lock-duration), unless one starts first and takes it over (\`sortie agent --pool ${run.pool}\`)`
    );
  } catch {
    return undefined;
  }
}

/** A name from the server with its control characters escaped as in JSON. */
function printable(text: string): string {
  return text.replace(/\p{Cc}/gu, (character) => JSON.stringify(character).slice(1, -1));
}

/** How long a run may stay queued before `--remote` says what it waits for. */
const WAITING_NOTICE_MS = 5_000;

/**
 * What a run still queued after {@link WAITING_NOTICE_MS} waits for, from the server's list of agents:
 * no live agent serves its pool (the usual mistake: a pool name, or no agent started), or they are all
 * busy. Undefined when the list cannot be read (an older server, Redis away): the run just goes on waiting.
 */
async function waitingNotice(client: ServerClient, pool: string): Promise<string | undefined> {
  try {
    const { agents } = await client.json<{ agents: Array<{ pool: string; state: string; name: string }> }>('/api/agents');
    const serving = agents.filter((agent) => agent.pool === pool && agent.state !== 'lost');
    if (serving.length === 0) {
      return `Waiting for an agent on pool ${pool}: no live agent serves it (start one with \`sortie agent --pool ${pool}\`)`;
    }
    if (serving.every((agent) => agent.state === 'busy')) {
      return `Waiting for an agent on pool ${pool}: its ${serving.length === 1 ? 'agent is' : `${serving.length} agents are`} busy`;
    }
    return undefined;
  } catch {
    return undefined;
  }
}

/** `promise`'s value, or {@link SILENT} when it takes longer than `ms`. */
async function orSilence<T>(promise: Promise<T>, ms: number): Promise<T | typeof SILENT> {
  let timer: NodeJS.Timeout | undefined;
  const silence = new Promise<typeof SILENT>((resolve) => {
    timer = setTimeout(() => resolve(SILENT), ms);
  });
  try {
    return await Promise.race([promise, silence]);
  } finally {
    clearTimeout(timer);
  }
}

/** The run's outcome from its record, once it is no longer queued or running. */
function endedRun(run: RemoteRun): { status: string; message?: string } | undefined {
  if (run.status === 'queued' || run.status === 'running') return undefined;
  return run.message === undefined ? { status: run.status } : { status: run.status, message: run.message };
}
