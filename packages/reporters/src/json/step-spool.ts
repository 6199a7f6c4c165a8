/**
 * The members of one JSON array of steps (a scenario's `steps`, a container's `children`), kept in
 * a spool: pretty-printed step objects separated by `,\n`, without the brackets.
 */
import { Spool } from '../shared/spool.js';
import type { TempDir } from '../shared/temp-dir.js';

export class StepSpool {
  readonly spool: Spool;
  #count = 0;

  constructor(temp: TempDir) {
    this.spool = new Spool(temp);
  }

  /** How many members were appended. */
  get count(): number {
    return this.#count;
  }

  /** Appends one member. */
  append(text: string): void {
    this.spool.write(this.#count === 0 ? text : `,\n${text}`);
    this.#count += 1;
  }

  /** Appends one member made of `head`, every member of `inner` (streamed, not read into memory) and `tail`. */
  appendAround(head: string, inner: StepSpool, tail: string): void {
    this.spool.write(this.#count === 0 ? head : `,\n${head}`);
    this.spool.append(inner.spool);
    this.spool.write(tail);
    this.#count += 1;
  }

  /** Appends every member of `other` as members of this array. */
  appendMembers(other: StepSpool): void {
    if (other.count === 0) return;
    if (this.#count > 0) this.spool.write(',\n');
    this.spool.append(other.spool);
    this.#count += other.count;
  }

  /** Drops the content and its file. */
  dispose(): void {
    this.spool.dispose();
    this.#count = 0;
  }
}
