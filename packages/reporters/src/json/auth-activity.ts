import type { TokenEvent } from '@sortie/core';

/** What the auth-state manager did for one profile during the run. Never a token. */
export interface AuthActivity {
  profile: string;
  grant?: string;
  obtained: number;
  refreshed: number;
  reused: number;
  failed: number;
  /** Epoch ms of the latest token's expiry, when known. */
  expiresAt?: number;
  /** The message of the last failure. */
  lastError?: string;
}

/**
 * Folds token events into one small record per profile (a run reuses a token on every request, so
 * keeping the events themselves would grow with the run).
 */
export class AuthActivityLog {
  readonly #profiles = new Map<string, AuthActivity>();

  add(event: TokenEvent): void {
    let activity = this.#profiles.get(event.profile);
    if (activity === undefined) {
      activity = { profile: event.profile, obtained: 0, refreshed: 0, reused: 0, failed: 0 };
      this.#profiles.set(event.profile, activity);
    }
    if (event.grant !== undefined) activity.grant = event.grant;
    activity[event.action]++;
    if (event.expiresAt !== undefined) activity.expiresAt = event.expiresAt;
    if (event.action === 'failed' && event.message !== undefined) activity.lastError = event.message;
  }

  list(): AuthActivity[] {
    return [...this.#profiles.values()];
  }
}
