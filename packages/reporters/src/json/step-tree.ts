/**
 * Nests one scenario run's steps as they stream in, without holding them: every container that
 * starts (a group, if, include, loop, forEach or one pass of a loop) gets a spool of its own; each
 * step that ends is written, with all its details, into the spool of its innermost open container
 * (or the scenario's); when the container ends, its object is written into its parent's spool with
 * `"children": [` + its spool streamed in + `]`, and its spool is dropped. Steps are written in the
 * order they ended, which among siblings is execution order. Memory: one spool per open container
 * (at most 64 KiB each, plus a 32 KiB write batch once it is in a file, see Spool), whatever the number of
 * steps or loop passes.
 */
import { CONTAINER_STEP_KINDS, type Redactor, type StepResult, type StepStartEvent } from '@sortie/core';
import { StepRunIds } from '../shared/step-run-ids.js';
import type { TempDir } from '../shared/temp-dir.js';
import { stringifyRedacted } from './redact-json.js';
import { StepSpool } from './step-spool.js';

/** Indentation of a step object inside `scenarios[].steps[]`. */
export const TOP_STEP_INDENT = 8;

/** Extra indentation of a container's children: `"children": [` is 2 deeper than the container, its members 4. */
const CHILD_INDENT = 4;

interface OpenContainer {
  id: string;
  /** Indentation of the container's own object. */
  indent: number;
  children: StepSpool;
}

export class StepTree {
  readonly #temp: TempDir;
  readonly #redactor: Redactor | undefined;
  readonly #top: StepSpool;
  /** Open containers, outermost first; each is inside the one before it. */
  readonly #open: OpenContainer[] = [];
  /** The ids the report gives the steps: unique although a step that `setNextRequest` runs again keeps its id. */
  readonly #ids = new StepRunIds();

  constructor(temp: TempDir, redactor: Redactor | undefined) {
    this.#temp = temp;
    this.#redactor = redactor;
    this.#top = new StepSpool(temp);
  }

  /** Opens a container's spool on its `step:start`; other steps need nothing until they end. */
  start(event: StepStartEvent): void {
    this.#ids.start(event.id, event.kind);
    if (!CONTAINER_STEP_KINDS.has(event.kind)) return;
    this.#closeStale(event.id, false);
    const parent = this.#open.at(-1);
    this.#open.push({
      id: event.id,
      indent: parent === undefined ? TOP_STEP_INDENT : parent.indent + CHILD_INDENT,
      children: new StepSpool(this.#temp),
    });
  }

  /** Writes a step that ended into its container's spool (a container with the children it collected). */
  end(result: StepResult): void {
    this.#closeStale(result.id, true);
    const own = this.#open.at(-1)?.id === result.id ? this.#open.pop() : undefined;
    const parent = this.#open.at(-1);
    const target = parent?.children ?? this.#top;
    const indent = own?.indent ?? (parent === undefined ? TOP_STEP_INDENT : parent.indent + CHILD_INDENT);
    if (own === undefined || own.children.count === 0) {
      // A leaf, or a container none of whose children came as their own events: written as given
      // (with `children` when the engine nested them in the result), each with its run id.
      target.append(stringifyRedacted(this.#ids.endNested(result), indent, this.#redactor));
      own?.children.dispose();
      return;
    }
    const { children: _light, ...fields } = { ...result, id: this.#ids.end(result.id, result.kind) };
    const pad = ' '.repeat(indent);
    const head = `${openObject(stringifyRedacted(fields, indent, this.#redactor), indent)},\n${pad}  "children": [\n`;
    target.appendAround(head, own.children, `\n${pad}  ]\n${pad}}`);
    own.children.dispose();
  }

  /**
   * Ends the scenario run: containers still open (their step:end never came) give their children
   * to the level above, and the scenario's steps are handed over. The tree is empty afterwards.
   */
  finish(): StepSpool {
    this.#closeStale('', true);
    return this.#top;
  }

  /** Drops every spool (a run cut short). */
  dispose(): void {
    for (const open of this.#open.splice(0)) open.children.dispose();
    this.#top.dispose();
  }

  /**
   * Closes the open containers that cannot hold `id` — they did not end before a step outside them
   * did, which the engine never does — keeping their children one level up. With `self`, a container
   * with the id itself stays open (it is the one ending).
   */
  #closeStale(id: string, self: boolean): void {
    for (let open = this.#open.at(-1); open !== undefined; open = this.#open.at(-1)) {
      if (id.startsWith(`${open.id}.`) || (self && open.id === id)) return;
      this.#open.pop();
      this.#ids.end(open.id, 'group');
      (this.#open.at(-1)?.children ?? this.#top).appendMembers(open.children);
      open.children.dispose();
    }
  }
}

/** Removes the closing brace of a pretty-printed object so more members can follow. */
export function openObject(json: string, indent: number): string {
  const closing = `\n${' '.repeat(indent)}}`;
  return json.endsWith(closing) ? json.slice(0, -closing.length) : json;
}
