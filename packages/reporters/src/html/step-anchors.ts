/**
 * The element ids (anchors) of one scenario run's steps: `<prefix>.<run id>` (see StepRunIds), unique
 * in the page although a step that `setNextRequest` runs again keeps its step id: `<prefix>.1~2` for
 * step 1's second run, `<prefix>.1~2.0` for a step inside it. The JSON report's step ids are the same run ids.
 */
import type { StepKind } from '@sortie/core';
import { StepRunIds } from '../shared/step-run-ids.js';

export class StepAnchors {
  readonly #prefix: string;
  readonly #ids = new StepRunIds();

  constructor(prefix: string) {
    this.#prefix = prefix;
  }

  /** The anchor of a step that starts (the same one until it ends). */
  start(id: string, kind: StepKind): string {
    return `${this.#prefix}.${this.#ids.start(id, kind)}`;
  }

  /** A step ends: its anchor, forgotten with the lists inside it. */
  end(id: string, kind: StepKind): string {
    return `${this.#prefix}.${this.#ids.end(id, kind)}`;
  }
}
