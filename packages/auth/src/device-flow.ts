/**
 * OAuth 2.0 Device Authorization Grant: ask for a device code, show the user code and URL, poll the token endpoint
 * honouring `interval` and `slow_down`.
 * @see https://www.rfc-editor.org/rfc/rfc8628
 */
import { ErrorCode, type HttpResponse, type OAuth2Auth, SortieError, sleep } from '@sortie/core';
import { createAuthError, describeEndpoint, OAuthError } from './auth-error.js';
import { type ExchangeTokenOptions, exchangeToken } from './exchange-token.js';
import { checkOAuthErrorBody, parseResponseBody } from './process-token-response.js';
import { sendAuthRequest } from './send-auth-request.js';
import { deviceAuthorizationRequest, deviceCodeGrantRequest } from './token-request.js';
import type { TokenSet } from './token-set.js';

/** What the user must do: open `verificationUri` and enter `userCode`. */
export interface DeviceAuthorizationPrompt {
  profile: string;
  userCode: string;
  verificationUri: string;
  verificationUriComplete?: string;
  /** Epoch ms after which the code is void. */
  expiresAt: number;
}

export interface DeviceAuthorization extends DeviceAuthorizationPrompt {
  deviceCode: string;
  /** Seconds between polls. */
  interval: number;
}

export interface DeviceFlowOptions extends ExchangeTokenOptions {
  /** Waits between polls; default core's sleep. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Stops the polling (the run was interrupted). */
  signal?: AbortSignal;
  /** Shows the prompt to the user. */
  onPrompt: (prompt: DeviceAuthorizationPrompt) => void;
  timeoutMs?: number;
}

/** RFC 8628 §3.2: "If no value is provided, clients MUST use 5 as the default." */
const DEFAULT_INTERVAL_SECONDS = 5;
/** RFC 8628 §3.5: slow_down increases the interval by 5 seconds. */
const SLOW_DOWN_SECONDS = 5;

/**
 * Validates a device authorization response.
 * @see https://www.rfc-editor.org/rfc/rfc8628#section-3.2
 */
export function processDeviceAuthorizationResponse(
  response: HttpResponse,
  profile: string,
  endpoint: string,
  now: number,
): DeviceAuthorization {
  const body = parseResponseBody(response);
  checkOAuthErrorBody(response, body, { profile, what: 'device authorization request', endpoint });
  const field = (name: string) => (body !== undefined && typeof body[name] === 'string' ? (body[name] as string) : undefined);
  const deviceCode = field('device_code');
  const userCode = field('user_code');
  const verificationUri = field('verification_uri') ?? field('verification_url');
  if (deviceCode === undefined || userCode === undefined || verificationUri === undefined) {
    throw createAuthError(
      profile,
      'Invalid device authorization response',
      `the response of ${describeEndpoint(endpoint)} lacks device_code, user_code or verification_uri`,
    );
  }
  const expiresIn = Number(body?.expires_in ?? 600);
  const interval = Number(body?.interval ?? DEFAULT_INTERVAL_SECONDS);
  const authorization: DeviceAuthorization = {
    profile,
    deviceCode,
    userCode,
    verificationUri,
    expiresAt: now + (Number.isFinite(expiresIn) ? expiresIn : 600) * 1000,
    interval: Number.isFinite(interval) && interval > 0 ? interval : DEFAULT_INTERVAL_SECONDS,
  };
  const complete = field('verification_uri_complete');
  if (complete !== undefined) authorization.verificationUriComplete = complete;
  return authorization;
}

/**
 * Runs the whole device flow and returns the tokens.
 * @see https://www.rfc-editor.org/rfc/rfc8628#section-3.4
 * @see https://www.rfc-editor.org/rfc/rfc8628#section-3.5
 */
export async function runDeviceFlow(name: string, profile: OAuth2Auth, options: DeviceFlowOptions): Promise<TokenSet> {
  const requestOptions = options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs };
  const authorizationRequest = deviceAuthorizationRequest(profile, requestOptions);
  const response = await sendAuthRequest(options.send, authorizationRequest, name, 'device authorization request');
  const authorization = processDeviceAuthorizationResponse(response, name, authorizationRequest.url, options.now());
  options.redactor.add(authorization.deviceCode);
  const { deviceCode: _deviceCode, interval: _interval, ...prompt } = authorization;
  options.onPrompt(prompt);
  let interval = authorization.interval;
  const wait = options.sleep ?? sleep;
  for (;;) {
    await wait(interval * 1000, options.signal);
    if (options.signal?.aborted) {
      throw new SortieError(ErrorCode.INTERRUPTED, 'Interrupted', 'the run was interrupted while waiting for the device authorization');
    }
    if (options.now() >= authorization.expiresAt) {
      throw createAuthError(name, 'Device code expired', 'the user did not complete the device authorization in time');
    }
    const tokenRequest = deviceCodeGrantRequest(profile, authorization.deviceCode, requestOptions);
    try {
      return await exchangeToken(name, profile, tokenRequest, 'device token request', options);
    } catch (error) {
      if (!(error instanceof OAuthError)) throw error;
      if (error.error === 'authorization_pending') continue;
      if (error.error === 'slow_down') {
        interval += SLOW_DOWN_SECONDS;
        continue;
      }
      throw error;
    }
  }
}
