/**
 * The JSON report (format: `ReportSchema`). Steps stream to one temporary file per scenario run
 * as they end; at `run:end` the report is assembled from those files, so memory does not grow
 * with the number of steps.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunEvent, RunResult, ScenarioResult, StepResult } from '@sortie/core';
import type { FileReporterOptions } from '../file-reporter-options.js';
import type { Reporter } from '../reporter.js';
import { type ReportFile, writeReportFile } from '../shared/report-file.js';
import { ScenarioTracker } from '../shared/scenario-key.js';
import { summariseEndedRun } from '../shared/summarise-run.js';
import { toWriteError } from '../shared/write-error.js';
import { redactJsonValue, stringifyIndented } from './redact-json.js';
import { REPORT_SCHEMA_URL, REPORT_VERSION } from './report-schema.js';
import { StepSpool } from './step-spool.js';

/** Indentation of a step object inside `scenarios[].steps[]`. */
const STEP_INDENT = 8;

interface ScenarioSlot {
  spool: StepSpool;
  /** Ids already written, so a container's nested children are not written twice. */
  seen: Set<string>;
}

/**
 * Creates the JSON reporter. The report is written to `options.file` (parent directories are
 * created) when the run ends, or at `close()` from the scenarios that ended when the run was cut short.
 */
export function createJsonReporter(options: FileReporterOptions): Reporter {
  return new JsonReporter(options);
}

class JsonReporter implements Reporter {
  readonly #options: FileReporterOptions;
  readonly #tracker: ScenarioTracker<ScenarioSlot>;
  readonly #ended: ScenarioResult[] = [];
  #tempDir: string | undefined;
  #spoolCount = 0;
  #runStartedAt: number | undefined;
  #writing: Promise<void> | undefined;
  #failure: unknown;

  constructor(options: FileReporterOptions) {
    this.#options = options;
    this.#tracker = new ScenarioTracker(() => ({ spool: new StepSpool(this.#nextSpoolPath()), seen: new Set() }));
  }

  onEvent(event: RunEvent): void {
    if (this.#failure !== undefined || this.#writing !== undefined) return;
    try {
      this.#handle(event);
    } catch (error) {
      this.#failure = toWriteError(this.#options.file, error);
    }
  }

  async close(): Promise<void> {
    try {
      if (this.#failure === undefined && this.#writing === undefined && this.#runStartedAt !== undefined) {
        this.#writing = this.#writeReport(summariseEndedRun(this.#runStartedAt, this.#ended));
      }
      await this.#writing?.catch((error: unknown) => {
        this.#failure ??= error;
      });
    } finally {
      for (const slot of this.#tracker.listSlots()) slot.spool.close();
      if (this.#tempDir !== undefined) rmSync(this.#tempDir, { recursive: true, force: true });
      this.#tempDir = undefined;
    }
    if (this.#failure !== undefined) throw this.#failure;
  }

  #handle(event: RunEvent): void {
    switch (event.type) {
      case 'run:start':
        this.#runStartedAt = event.startedAt;
        break;
      case 'scenario:start':
        this.#tracker.startScenario(event);
        break;
      case 'step:end': {
        const slot = this.#tracker.resolveStepKey(event.scenario);
        const step = pruneReported(event.result, slot.seen);
        if (step !== undefined) slot.spool.append(stringifyIndented(redactJsonValue(step, this.#options.redactor), STEP_INDENT));
        break;
      }
      case 'scenario:end': {
        const slot = this.#tracker.endScenario(event.result);
        slot.spool.close();
        slot.seen.clear();
        this.#ended.push(event.result);
        break;
      }
      case 'run:end':
        this.#writing = this.#writeReport(event.result);
        break;
      default:
        break;
    }
  }

  #nextSpoolPath(): string {
    this.#tempDir ??= mkdtempSync(join(tmpdir(), 'sortie-json-'));
    this.#spoolCount += 1;
    return join(this.#tempDir, `${this.#spoolCount}.jsonl`);
  }

  async #writeReport(run: RunResult): Promise<void> {
    const redactor = this.#options.redactor;
    await writeReportFile(this.#options.file, async (out) => {
      const head = {
        $schema: REPORT_SCHEMA_URL,
        version: REPORT_VERSION,
        tool: { name: 'sortie', version: this.#options.toolVersion ?? 'unknown' },
        startedAt: new Date(run.startedAt).toISOString(),
        durationMs: run.durationMs,
        status: run.status,
        totals: run.totals,
      };
      await out.write(`${openObject(stringifyIndented(redactJsonValue(head, redactor), 0), 0)},\n  "scenarios": [`);
      for (const [index, scenario] of run.scenarios.entries()) {
        await out.write(index === 0 ? '\n' : ',\n');
        await this.#writeScenario(out, scenario);
      }
      await out.write(run.scenarios.length === 0 ? ']\n}\n' : '\n  ]\n}\n');
    });
  }

  async #writeScenario(out: ReportFile, scenario: ScenarioResult): Promise<void> {
    const head: Record<string, unknown> = { name: scenario.name, file: scenario.file };
    if (scenario.iteration !== undefined) head.iteration = scenario.iteration;
    head.status = scenario.status;
    head.startedAt = new Date(scenario.startedAt).toISOString();
    head.durationMs = scenario.durationMs;
    head.totals = scenario.totals;
    if (scenario.error !== undefined) head.error = scenario.error;
    await out.write(`${openObject(stringifyIndented(redactJsonValue(head, this.#options.redactor), 4), 4)},\n      "steps": [`);
    const spool = this.#tracker.findScenario(scenario.file, scenario.iteration)?.spool;
    if (spool === undefined || spool.count === 0) {
      await out.write(']\n    }');
      return;
    }
    await out.write('\n');
    await spool.copyTo((chunk) => out.writeBytes(chunk));
    await out.write('\n      ]\n    }');
  }
}

/** Removes the closing brace of a pretty-printed object so more members can follow. */
function openObject(json: string, indent: number): string {
  const closing = `\n${' '.repeat(indent)}}`;
  return json.endsWith(closing) ? json.slice(0, -closing.length) : json;
}

/** Drops (recursively) the children already written through their own `step:end`, and marks what remains as written. */
function pruneReported(step: StepResult, seen: Set<string>): StepResult | undefined {
  if (seen.has(step.id)) return undefined;
  seen.add(step.id);
  if (step.children === undefined) return step;
  const children = step.children.map((child) => pruneReported(child, seen)).filter((child) => child !== undefined);
  const { children: _children, ...rest } = step;
  return children.length > 0 ? { ...rest, children } : rest;
}
