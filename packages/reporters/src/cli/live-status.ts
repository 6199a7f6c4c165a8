/**
 * The live status area the CLI reporter keeps under its output on a terminal: the running step of
 * every scenario run in flight (one line per `--parallel` slot) with its elapsed time, the counters
 * (passed / failed / errored steps, requests), and a progress bar with an ETA when the number of
 * steps is known. The reporter erases it before printing lines and draws it again after them, so the
 * lines above stay append-only; it is never drawn when the output is not a terminal.
 */
import { CONTAINER_STEP_KINDS, type StepEndEvent, type StepStartEvent } from '@sortie/core';
import { type Paint, sanitizeTerminalLine } from './ansi.js';
import { charColumns } from './text-width.js';

/** Options of the live status area. */
export interface LiveStatusOptions {
  /**
   * Width of the terminal; lines are cut to it so that none wraps (default 80). A function is read
   * at every redraw: a terminal narrowed during the run wrapped the area's lines, which its erasing
   * then left on the screen.
   */
  columns?: number | (() => number | undefined);
  /** Steps the run will run, for the progress bar; unknown when absent. Top-level steps (scenario runs × their top-level steps) unless countLeafSteps. */
  plannedSteps?: number;
  /** plannedSteps counts every leaf step (requests, scripts, waits, DB operations, inside loops and groups too), not the top-level ones. */
  countLeafSteps?: boolean;
  /** The clock, in ms (default performance.now). */
  now?: () => number;
}

interface RunningStep {
  title: string;
  startedAt: number;
}

const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
const BAR_WIDTH = 24;

export class LiveStatus {
  readonly #options: LiveStatusOptions;
  readonly #now: () => number;
  readonly #startedAt: number;
  /** Per scenario run in flight: the steps started and not ended, outermost first. */
  readonly #running = new Map<string, RunningStep[]>();
  #passed = 0;
  #failed = 0;
  #errored = 0;
  #requests = 0;
  #doneSteps = 0;
  #frame = 0;

  constructor(options: LiveStatusOptions = {}) {
    this.#options = options;
    this.#now = options.now ?? (() => performance.now());
    this.#startedAt = this.#now();
  }

  stepStarted(event: StepStartEvent): void {
    const stack = this.#running.get(event.scenario) ?? [];
    stack.push({ title: [...event.path, event.name].join(' › '), startedAt: this.#now() });
    this.#running.set(event.scenario, stack);
  }

  stepEnded(event: StepEndEvent): void {
    const stack = this.#running.get(event.scenario);
    stack?.pop();
    const { result } = event;
    // A top-level step of a scenario run (a loop's passes are iterations inside it), or any leaf step.
    if (
      this.#options.countLeafSteps === true
        ? !CONTAINER_STEP_KINDS.has(result.kind)
        : result.path.length === 0 && result.kind !== 'iteration'
    )
      this.#doneSteps++;
    if (CONTAINER_STEP_KINDS.has(result.kind)) return;
    if (result.request !== undefined) this.#requests++;
    if (result.ignored === true || result.status === 'passed') this.#passed++;
    else if (result.status === 'failed') this.#failed++;
    else if (result.status === 'error') this.#errored++;
  }

  scenarioEnded(key: string): void {
    this.#running.delete(key);
  }

  /** The lines of the area now (no line feeds), each cut to the terminal's width. */
  render(paint: Paint): string[] {
    const now = this.#now();
    const elapsed = now - this.#startedAt;
    const spinner = paint('cyan', SPINNER[this.#frame++ % SPINNER.length]!);
    const counters = [
      paint('green', `✓ ${this.#passed}`),
      this.#failed > 0 ? paint('red', `✗ ${this.#failed}`) : `✗ ${this.#failed}`,
      this.#errored > 0 ? paint('red', `! ${this.#errored}`) : `! ${this.#errored}`,
      `${this.#requests} request${this.#requests === 1 ? '' : 's'}`,
    ].join('  ');
    const lines = [`${spinner} ${formatClock(elapsed)}  ${counters}`];
    const planned = this.#options.plannedSteps;
    if (planned !== undefined && planned > 0) lines.push(`  ${this.#renderProgress(planned, elapsed, paint)}`);
    for (const stack of this.#running.values()) {
      const step = stack.at(-1);
      if (step === undefined) continue;
      lines.push(`  ${paint('dim', '▸')} ${sanitizeTerminalLine(step.title)}  ${paint('dim', formatClock(now - step.startedAt))}`);
    }
    // One column short of the terminal's, however narrow it is: a line that wraps survives the area's erasing.
    const option = this.#options.columns;
    const columns = typeof option === 'function' ? option() : option;
    const width = Math.max(1, columns === undefined || columns < 1 ? 80 : columns) - 1;
    return lines.map((line) => cutToWidth(line, width));
  }

  #renderProgress(planned: number, elapsed: number, paint: Paint): string {
    const done = Math.min(this.#doneSteps, planned);
    const filled = Math.round((done / planned) * BAR_WIDTH);
    const bar = `${paint('green', '█'.repeat(filled))}${paint('dim', '░'.repeat(BAR_WIDTH - filled))}`;
    const percent = Math.floor((done / planned) * 100);
    const eta = done === 0 || done === planned ? '' : `  ETA ${formatClock((elapsed / done) * (planned - done))}`;
    return `${bar} ${percent}%  ${done}/${planned} steps${eta}`;
  }
}

/** `m:ss` (or `h:mm:ss`). */
export function formatClock(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const seconds = String(total % 60).padStart(2, '0');
  const minutes = Math.floor(total / 60);
  if (minutes < 60) return `${minutes}:${seconds}`;
  return `${Math.floor(minutes / 60)}:${String(minutes % 60).padStart(2, '0')}:${seconds}`;
}

/**
 * Cuts a line (which may hold colour codes) to `width` terminal columns, so that it never wraps (a
 * wrapped line would survive the area's erasing). A wide character takes two columns, a combining
 * mark none; a character outside the BMP is never split.
 */
function cutToWidth(line: string, width: number): string {
  let visible = 0;
  let out = '';
  let styled = false;
  for (let at = 0; at < line.length; at++) {
    if (line[at] === '\u001b') {
      const end = line.indexOf('m', at);
      if (end !== -1) {
        out += line.slice(at, end + 1);
        styled = true;
        at = end;
        continue;
      }
    }
    const char = String.fromCodePoint(line.codePointAt(at) ?? 0);
    const columns = charColumns(char);
    // Room for the ellipsis: cut once this character would not leave a column for it.
    if (visible + columns > width) return `${out}…${styled ? '\u001b[0m' : ''}`;
    out += char;
    visible += columns;
    at += char.length - 1;
  }
  return out;
}
