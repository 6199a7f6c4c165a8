/**
 * Live progress and a summary for people. Each scenario run prints as one block: when scenario
 * runs overlap, the lines of every run but the oldest are held back until the runs before it
 * have ended, so parallel output never interleaves.
 */
import {
  formatError,
  isObjectArgument,
  type LogEvent,
  type Redactor,
  type RunEndEvent,
  type ScenarioEndEvent,
  type ScenarioResult,
  type ScenarioStartEvent,
  type StepEndEvent,
  type StepResult,
  type StepStartEvent,
  type TokenEvent,
  wrongArgument,
} from '@sortie/core';
import type { Reporter } from '../reporter.js';
import { collectLeafSteps, createLeafState, type LeafState } from '../shared/leaf-steps.js';
import { ScenarioTracker } from '../shared/scenario-key.js';
import { describeNotRun, formatScenarioTitle } from '../shared/titles.js';
import { createPaint, type Paint, sanitizeTerminalLine, sanitizeTerminalText } from './ansi.js';
import { formatDuration } from './format-duration.js';
import { formatScenarioNotes, isCutShort } from './format-lifecycle.js';
import { formatStepLines, indentText } from './format-step-lines.js';
import { formatSummaryLines } from './format-summary.js';
import { LiveStatus, type LiveStatusOptions } from './live-status.js';

export interface CliReporterOptions {
  /** Receives the output, a chunk of whole lines at a time. */
  write(text: string): void;
  /** Style with ANSI codes. Default: false (stable output for files and golden tests). */
  color?: boolean;
  /**
   * Also print request/response headers and bodies, passed assertions, debug/info logs and
   * token activity. Default: false.
   */
  verbose?: boolean;
  /** Applied to every chunk written (and to header values): for secrets registered after an event went out, as FileReporterOptions.redactor. Default: none. */
  redactor?: Redactor;
  /**
   * Only what went wrong (`-q`): failed and errored steps under their scenario's title, scenario errors,
   * error logs, failed token requests, and the summary. Default: false.
   */
  quiet?: boolean;
  /**
   * The output is a terminal a person watches: keep a live status area under the lines (running steps,
   * counters, progress; see LiveStatus), redrawn every `refreshMs` and on every event, erased before the
   * summary. Default: none (append-only lines, for pipes, files and CI).
   */
  live?: LiveStatusOptions & { refreshMs?: number };
}

interface ScenarioBlock {
  /** Lines held back while an older scenario run is still printing. */
  held: string[];
  headerDone: boolean;
  /** Quiet mode: the title line, printed before the scenario's first line (if it gets any). */
  pendingHeader?: string;
  ended: boolean;
  leaves: LeafState;
}

/** Creates the CLI reporter. */
export function createCliReporter(options: CliReporterOptions): Reporter {
  if (!isObjectArgument(options)) throw wrongArgument('createCliReporter', 'options', 'an object (its output, at least)', options);
  return new CliReporter(options);
}

/** Moves the cursor up `count` lines, to their start, and erases from there to the end of the screen (ECMA-48 CPL, ED). */
function eraseLines(count: number): string {
  return `\u001b[${count}F\u001b[J`;
}

/** A step quiet mode shows: it failed or errored (an ignored problem is not one). */
function isProblem(step: StepResult): boolean {
  return step.ignored !== true && (step.status === 'failed' || step.status === 'error');
}

class CliReporter implements Reporter {
  readonly #options: CliReporterOptions;
  readonly #paint: Paint;
  readonly #verbose: boolean;
  readonly #quiet: boolean;
  /** Scenario runs not yet fully printed, oldest first; the first one prints live. */
  readonly #queue: ScenarioBlock[] = [];
  readonly #tracker: ScenarioTracker<ScenarioBlock>;
  readonly #live: LiveStatus | undefined;
  /** Lines of the status area on the screen now (0: none drawn). */
  #statusLines = 0;
  /** Scenario runs that ended as passed with steps left unrun: if the run was interrupted, it cut them short. */
  #cutShort = 0;
  #timer: ReturnType<typeof setInterval> | undefined;

  constructor(options: CliReporterOptions) {
    this.#options = options;
    this.#paint = createPaint(options.color ?? false);
    this.#verbose = options.verbose ?? false;
    this.#quiet = options.quiet ?? false;
    this.#tracker = new ScenarioTracker((_key, start) => this.#createBlock(start));
    this.#live = options.live === undefined ? undefined : new LiveStatus(options.live);
  }

  onRunStart(): void {
    if (this.#live === undefined) return;
    this.#timer = setInterval(() => this.#write([]), this.#options.live?.refreshMs ?? 100);
    this.#timer.unref?.();
    this.#write([]);
  }

  onStepStart(event: StepStartEvent): void {
    if (this.#live === undefined) return;
    this.#live.stepStarted(event);
    this.#write([]);
  }

  onScenarioStart(event: ScenarioStartEvent): void {
    this.#tracker.startScenario(event);
  }

  onStepEnd(event: StepEndEvent): void {
    this.#live?.stepEnded(event);
    const block = this.#tracker.resolveStepKey(event.scenario);
    const context = { paint: this.#paint, verbose: this.#verbose, redactor: this.#options.redactor };
    const leaves = collectLeafSteps(event.result, block.leaves);
    const shown = this.#quiet ? leaves.filter((leaf) => isProblem(leaf)) : leaves;
    this.#emit(
      block,
      shown.flatMap((leaf) => formatStepLines(leaf, context)),
    );
  }

  onScenarioEnd(event: ScenarioEndEvent): void {
    if (isCutShort(event.result)) this.#cutShort += 1;
    this.#endScenario(this.#tracker.endScenario(event.result), event.result);
  }

  onRunEnd(event: RunEndEvent): void {
    this.#flushAll();
    this.#stopLive();
    this.#write(formatSummaryLines(event.result, this.#paint, this.#cutShort));
  }

  async close(): Promise<void> {
    this.#flushAll();
    this.#stopLive();
  }

  /** Erases the status area for good: what follows is plain lines. */
  #stopLive(): void {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
    if (this.#statusLines > 0) this.#options.write(eraseLines(this.#statusLines));
    this.#statusLines = 0;
  }

  #createBlock(start: ScenarioStartEvent | undefined): ScenarioBlock {
    const block: ScenarioBlock = { held: [], headerDone: false, ended: false, leaves: createLeafState() };
    this.#queue.push(block);
    if (start !== undefined) this.#emitHeader(block, start);
    return block;
  }

  #emitHeader(block: ScenarioBlock, scenario: Parameters<typeof formatScenarioTitle>[0] & { file: string }): void {
    block.headerDone = true;
    const title = sanitizeTerminalLine(formatScenarioTitle(scenario));
    const line = `${this.#paint('bold', `▶ ${title}`)}  ${this.#paint('dim', `(${sanitizeTerminalLine(scenario.file)})`)}`;
    if (this.#quiet) block.pendingHeader = line;
    else this.#emit(block, [line]);
  }

  #endScenario(block: ScenarioBlock, result: ScenarioResult): void {
    if (!block.headerDone) this.#emitHeader(block, result);
    const lines: string[] = [];
    if (result.error !== undefined) {
      lines.push(...formatError(result.error, { style: 'scenario', paint: this.#paint, clean: sanitizeTerminalText }).split('\n'));
    }
    if (result.notRun !== undefined && !this.#quiet) lines.push(`  ${this.#paint('dim', describeNotRun(result.notRun))}`);
    // Quiet: a scenario run with nothing to show leaves no trace (not even its blank line).
    lines.push(...formatScenarioNotes(result, this.#paint));
    if (lines.length > 0 || block.pendingHeader === undefined) lines.push('');
    this.#emit(block, lines);
    block.ended = true;
    this.#advance();
  }

  /** Prints lines of a scenario run now when it is the oldest one still printing, otherwise holds them. */
  #emit(block: ScenarioBlock, text: string[]): void {
    if (text.length === 0) return;
    let lines = text;
    if (block.pendingHeader !== undefined) {
      lines = [block.pendingHeader, ...text];
      block.pendingHeader = undefined;
    }
    if (this.#queue[0] === block) this.#write(lines);
    else block.held.push(...lines);
  }

  /** Drops ended runs from the head of the queue and prints what the next ones held back. */
  #advance(): void {
    while (this.#queue[0]?.ended) {
      this.#queue.shift();
      const next = this.#queue[0];
      if (next === undefined) break;
      this.#write(next.held);
      next.held = [];
    }
  }

  #flushAll(): void {
    for (const block of this.#queue) {
      this.#write(block.held);
      block.held = [];
    }
    this.#queue.length = 0;
  }

  onLog(event: LogEvent): void {
    if (!this.#verbose && (event.level === 'debug' || event.level === 'info')) return;
    if (this.#quiet && event.level !== 'error') return;
    const style = event.level === 'error' ? 'red' : event.level === 'warn' ? 'yellow' : 'dim';
    const lines = indentText(`${this.#paint(style, `[${event.level}]`)} ${sanitizeTerminalText(event.message)}`, '    ');
    if (event.scenario === undefined) this.#write(lines);
    else this.#emit(this.#tracker.resolveStepKey(event.scenario), lines);
  }

  onToken(event: TokenEvent): void {
    if (!this.#verbose && event.action !== 'failed') return;
    let text = `token ${event.action} for ${event.profile}`;
    if (event.grant !== undefined) text += ` (${event.grant})`;
    if (event.durationMs !== undefined) text += ` in ${formatDuration(event.durationMs)}`;
    if (event.message !== undefined) text += `: ${event.message}`;
    const symbol = event.action === 'failed' ? this.#paint('red', '!') : this.#paint('dim', '*');
    this.#write(indentText(`${symbol} ${sanitizeTerminalText(text)}`, '    '));
  }

  /** Writes lines; in live mode the status area is erased first and drawn again under them. */
  #write(lines: string[]): void {
    const live = this.#live !== undefined && this.#timer !== undefined;
    if (lines.length === 0 && !live) return;
    let text = lines.length === 0 ? '' : `${lines.join('\n')}\n`;
    if (live) {
      const status = this.#live!.render(this.#paint);
      text = `${this.#statusLines > 0 ? eraseLines(this.#statusLines) : ''}${text}${status.join('\n')}\n`;
      this.#statusLines = status.length;
    }
    this.#options.write(this.#options.redactor === undefined ? text : this.#options.redactor.redact(text));
  }
}
