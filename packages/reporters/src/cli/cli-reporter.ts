/**
 * Live progress and a summary for people. Each scenario run prints as one block: when scenario
 * runs overlap, the lines of every run but the oldest are held back until the runs before it
 * have ended, so parallel output never interleaves.
 */
import {
  formatError,
  type LogEvent,
  type Redactor,
  type RunEndEvent,
  type ScenarioEndEvent,
  type ScenarioResult,
  type ScenarioStartEvent,
  type StepEndEvent,
  type TokenEvent,
} from '@sortie/core';
import type { Reporter } from '../reporter.js';
import { collectLeafSteps, createLeafState, type LeafState } from '../shared/leaf-steps.js';
import { ScenarioTracker } from '../shared/scenario-key.js';
import { describeNotRun, formatScenarioTitle } from '../shared/titles.js';
import { createPaint, type Paint, sanitizeTerminalText } from './ansi.js';
import { formatDuration } from './format-duration.js';
import { formatScenarioNotes } from './format-lifecycle.js';
import { formatStepLines, indentText } from './format-step-lines.js';
import { formatSummaryLines } from './format-summary.js';

export interface CliReporterOptions {
  /** Receives the output, a chunk of whole lines at a time. */
  write(text: string): void;
  /** Style with ANSI codes. Default: false (stable output for files and golden tests). */
  color?: boolean;
  /**
   * Also print request/response headers and bodies, passed assertions, script console lines, debug/info logs and
   * token activity. Default: false.
   */
  verbose?: boolean;
  /** Applied to every chunk written (and to header values): for secrets registered after an event went out, as FileReporterOptions.redactor. Default: none. */
  redactor?: Redactor;
}

interface ScenarioBlock {
  /** Lines held back while an older scenario run is still printing. */
  held: string[];
  headerDone: boolean;
  ended: boolean;
  leaves: LeafState;
}

/** Creates the CLI reporter. */
export function createCliReporter(options: CliReporterOptions): Reporter {
  return new CliReporter(options);
}

class CliReporter implements Reporter {
  readonly #options: CliReporterOptions;
  readonly #paint: Paint;
  readonly #verbose: boolean;
  /** Scenario runs not yet fully printed, oldest first; the first one prints live. */
  readonly #queue: ScenarioBlock[] = [];
  readonly #tracker: ScenarioTracker<ScenarioBlock>;

  constructor(options: CliReporterOptions) {
    this.#options = options;
    this.#paint = createPaint(options.color ?? false);
    this.#verbose = options.verbose ?? false;
    this.#tracker = new ScenarioTracker((_key, start) => this.#createBlock(start));
  }

  onScenarioStart(event: ScenarioStartEvent): void {
    this.#tracker.startScenario(event);
  }

  onStepEnd(event: StepEndEvent): void {
    const block = this.#tracker.resolveStepKey(event.scenario);
    const context = { paint: this.#paint, verbose: this.#verbose, redactor: this.#options.redactor };
    this.#emit(
      block,
      collectLeafSteps(event.result, block.leaves).flatMap((leaf) => formatStepLines(leaf, context)),
    );
  }

  onScenarioEnd(event: ScenarioEndEvent): void {
    this.#endScenario(this.#tracker.endScenario(event.result), event.result);
  }

  onRunEnd(event: RunEndEvent): void {
    this.#flushAll();
    this.#write(formatSummaryLines(event.result, this.#paint));
  }

  async close(): Promise<void> {
    this.#flushAll();
  }

  #createBlock(start: ScenarioStartEvent | undefined): ScenarioBlock {
    const block: ScenarioBlock = { held: [], headerDone: false, ended: false, leaves: createLeafState() };
    this.#queue.push(block);
    if (start !== undefined) this.#emitHeader(block, start);
    return block;
  }

  #emitHeader(block: ScenarioBlock, scenario: Parameters<typeof formatScenarioTitle>[0] & { file: string }): void {
    block.headerDone = true;
    const title = sanitizeTerminalText(formatScenarioTitle(scenario));
    this.#emit(block, [`${this.#paint('bold', `▶ ${title}`)}  ${this.#paint('dim', `(${sanitizeTerminalText(scenario.file)})`)}`]);
  }

  #endScenario(block: ScenarioBlock, result: ScenarioResult): void {
    if (!block.headerDone) this.#emitHeader(block, result);
    const lines: string[] = [];
    if (result.error !== undefined) {
      lines.push(...formatError(result.error, { style: 'scenario', paint: this.#paint, clean: sanitizeTerminalText }).split('\n'));
    }
    if (result.notRun !== undefined) lines.push(`  ${this.#paint('dim', describeNotRun(result.notRun))}`);
    lines.push(...formatScenarioNotes(result, this.#paint));
    lines.push('');
    this.#emit(block, lines);
    block.ended = true;
    this.#advance();
  }

  /** Prints lines of a scenario run now when it is the oldest one still printing, otherwise holds them. */
  #emit(block: ScenarioBlock, lines: string[]): void {
    if (lines.length === 0) return;
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

  #write(lines: string[]): void {
    if (lines.length === 0) return;
    const text = `${lines.join('\n')}\n`;
    this.#options.write(this.#options.redactor === undefined ? text : this.#options.redactor.redact(text));
  }
}
