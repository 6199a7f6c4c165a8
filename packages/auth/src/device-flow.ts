/**
 * OAuth 2.0 Device Authorization Grant: ask for a device code, show the user code and URL, poll the token endpoint
 * honouring `interval` and `slow_down`.
 * @see https://www.rfc-editor.org/rfc/rfc8628
 */
import type { HttpResponse, OAuth2Auth, Redactor } from '@sortie/core';
import { createAuthError, createOAuthError, describeEndpoint, OAuthError } from './auth-error.js';
import { parseResponseBody, processTokenResponse, readOAuthErrorFields } from './process-token-response.js';
import { registerTokenSecrets } from './profile-secrets.js';
import { type SendRequest, sendAuthRequest } from './send-auth-request.js';
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

export interface DeviceFlowOptions {
  send: SendRequest;
  redactor: Redactor;
  now: () => number;
  /** Waits between polls; default setTimeout. */
  sleep: (ms: number) => Promise<void>;
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
  const errorFields = readOAuthErrorFields(body);
  if (errorFields !== undefined || response.status < 200 || response.status > 299) {
    throw createOAuthError(
      profile,
      'device authorization request',
      endpoint,
      response.status,
      errorFields ?? { error: response.statusText || 'error' },
    );
  }
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
  for (;;) {
    await options.sleep(interval * 1000);
    if (options.now() >= authorization.expiresAt) {
      throw createAuthError(name, 'Device code expired', 'the user did not complete the device authorization in time');
    }
    const tokenRequest = deviceCodeGrantRequest(profile, authorization.deviceCode, requestOptions);
    const tokenResponse = await sendAuthRequest(options.send, tokenRequest, name, 'device token request');
    try {
      const tokens = processTokenResponse(tokenResponse, {
        profile: name,
        endpoint: tokenRequest.url,
        what: 'device token request',
        now: options.now(),
        ...(profile.tokenPath === undefined ? {} : { tokenPath: profile.tokenPath }),
      });
      registerTokenSecrets(tokens, options.redactor);
      return tokens;
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
