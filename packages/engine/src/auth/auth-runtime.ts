import type { AuthManager, DigestSession } from '@sortie/auth';
import type { Redactor, TokenEvent } from '@sortie/core';
import type { HttpClient } from '@sortie/http';

export interface AuthRuntimeOptions {
  http: HttpClient;
  redactor: Redactor;
  emit(event: TokenEvent): void;
  /** Persist OAuth tokens across runs (file, SORTIE_TOKEN_KEY, every profile or only `cache: true` ones). */
  tokenCache?: { file: string; key?: string; all?: boolean };
  onWarning?(message: string): void;
  /** Shows the device-flow prompt (user code and URL) while a device_code profile waits for the user. */
  onDeviceAuthorization?(prompt: { userCode: string; verificationUri: string; verificationUriComplete?: string; expiresIn?: number }): void;
}

/**
 * The run's auth state, shared by every step and parallel branch: the auth-state manager (tokens,
 * single-flight refresh, cache) and the per-profile state of challenge schemes (Digest nonce
 * counts, Hawk clock offsets). The auth package loads on the first request that needs auth.
 */
export function createAuthRuntime(options: AuthRuntimeOptions) {
  let manager: Promise<AuthManager> | undefined;
  const digestSessions = new Map<string, DigestSession>();
  const hawkOffsets = new Map<string, number>();
  return {
    manager(): Promise<AuthManager> {
      manager ??= import('@sortie/auth').then(({ AuthManager }) => {
        const managerOptions: ConstructorParameters<typeof AuthManager>[0] = {
          send: (request) => options.http.send(request),
          redactor: options.redactor,
          emit: options.emit,
        };
        if (options.tokenCache !== undefined) managerOptions.tokenCache = options.tokenCache;
        if (options.onWarning !== undefined) managerOptions.onWarning = options.onWarning;
        if (options.onDeviceAuthorization !== undefined) managerOptions.onDeviceAuthorization = options.onDeviceAuthorization;
        return new AuthManager(managerOptions);
      });
      return manager;
    },
    async digestSession(name: string): Promise<DigestSession> {
      let session = digestSessions.get(name);
      if (session === undefined) {
        const { createDigestSession } = await import('@sortie/auth');
        session = createDigestSession();
        digestSessions.set(name, session);
      }
      return session;
    },
    hawkOffsets,
    async close(): Promise<void> {
      if (manager !== undefined) await (await manager.catch(() => undefined))?.close();
    },
  };
}
export type AuthRuntime = ReturnType<typeof createAuthRuntime>;
