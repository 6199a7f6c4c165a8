/**
 * The server's event streams (`GET /api/runs/:id/events` and the dashboard's live view) each hold a
 * Redis connection of their own for as long as they are open: without a cap, a few hundred clients
 * with a read token used up Redis's `maxclients`, and the agents and the server with it. Past the cap
 * a stream is answered 503 with `Retry-After` (docs/agents.md).
 */
export const MAX_EVENT_STREAMS = 256;

/** Seconds a client refused for the cap is asked to wait before it tries again. */
export const EVENT_STREAM_RETRY_AFTER_S = 5;

/**
 * The headers of every event stream (the API's and the dashboard's live progress). `X-Accel-Buffering:
 * no` asks a proxy in front not to buffer it: nginx buffers a proxied response by default, and the
 * progress would arrive in lumps or at the end.
 */
export const EVENT_STREAM_HEADERS = {
  'content-type': 'text/event-stream',
  'cache-control': 'no-store',
  connection: 'keep-alive',
  'x-accel-buffering': 'no',
} as const;

export class EventStreamSlots {
  readonly max: number;
  #open = 0;

  constructor(max = MAX_EVENT_STREAMS) {
    this.max = max;
  }

  /** The streams open now. */
  get open(): number {
    return this.#open;
  }

  /**
   * A slot for one stream, or undefined when all {@link max} are taken. The release it returns may be
   * called more than once (the client leaving and the stream ending both call it); it counts once.
   */
  take(): (() => void) | undefined {
    if (this.#open >= this.max) return undefined;
    this.#open++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#open--;
    };
  }
}
