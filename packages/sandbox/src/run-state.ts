/**
 * Host-side state of one script run: its context, the deadline, the host work still pending
 * (timers, `pm.sendRequest` calls) and the queue of jobs to run in the guest when that work ends.
 * Guest code is only ever entered from the sandbox's drain loop, never from a stray callback.
 */
import { decodeBodyText, getHeader } from '@sortie/core';
import type { GuestError } from './script-error.js';
import type { ScriptContext } from './types.js';

export class RunState {
  readonly ctx: ScriptContext;
  /** When the script's time is up; moved later by {@link RunState.extend} for time not charged to the script. */
  deadline: number;
  /** Jobs that enter the guest (fire a timer, settle a promise), run by the drain loop in order. */
  readonly queue: Array<() => void> = [];
  readonly timers = new Map<number, ReturnType<typeof setTimeout>>();
  /** Cleanup for host promises whose guest side may still be waiting (disposes their handles). */
  readonly cleanups = new Set<() => void>();
  /** Host operations in flight (timers and requests) that will post a job when they end. */
  pending = 0;
  closed = false;
  /** An uncatchable guest error (limit) raised while running a queued job. */
  failure: GuestError | undefined;
  /** The script threw an uncaught error (recorded in the guest): nothing pending is waited for. */
  ended = false;
  #responseText: string | undefined;
  #wake: (() => void) | undefined;

  constructor(ctx: ScriptContext, timeLimitMs: number) {
    this.ctx = ctx;
    this.deadline = Date.now() + timeLimitMs;
  }

  /** Gives the script `ms` more: time spent on the host's behalf (loading a bundled library) is not the script's. */
  extend(ms: number): void {
    this.deadline += ms;
  }

  /** Decoded response body, decoded once and only when a script asks for it. */
  responseText(): string {
    if (this.#responseText === undefined) {
      const body = this.ctx.response?.body;
      const contentType = this.ctx.response === undefined ? undefined : getHeader(this.ctx.response.headers, 'content-type');
      this.#responseText = body === undefined ? '' : decodeBodyText(body, contentType);
    }
    return this.#responseText;
  }

  /** Queues a guest job; ignored once the run is over. */
  post(job: () => void): void {
    if (this.closed) return;
    this.queue.push(job);
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
  }

  /** Resolves true when a job is queued, false when the deadline passes or the run's signal aborts first. */
  waitForJob(): Promise<boolean> {
    if (this.queue.length > 0) return Promise.resolve(true);
    const signal = this.ctx.signal;
    if (signal?.aborted === true) return Promise.resolve(false);
    return new Promise((resolve) => {
      const end = (jobCame: boolean): void => {
        this.#wake = undefined;
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        resolve(jobCame);
      };
      const onAbort = (): void => end(false);
      const timer = setTimeout(() => end(false), Math.max(0, this.deadline - Date.now()));
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#wake = () => end(true);
    });
  }

  /** Ends the run: stops its timers and releases what guest promises still hold. */
  close(): void {
    this.closed = true;
    this.#wake = undefined;
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    for (const cleanup of this.cleanups) cleanup();
    this.cleanups.clear();
    this.queue.length = 0;
    this.pending = 0;
  }
}
