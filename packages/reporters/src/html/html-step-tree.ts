/**
 * Nests one scenario run's steps as HTML while they stream in, the way the JSON report's StepTree
 * does: every container that starts gets a spool; each step that ends is rendered into the spool of
 * its innermost open container (or the scenario's); when the container ends, its head, its spool
 * (streamed, not read into memory) and its tail go into its parent's spool. Memory: one spool per
 * open nesting level, whatever the number of steps.
 */
import type { StepResult, StepStartEvent } from '@sortie/core';
import { Spool } from '../shared/spool.js';
import type { TempDir } from '../shared/temp-dir.js';
import {
  COLLAPSE_ABOVE,
  isContainer,
  renderContainerHead,
  renderContainerTail,
  renderListBreak,
  renderStepTree,
  type StepRenderContext,
} from './render-step.js';

interface OpenContainer {
  id: string;
  children: Spool;
  /** Steps rendered into `children` directly. */
  childCount: number;
  /** Steps rendered into `children` at any depth. */
  stepCount: number;
}

export class HtmlStepTree {
  readonly #temp: TempDir;
  readonly #context: StepRenderContext;
  readonly #top: Spool;
  readonly #open: OpenContainer[] = [];
  #topCount = 0;

  constructor(temp: TempDir, context: StepRenderContext) {
    this.#temp = temp;
    this.#context = context;
    this.#top = new Spool(temp);
  }

  /** Top-level steps written so far. */
  get count(): number {
    return this.#topCount;
  }

  start(event: StepStartEvent): void {
    if (!isContainer(event)) return;
    this.#closeStale(event.id, false);
    this.#context.anchors.start(event.id, event.kind);
    this.#open.push({ id: event.id, children: new Spool(this.#temp), childCount: 0, stepCount: 0 });
  }

  end(result: StepResult): void {
    this.#closeStale(result.id, true);
    const own = this.#open.at(-1)?.id === result.id ? this.#open.pop() : undefined;
    if (own === undefined || own.childCount === 0) {
      // A leaf, or a container whose children came nested in its result only.
      own?.children.dispose();
      this.#write(renderStepTree(result, this.#context), 1 + countNested(result));
      return;
    }
    const open = result.status === 'failed' || result.status === 'error' || own.stepCount <= COLLAPSE_ABOVE;
    const target = this.#target();
    target.spool.write(renderListBreak(target.count) + renderContainerHead(result, this.#context, open));
    this.#context.anchors.end(result.id, result.kind);
    target.spool.append(own.children);
    target.spool.write(renderContainerTail(own.childCount));
    this.#count(1 + own.stepCount);
    own.children.dispose();
  }

  /** Ends the scenario run: containers whose end never came give their children to the level above. */
  finish(): Spool {
    this.#closeStale('', true);
    return this.#top;
  }

  dispose(): void {
    for (const open of this.#open.splice(0)) open.children.dispose();
    this.#top.dispose();
  }

  /** The innermost open list and how many steps it holds directly. */
  #target(): { spool: Spool; count: number } {
    const parent = this.#open.at(-1);
    return parent === undefined ? { spool: this.#top, count: this.#topCount } : { spool: parent.children, count: parent.childCount };
  }

  #write(html: string, steps: number): void {
    const target = this.#target();
    target.spool.write(renderListBreak(target.count) + html);
    this.#count(steps);
  }

  #count(steps: number): void {
    const parent = this.#open.at(-1);
    if (parent === undefined) {
      this.#topCount += 1;
      return;
    }
    parent.childCount += 1;
    parent.stepCount += steps;
  }

  /** Closes open containers that cannot hold `id` (their end never came), keeping their children one level up. */
  #closeStale(id: string, self: boolean): void {
    for (let open = this.#open.at(-1); open !== undefined; open = this.#open.at(-1)) {
      if (id.startsWith(`${open.id}.`) || (self && open.id === id)) return;
      this.#open.pop();
      this.#context.anchors.end(open.id, 'group');
      const parent = this.#open.at(-1);
      (parent?.children ?? this.#top).append(open.children);
      if (parent === undefined) this.#topCount += open.childCount;
      else {
        parent.childCount += open.childCount;
        parent.stepCount += open.stepCount;
      }
      open.children.dispose();
    }
  }
}

function countNested(step: StepResult): number {
  let count = 0;
  for (const child of step.children ?? []) count += 1 + countNested(child);
  return count;
}
