import { randomBytes, timingSafeEqual } from 'node:crypto';

/** A signed-in browser: which API token it signed in with (by hash) and its form token against CSRF. */
export interface DashboardSession {
  /** sha256 of the API token; the token is looked up again on every request, so a deleted one signs its sessions out. */
  tokenHash: string;
  /** Sent back in every form of the session's pages, checked on every POST. */
  csrf: string;
  createdAt: number;
  lastSeenAt: number;
}

export interface SessionLimits {
  /** A session unused for this long ends (default 8 hours). */
  idleMs?: number;
  /** A session ends this long after sign-in whatever its use (default 24 hours). */
  maxAgeMs?: number;
  /** Sessions kept at most; the oldest goes first (default 10,000). */
  maxSessions?: number;
}

/**
 * The dashboard's sessions, in the server's memory. The browser holds only a random session id in
 * an HttpOnly cookie, never the API token: page scripts cannot read it, it never shows in a URL,
 * and signing out ends it on the server. A server restart signs everyone out.
 */
export class DashboardSessions {
  readonly #sessions = new Map<string, DashboardSession>();
  readonly #idleMs: number;
  readonly #maxAgeMs: number;
  readonly #maxSessions: number;

  constructor(limits: SessionLimits = {}) {
    this.#idleMs = limits.idleMs ?? 8 * 3_600_000;
    this.#maxAgeMs = limits.maxAgeMs ?? 24 * 3_600_000;
    this.#maxSessions = limits.maxSessions ?? 10_000;
  }

  /** Starts a session for a token; returns its id (the cookie's value). */
  create(tokenHash: string, now = Date.now()): { id: string; session: DashboardSession } {
    while (this.#sessions.size >= this.#maxSessions) {
      const oldest = this.#sessions.keys().next().value;
      if (oldest === undefined) break;
      this.#sessions.delete(oldest);
    }
    const id = randomBytes(32).toString('base64url');
    const session: DashboardSession = { tokenHash, csrf: randomBytes(32).toString('base64url'), createdAt: now, lastSeenAt: now };
    this.#sessions.set(id, session);
    return { id, session };
  }

  /** The live session of an id (and marks it used), or undefined. */
  get(id: string | undefined, now = Date.now()): DashboardSession | undefined {
    if (id === undefined) return undefined;
    const session = this.#sessions.get(id);
    if (session === undefined) return undefined;
    if (now - session.lastSeenAt > this.#idleMs || now - session.createdAt > this.#maxAgeMs) {
      this.#sessions.delete(id);
      return undefined;
    }
    session.lastSeenAt = now;
    return session;
  }

  /** Whether a session is live, without marking it used: an open live view does not keep its session alive. */
  isLive(id: string, now = Date.now()): boolean {
    const session = this.#sessions.get(id);
    return session !== undefined && now - session.lastSeenAt <= this.#idleMs && now - session.createdAt <= this.#maxAgeMs;
  }

  delete(id: string | undefined): void {
    if (id !== undefined) this.#sessions.delete(id);
  }
}

/** Whether a form's CSRF field is the session's, compared in constant time. */
export function csrfMatches(session: DashboardSession, sent: unknown): boolean {
  if (typeof sent !== 'string') return false;
  const a = Buffer.from(session.csrf);
  const b = Buffer.from(sent);
  return a.length === b.length && timingSafeEqual(a, b);
}
