/**
 * The event log of one shard of a run (`sortie run --remote --shards`): every run event the shard's
 * engine emitted, one JSON object a line, in order. It is what the reporters of the whole run are
 * made from once every shard has ended (see mergeShards): the shards run on different agents, and
 * only their events, not their reports, can be put together into one report.
 */
import type { Redactor, RunEvent } from '@sortie/core';
import type { Reporter } from '../reporter.js';

export interface EventLogOptions {
  /**
   * The run's redactor. Events were redacted as the engine emitted them; at the end every line is
   * checked again against every secret the run knows by then (a token a later step extracted, which
   * an earlier response echoed), as the file reporters check what they write.
   */
  redactor?: Redactor;
  /** Receives the log (UTF-8 JSON lines) once the run has ended. */
  onReport: (content: Buffer) => void;
}

/** Records a run's events as JSON lines; hands the log over at `close()`. */
export function createEventLogReporter(options: EventLogOptions): Reporter {
  const lines: string[] = [];
  const record = (event: RunEvent) => {
    lines.push(JSON.stringify(event));
  };
  return {
    onRunStart: record,
    onScenarioStart: record,
    onStepStart: record,
    onStepEnd: record,
    onScenarioEnd: record,
    onRunEnd: record,
    onLog: record,
    onToken: record,
    async close() {
      const redactor = options.redactor;
      if (redactor !== undefined) {
        for (const [index, line] of lines.entries()) {
          if (redactor.mayAppearInJson(line)) lines[index] = JSON.stringify(redactor.redactValue(JSON.parse(line) as unknown));
        }
      }
      options.onReport(Buffer.from(lines.length === 0 ? '' : `${lines.join('\n')}\n`));
    },
  };
}

/** The events of an event log, in order. Throws on a line that is not a JSON object with a `type`. */
export function* readEventLog(log: Buffer | string): Generator<RunEvent> {
  const text = typeof log === 'string' ? log : log.toString('utf8');
  let start = 0;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    const line = text.slice(start, end);
    start = end + 1;
    if (line === '') continue;
    const event = JSON.parse(line) as RunEvent;
    if (event === null || typeof event !== 'object' || typeof event.type !== 'string') throw new Error('an event log line is not an event');
    yield event;
  }
}
