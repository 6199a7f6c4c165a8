/**
 * The live part of a run page: the run's event stream turned into server-rendered pieces of the
 * page, each an SSE message. Ended steps are rendered by the HTML report's own renderer
 * (`renderStepTree`), so a step looks the same while the run goes on and in the finished view.
 * Messages: `status` (queued/running, agent), `current` (the step that started), `html` (markup to
 * append to the step list), `counts`, `reset` (a new attempt after a lost agent: start again) and
 * `end` (the run is recorded as finished: reload for the finished view).
 */
import type { StreamEntry } from '@sortie/agent';
import { CONTAINER_STEP_KINDS, type RunEvent } from '@sortie/core';
import { formatScenarioKey, HtmlText, renderStepTree, ScenarioAnchors, StepAnchors } from '@sortie/reporters';
import { formatTime } from './format.js';
import { html } from './html.js';

export interface LiveMessage {
  event: 'status' | 'current' | 'html' | 'counts' | 'reset' | 'end';
  data: Record<string, unknown>;
}

/** Turns one run's stream entries into page messages; keeps the counts and the last nesting path shown. */
export class LiveProgress {
  // Stream events were redacted by the engine on the agent; the server has no secrets to add.
  readonly #text = new HtmlText(undefined);
  #counts = { passed: 0, failed: 0, error: 0, skipped: 0 };
  #path = '';
  #scenarioAnchors = new Map<string, StepAnchors>();
  /** The live page's scenario ids, unique in the page (`live-s-…`). */
  readonly #scenarioIds = new ScenarioAnchors('live-');
  /** The newest attempt started, by shard (-1: a run in one piece). */
  readonly #attempts = new Map<number, number>();

  /**
   * Whether the entry belongs to an attempt a newer one replaced: its agent lost the job's lock (Redis
   * away longer than --lock-duration) and went on after BullMQ handed the run to another agent. Its
   * steps were drawn among the newer attempt's, after the reset, and its `end` ended the live view.
   */
  superseded(entry: StreamEntry): boolean {
    const shard = 'shard' in entry && typeof entry.shard === 'number' ? entry.shard : -1;
    const newest = this.#attempts.get(shard) ?? 0;
    if (entry.attempt < newest) return true;
    if (entry.kind === 'attempt-start') this.#attempts.set(shard, entry.attempt);
    return false;
  }

  /** `at`: when Redis took the entry (its stream id's time), shown as the start of an attempt. */
  messages(entry: StreamEntry, at?: number): LiveMessage[] {
    if (this.superseded(entry)) return [];
    if (entry.kind === 'attempt-start') {
      const out: LiveMessage[] = [];
      // A shard handed on starts again alone: the other shards' progress stays.
      if (entry.attempt > 1 && entry.shard === undefined) {
        this.#counts = { passed: 0, failed: 0, error: 0, skipped: 0 };
        this.#path = '';
        this.#scenarioAnchors.clear();
        this.#scenarioIds.clear();
        out.push({ event: 'reset', data: { attempt: entry.attempt } });
      }
      const status: Record<string, unknown> = { status: 'running', agent: entry.agent, attempt: entry.attempt };
      if (entry.shard !== undefined) status.shard = entry.shard;
      if (at !== undefined) {
        status.started = formatTime(at);
        status.startedAt = at;
      }
      out.push({ event: 'status', data: status });
      return out;
    }
    if (entry.kind === 'end' || entry.kind === 'shard-end') return [];
    return this.#event(entry.event as RunEvent);
  }

  #event(event: RunEvent): LiveMessage[] {
    switch (event.type) {
      case 'scenario:start': {
        this.#scenarioAnchors.set(formatScenarioKey(event.file, event.iteration), new StepAnchors(this.#scenarioIds.of(event)));
        this.#path = '';
        const iteration = event.iteration === undefined ? '' : ` · iteration ${event.iteration}`;
        return [
          {
            event: 'html',
            data: { html: html`<li class="live-scenario"><h3>${event.name}</h3> <code>${event.file}</code>${iteration}</li>\n`.value },
          },
        ];
      }
      case 'step:start':
        if (CONTAINER_STEP_KINDS.has(event.kind)) {
          this.#anchors(event.scenario).start(event.id, event.kind);
          return [];
        }
        return [{ event: 'current', data: { text: `Running: ${[...event.path, event.name].join(' › ')}` } }];
      case 'step:end': {
        const step = event.result;
        // Containers are shown through their steps (their light result carries no children).
        if (CONTAINER_STEP_KINDS.has(step.kind)) {
          this.#anchors(event.scenario).end(step.id, step.kind);
          return [];
        }
        this.#counts[step.status] += 1;
        const path = step.path.join(' › ');
        const pieces: string[] = [];
        if (path !== this.#path) {
          this.#path = path;
          if (path !== '') pieces.push(html`<li class="live-path">${path}</li>\n`.value);
        }
        pieces.push(renderStepTree(step, { text: this.#text, anchors: this.#anchors(event.scenario) }));
        return [
          { event: 'html', data: { html: pieces.join('') } },
          { event: 'counts', data: { ...this.#counts } },
        ];
      }
      case 'scenario:end':
        this.#scenarioAnchors.delete(formatScenarioKey(event.result.file, event.result.iteration));
        return [{ event: 'current', data: { text: `Ended: ${event.result.name} (${event.result.status})` } }];
      default:
        return [];
    }
  }

  /** The step anchors of a scenario run (by its key), made on first use for one whose start was not seen. */
  #anchors(scenario: string): StepAnchors {
    let anchors = this.#scenarioAnchors.get(scenario);
    if (anchors === undefined) {
      anchors = new StepAnchors(this.#scenarioIds.forKey(scenario));
      this.#scenarioAnchors.set(scenario, anchors);
    }
    return anchors;
  }
}

/** One SSE message (`data` is JSON: one line, whatever it holds). */
export function formatSse(message: LiveMessage, id?: string): string {
  return `${id === undefined ? '' : `id: ${id}\n`}event: ${message.event}\ndata: ${JSON.stringify(message.data)}\n\n`;
}
