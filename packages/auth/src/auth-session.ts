/**
 * The run's one auth entry point: the engine asks it for the credential of a request (authorize) and lets it
 * react to the response (answer). Behind it: the auth-state manager for token profiles (cached, refreshed,
 * single-flight) and the per-profile state of the signing schemes (Digest nonce counts, Hawk clock offsets,
 * NTLM's connection), so a step knows none of them.
 */

import {
  AUTH_TYPES,
  type AuthChoice,
  type AuthProfile,
  ErrorCode,
  getHeaderValues,
  type HttpResponse,
  type PreparedRequest,
  type Redactor,
  SortieError,
  type TokenEvent,
} from '@sortie/core';
import { createAuthError } from './auth-error.js';
import { AuthManager, type AuthManagerOptions } from './auth-manager.js';
import { queryCredentialNames, registerCredentialHeaders, registerQueryCredentials } from './credential-headers.js';
import type { DeviceAuthorizationPrompt } from './device-flow.js';
import { type AuthConnection, authorizeNtlm, type BoundRequest } from './ntlm-handshake.js';
import { type AuthScope, type SelectedProfile, selectAuthProfile } from './select-profile.js';
import type { SendRequest } from './send-auth-request.js';
import { signEdgegrid } from './signing/akamai-edgegrid.js';
import { signAwsV4 } from './signing/awsv4.js';
import { answerDigestChallenge, createDigestSession, type DigestSession, selectDigestChallenge, signDigest } from './signing/digest.js';
import { computeHawkOffset, signHawk } from './signing/hawk.js';
import { signJwt } from './signing/jwt.js';
import { signNegotiate } from './signing/negotiate.js';
import { signOAuth1 } from './signing/oauth1.js';
import { parseChallenges } from './signing/parse-challenges.js';
import type { SigningProfile } from './signing/profiles.js';
import { secretsOf } from './signing/secrets-of.js';

/** Options of {@link AuthSession}: what the engine gives it once per run. */
export interface AuthSessionOptions {
  /** Sends a request through Sortie's HTTP stack (token requests, the NTLM handshake's redirects). */
  send: SendRequest;
  /** A connection of its own to the origin of `url` (NTLM authenticates a connection). */
  openConnection(url: string): AuthConnection;
  /** Every secret a profile, a token or a credential header holds is registered here. */
  redactor: Redactor;
  /** Token activity for the reports (never a value). */
  emit(event: TokenEvent): void;
  /** The run's cancellation: a pending token request ends at once when it aborts. */
  signal?: AbortSignal;
  /** Persist OAuth tokens across runs (file, SORTIE_TOKEN_KEY, every profile or only `cache: true` ones). */
  tokenCache?: AuthManagerOptions['tokenCache'];
  /** Tokens shared with other processes (runner agents) for the grants that run unattended. */
  sharedTokens?: AuthManagerOptions['sharedTokens'];
  onWarning?(message: string): void;
  /** Shows the device-flow prompt while a device_code profile waits for the user. */
  onDeviceAuthorization?(prompt: DeviceAuthorizationPrompt): void;
}

/** What {@link AuthSession.answer} ends with: the last request and response, and what the step should report. */
export interface AuthAnswer {
  request: PreparedRequest;
  response: HttpResponse;
  /** A token profile's credential was rejected again after it was renewed: the step cannot go on (AUTH_REJECTED). */
  error?: SortieError;
  /** A signing scheme's credentials were rejected: the step goes on with the 401 (its assertions fail), and says so. */
  warning?: { message: string; hint: string };
}

/** A request this session authorized: which profile, and the request before the credential went on. */
interface Issued {
  selected: SelectedProfile;
  unsigned: PreparedRequest;
  timeoutMs: number;
}

const TOKEN_TYPES: ReadonlySet<string> = new Set(AUTH_TYPES);
/** Schemes whose signature covers the request it was made for, so each redirect hop is signed again (as curl does). */
const RESIGNED_PER_HOP: ReadonlySet<string> = new Set(['awsv4', 'hawk', 'oauth1', 'digest', 'akamaiEdgegrid']);

/** What to check when a scheme's credentials are refused. */
const CREDENTIAL_HINTS: Record<string, string> = {
  digest: "check the profile's username and password",
  hawk: "check the profile's id and key",
};

export class AuthSession {
  readonly #options: AuthSessionOptions;
  readonly #manager: AuthManager;
  readonly #digestSessions = new Map<string, DigestSession>();
  readonly #hawkOffsets = new Map<string, number>();
  readonly #issued = new WeakMap<PreparedRequest, Issued>();

  constructor(options: AuthSessionOptions) {
    this.#options = options;
    const manager: AuthManagerOptions = { send: options.send, redactor: options.redactor, emit: options.emit };
    if (options.signal !== undefined) manager.signal = options.signal;
    if (options.tokenCache !== undefined) manager.tokenCache = options.tokenCache;
    if (options.sharedTokens !== undefined) manager.sharedTokens = options.sharedTokens;
    if (options.onWarning !== undefined) manager.onWarning = options.onWarning;
    if (options.onDeviceAuthorization !== undefined) manager.onDeviceAuthorization = options.onDeviceAuthorization;
    this.#manager = new AuthManager(manager);
  }

  /**
   * Run cycle step 4: `request` with the credential of `choice` (else the environment's `auth.use`) attached —
   * after templating and pre-request scripts, so signing schemes sign the exact bytes that are sent. Token
   * requests get the profile's `timeout`, else `request.timeout`. Credential headers are registered as secrets.
   */
  async authorize(choice: AuthChoice | undefined, request: PreparedRequest, scope: AuthScope): Promise<PreparedRequest> {
    const selected = selectAuthProfile(choice, scope);
    if (selected === undefined) {
      registerCredentialHeaders(request, this.#options.redactor);
      return request;
    }
    const profile = selected.profile;
    const timeoutMs = 'timeout' in profile && typeof profile.timeout === 'number' ? profile.timeout : request.timeout;
    const signed = this.#withResign(selected, markCredentialHeaders(await this.#sign(selected, request, timeoutMs), request), timeoutMs);
    registerCredentialHeaders(signed, this.#options.redactor);
    registerQueryCredentials(signed, queryCredentialNames(profile), this.#options.redactor);
    this.#issued.set(signed, { selected, unsigned: request, timeoutMs });
    return signed;
  }

  /**
   * `signed` with a `resignHop` when its profile's signature covers the request (method, URL, body, a nonce): a
   * same-origin redirect hop is then signed again instead of replaying the old signature to another URL.
   */
  #withResign(selected: SelectedProfile, signed: PreparedRequest, timeoutMs: number): PreparedRequest {
    if (!RESIGNED_PER_HOP.has(selected.profile.type)) return signed;
    const resignHop = async (hop: PreparedRequest): Promise<PreparedRequest> => {
      const again = markCredentialHeaders(await this.#sign(selected, hop, timeoutMs), hop);
      registerCredentialHeaders(again, this.#options.redactor);
      registerQueryCredentials(again, queryCredentialNames(selected.profile), this.#options.redactor);
      return again;
    };
    return { ...signed, resignHop };
  }

  /**
   * After the response to an authorized request: answers a Digest challenge, corrects Hawk's clock from a
   * stale-timestamp 401, or renews a token the response rejected (401 or the profile's "expired" body pattern);
   * then resends once with `resend`. A second rejection of a renewed token is an AUTH_REJECTED error; a second
   * 401 of a signing scheme is the step's response, with a warning.
   */
  async answer(sent: PreparedRequest, response: HttpResponse, resend: SendRequest): Promise<AuthAnswer> {
    const issued = this.#issued.get(sent);
    if (issued === undefined) return { request: sent, response };
    const answered = await this.#answerOnce(issued, sent, response);
    if (answered === undefined) {
      const warning = describeUnansweredDigest(issued.selected, response);
      return warning === undefined ? { request: sent, response } : { request: sent, response, warning };
    }
    const again = this.#withResign(issued.selected, markCredentialHeaders(answered, issued.unsigned), issued.timeoutMs);
    registerCredentialHeaders(again, this.#options.redactor);
    registerQueryCredentials(again, queryCredentialNames(issued.selected.profile), this.#options.redactor);
    const second = await resend(again);
    return { request: again, response: second, ...this.#judge(issued, again, second) };
  }

  /** Persists the token cache when enabled. */
  close(): Promise<void> {
    return this.#manager.close();
  }

  #sign({ name, profile }: SelectedProfile, request: PreparedRequest, timeoutMs: number): Promise<BoundRequest> | BoundRequest {
    if (TOKEN_TYPES.has(profile.type)) return this.#manager.apply(name, profile as AuthProfile, request, { timeoutMs });
    const signing = profile as SigningProfile;
    for (const secret of secretsOf(signing)) this.#options.redactor.add(secret);
    switch (signing.type) {
      case 'oauth1':
        return signOAuth1(request, signing);
      case 'awsv4':
        requireFilled(name, signing, ['accessKeyId', 'secretAccessKey', 'region', 'service']);
        return signAwsV4(request, signing);
      case 'akamaiEdgegrid':
        return signEdgegrid(request, signing);
      case 'jwt':
        return signJwt(request, signing);
      case 'hawk': {
        const offset = this.#hawkOffsets.get(name);
        return signHawk(request, signing, offset === undefined ? {} : { localtimeOffsetMs: offset });
      }
      case 'digest':
        return signDigest(request, signing, this.#digestSession(name));
      case 'negotiate':
        return signNegotiate(request, signing).then((signed) => signed.request);
      case 'ntlm':
        return authorizeNtlm(request, signing, this.#options.openConnection(request.url));
    }
  }

  async #answerOnce({ selected, unsigned, timeoutMs }: Issued, sent: PreparedRequest, response: HttpResponse) {
    const { name, profile } = selected;
    if (profile.type === 'oauth2' || profile.type === 'customToken') {
      if (!this.#manager.isRejected(name, profile, response, sent)) return undefined;
      return this.#manager.apply(name, profile, unsigned, { timeoutMs });
    }
    if (response.status !== 401) return undefined;
    if (profile.type === 'digest') return answerDigestChallenge(unsigned, response.headers, profile, this.#digestSession(name));
    if (profile.type === 'hawk') {
      const offset = computeHawkOffset(getHeaderValues(response.headers, 'www-authenticate'), profile);
      if (offset === undefined) return undefined;
      this.#hawkOffsets.set(name, offset);
      return signHawk(unsigned, profile, { localtimeOffsetMs: offset });
    }
    return undefined;
  }

  /** After the one resend: a token rejected again is an error; a signing scheme's 401 is reported as it is. */
  #judge({ selected }: Issued, request: PreparedRequest, response: HttpResponse): Pick<AuthAnswer, 'error' | 'warning'> {
    const { name, profile } = selected;
    if (profile.type === 'oauth2' || profile.type === 'customToken') {
      if (!this.#manager.isRejected(name, profile, response, request)) return {};
      const message = `the server rejected the credential of auth profile "${name}" again after it was renewed (HTTP ${response.status})`;
      return {
        error: new SortieError(ErrorCode.AUTH_REJECTED, 'Credential rejected', message, {
          hint: 'check the profile: scopes, audience, or whether this API accepts its tokens',
        }),
      };
    }
    if (response.status !== 401) return {};
    const hint = CREDENTIAL_HINTS[profile.type] ?? "check the profile's credentials";
    return { warning: { message: `the server rejected the credentials of auth profile "${name}" (HTTP 401)`, hint } };
  }

  #digestSession(name: string): DigestSession {
    let session = this.#digestSessions.get(name);
    if (session === undefined) {
      session = createDigestSession();
      this.#digestSessions.set(name, session);
    }
    return session;
  }
}

/**
 * `signed` with the names of the headers its profile added or changed in `unsigned` as `credentialHeaders`:
 * an API key or token header under any name (`Ocp-Apim-Subscription-Key`), which a redirect to another
 * origin must not carry on (fetch standard, HTTP-redirect fetch step 13, drops only Authorization).
 */
function markCredentialHeaders(signed: PreparedRequest, unsigned: PreparedRequest): PreparedRequest {
  const before = new Set(unsigned.headers.map(([name, value]) => `${name.toLowerCase()}\n${value}`));
  const added = signed.headers
    .filter(([name, value]) => !before.has(`${name.toLowerCase()}\n${value}`))
    .map(([name]) => name.toLowerCase());
  if (added.length === 0) return signed;
  return { ...signed, credentialHeaders: [...new Set([...(unsigned.credentialHeaders ?? []), ...added])] };
}

/**
 * A Digest profile's first 401 that it could not answer: no Digest challenge with an algorithm it supports, or not
 * the one the profile forces (RFC 7616 §3.7). Says what the server offered instead of leaving a bare 401.
 */
function describeUnansweredDigest({ name, profile }: SelectedProfile, response: HttpResponse): AuthAnswer['warning'] {
  if (profile.type !== 'digest' || response.status !== 401) return undefined;
  if (selectDigestChallenge(response.headers, profile.algorithm) !== undefined) return undefined;
  const offered = parseChallenges(getHeaderValues(response.headers, 'www-authenticate')).map((challenge) =>
    challenge.scheme.toLowerCase() === 'digest' ? `Digest ${challenge.params.algorithm ?? 'MD5'}` : challenge.scheme,
  );
  const what = offered.length === 0 ? 'no WWW-Authenticate challenge' : `only ${[...new Set(offered)].join(', ')}`;
  return {
    message: `the server's 401 offers ${what}, which auth profile "${name}" cannot answer`,
    hint:
      profile.algorithm === undefined
        ? 'Digest supports MD5, SHA-256 and SHA-512-256 (and their -sess variants); check that this API uses Digest'
        : `the profile forces algorithm ${profile.algorithm}: remove it or use one the server offers`,
  };
}

/**
 * Fields a signature is computed from that rendered to nothing (`region: "{{REGION}}"` with REGION empty): the
 * request was signed for an empty region and sent, and only the server's refusal said anything. Names the field,
 * never its value.
 */
function requireFilled<T extends object>(name: string, profile: T, fields: ReadonlyArray<keyof T & string>): void {
  const empty = fields.find((field) => {
    const value = profile[field];
    return typeof value !== 'string' || value.trim() === '';
  });
  if (empty === undefined) return;
  throw createAuthError(name, 'Invalid auth profile', `${empty} is empty`, {
    hint: `give ${empty} a value (check the variable it is written from)`,
  });
}
