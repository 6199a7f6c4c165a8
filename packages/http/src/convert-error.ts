/**
 * Converts undici and Node.js errors into SortieErrors where the HTTP layer meets the rest of Sortie.
 * Messages name the host, port, method and URL, never a credential: URLs are stripped of userinfo and
 * header values are never included.
 */
import { ErrorCode, isSortieError, redactUserinfo, SortieError } from '@sortie/core';
import { describeHostPort } from './describe-url.js';
import { MAX_RESPONSE_HEADER_BYTES } from './limits.js';
import { findProxyOfError } from './proxy-errors.js';
import { describeLengthFields, type LengthFields } from './refused-length-fields.js';

/** What the failing exchange was, for the message. */
export interface ErrorContext {
  method: string;
  /** The URL of the hop that failed. */
  url: string;
  /** What had arrived of the final response when it failed: its status, the body bytes and its Content-Length. */
  received?: { status: number; bytes: number; contentLength?: number };
  /** The request opened the connection it failed on (it was not a kept-alive one the server may have closed). */
  freshConnection?: boolean;
  /** The message-length fields of a header section the parser refused, when it had read any. */
  lengthFields?: LengthFields;
}

/** Ports where HTTPS is usually served: a plain-HTTP request there is most likely a request to a TLS server. */
const TLS_PORTS = new Set(['443', '4443', '6443', '8443', '9443']);

/**
 * The hint for a plain-HTTP request that reached a TLS server, or undefined. A TLS server reads the request as a
 * broken ClientHello and closes the connection (Node.js, OpenSSL) or answers with an alert record (RFC 8446 §5.1,
 * §6: content type 21, version 3.x); curl says only "Empty reply from server".
 */
function hintHttps(context: ErrorContext, proxy: string | undefined, firstBytes?: string): string | undefined {
  if (proxy !== undefined) return undefined;
  let url: URL;
  try {
    url = new URL(context.url);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:') return undefined;
  const https = `https://${url.host}${url.pathname === '/' ? '' : url.pathname}`;
  if (firstBytes !== undefined) {
    return firstBytes.charCodeAt(0) === 0x15 && firstBytes.charCodeAt(1) === 0x03
      ? `the server answered with a TLS alert: it speaks HTTPS on this port; call it with ${https}`
      : undefined;
  }
  if (context.received !== undefined || context.freshConnection !== true) return undefined;
  return TLS_PORTS.has(url.port)
    ? `port ${url.port} is usually HTTPS: call it with ${https}`
    : `the server closed a new connection without answering: if it speaks HTTPS on this port, call it with ${https}`;
}

const REFUSED = new Set(['ECONNREFUSED']);
const RESET = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED', 'ECONNABORTED']);
const DNS = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL', 'EAI_NONAME', 'EAI_NODATA']);
const TIMEOUTS = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_CONNECT_TIMEOUT', 'ETIMEDOUT']);
const UNREACHABLE = new Set(['EHOSTUNREACH', 'ENETUNREACH', 'EHOSTDOWN', 'ENETDOWN']);
/** OpenSSL verification results and Node's own certificate error codes. */
const CERTIFICATE = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_DECRYPT_CERT_SIGNATURE',
  'CERT_SIGNATURE_FAILURE',
  'CERT_NOT_YET_VALID',
  'CERT_HAS_EXPIRED',
  'CERT_REVOKED',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'CERT_CHAIN_TOO_LONG',
  'INVALID_CA',
  'INVALID_PURPOSE',
  'HOSTNAME_MISMATCH',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

/** A certificate that is valid, but for other names than the URL's host. */
const NAME_MISMATCH = new Set(['HOSTNAME_MISMATCH', 'ERR_TLS_CERT_ALTNAME_INVALID']);
const VALIDITY = new Set(['CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID']);

/** The error code of `error`, looking into AggregateErrors (happy eyeballs) and causes. */
function findErrorCode(error: unknown): string | undefined {
  const seen = new Set<unknown>();
  let current: unknown = error;
  while (typeof current === 'object' && current !== null && !seen.has(current)) {
    seen.add(current);
    const { code, errors, cause } = current as { code?: unknown; errors?: unknown[]; cause?: unknown };
    if (typeof code === 'string') return code;
    current = Array.isArray(errors) && errors.length > 0 ? errors[0] : cause;
  }
  return undefined;
}

function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * The reason of an OpenSSL error without its address, library, function and source file:
 * `807C…:error:0A00010B:SSL routines:ssl3_get_record:wrong version number:../deps/openssl/…/ssl3_record.c:350:`
 * (and a line break) reads `wrong version number`. Any other message is given as it is, trimmed.
 */
function describeTlsError(error: unknown): string {
  const message = describeError(error).trim();
  const openssl = /^[0-9A-F]+:error:[0-9A-F]+:[^:]*:[^:]*:([^:]+)(?::|$)/.exec(message);
  return openssl?.[1]?.trim() ?? message;
}

/** llhttp's reason inside undici's parser message: `Response does not match the HTTP/1.1 protocol (<reason>)`. */
const PARSER_REASON = /\(([^()]+)\)$/;

/**
 * What is wrong with a response the server sent, or undefined when `error` is not about that. undici's
 * HTTPParserError has no code (its code lookup misses: `constants.ERROR[ret]` maps names to numbers), so
 * it is told by its name; a response whose body does not match its Content-Length (RFC 9112 §6.3, e.g. two
 * different Content-Length fields) has a code of its own.
 */
function describeMalformedResponse(error: unknown, code: string | undefined, context: ErrorContext): string | undefined {
  if (code === 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH') {
    // Before the status reached us, undici's parser refused the header section: say what was in it.
    const refused = context.received === undefined ? describeLengthFields(context.lengthFields) : undefined;
    return refused ?? 'the body does not match its Content-Length';
  }
  if (code?.startsWith('HPE_') !== true && (error as { name?: unknown } | null)?.name !== 'HTTPParserError') return undefined;
  const message = describeError(error);
  const reason = PARSER_REASON.exec(message)?.[1] ?? (message === '' ? 'not HTTP/1.1' : message);
  if (reason !== NOT_A_STATUS_LINE) return reason;
  const data = (error as { data?: unknown }).data;
  return describeNotHttp(typeof data === 'string' ? data : '');
}

/** llhttp's words for an answer that does not begin with a status line (it names protocols nobody here asked for). */
const NOT_A_STATUS_LINE = 'Expected HTTP/, RTSP/ or ICE/';

/** Longest quote of what came instead of a status line. */
const MAX_QUOTE = 40;

/**
 * What came instead of an HTTP/1.x status line (RFC 9112 §4), from where the parser stopped: an HTTP/2 frame
 * (RFC 9113 §4.1: a 9-byte header, type 0x4 SETTINGS or 0x7 GOAWAY on stream 0) from a server that speaks only
 * HTTP/2 in cleartext (h2c), or the first characters quoted (an SSH banner, a database's greeting).
 */
function describeNotHttp(data: string): string {
  const type = data.charCodeAt(3);
  if (data.length >= 9 && (type === 0x04 || type === 0x07) && /^\0{4}$/.test(data.slice(5, 9))) {
    return 'it answered with an HTTP/2 frame, not an HTTP/1.1 status line: the server speaks only HTTP/2 without TLS (h2c, RFC 9113 §3.3), which is not supported';
  }
  if (data === '') return 'its answer is not an HTTP/1.1 status line';
  const line = data.split(/[\r\n]/)[0]!.replace(/[\u0000-\u001f\u007f]/g, '.');
  const quoted = line.length > MAX_QUOTE ? `${line.slice(0, MAX_QUOTE)}…` : line;
  return `its answer is not an HTTP/1.1 status line: it reads ${JSON.stringify(quoted)}`;
}

/** The status a proxy refused with, from the messages of undici's ProxyAgent (tunnel and absolute-URI forms). */
const PROXY_REFUSAL = /^Proxy (?:response \((\d{3})\) !== 200 when HTTP Tunneling|Authentication Required \((407)\))$/;

function findProxyRefusal(error: unknown): string | undefined {
  if (!(error instanceof Error)) return undefined;
  const match = PROXY_REFUSAL.exec(error.message);
  return match === null ? undefined : (match[1] ?? match[2]);
}

/**
 * Converts anything the HTTP exchange threw into a SortieError (SortieErrors pass through unchanged):
 * refused / reset / DNS / TLS / unreachable / refused by the proxy → NETWORK, timeouts → TIMEOUT, invalid
 * request → INVALID_INPUT.
 */
export function convertHttpError(error: unknown, context: ErrorContext): SortieError {
  if (isSortieError(error)) return error;
  const code = findErrorCode(error);
  const url = redactUserinfo(context.url);
  const exchange = `${context.method} ${url}`;
  let hostPort = url;
  try {
    hostPort = describeHostPort(new URL(context.url));
  } catch {
    // keep the URL text
  }
  // Failing to reach the proxy is not the target's fault: name the proxy, as curl does.
  const proxy = findProxyOfError(error);
  const peer = proxy === undefined ? hostPort : `the proxy ${proxy}`;
  const options = { cause: error };
  const proxyStatus = findProxyRefusal(error);
  if (proxyStatus !== undefined) {
    return new SortieError(ErrorCode.NETWORK, 'Proxy refused the request', `the proxy answered ${proxyStatus} (${exchange})`, {
      ...options,
      // 407 (RFC 9110 §15.5.8) comes both without credentials and with ones the proxy does not accept: the hint
      // said "put the credentials in the proxy URL" to a user whose URL held them.
      ...(proxyStatus === '407'
        ? {
            hint: 'the proxy wants credentials: put them in the proxy URL (http://user:password@host:port); when they are there, the proxy did not accept them: check them',
          }
        : {}),
    });
  }
  if (code === 'UND_ERR_HEADERS_OVERFLOW' || code === 'HPE_HEADER_OVERFLOW') {
    return new SortieError(
      ErrorCode.NETWORK,
      'Response headers too large',
      `the response headers from ${hostPort} are larger than ${MAX_RESPONSE_HEADER_BYTES / 1024} KiB (${exchange})`,
      options,
    );
  }
  const malformed = describeMalformedResponse(error, code, context);
  if (malformed !== undefined) {
    const data = (error as { data?: unknown }).data;
    const hint = hintHttps(context, proxy, typeof data === 'string' ? data : '');
    return new SortieError(
      ErrorCode.NETWORK,
      'Invalid response',
      `${hostPort} sent a malformed HTTP response: ${malformed} (${exchange})`,
      hint === undefined ? options : { ...options, hint },
    );
  }
  if (code === undefined) return new SortieError(ErrorCode.NETWORK, 'Request failed', `${describeError(error)} (${exchange})`, options);

  if (REFUSED.has(code)) {
    return new SortieError(ErrorCode.NETWORK, 'Connection refused', `connection to ${peer} refused (${exchange})`, {
      ...options,
      hint: proxy === undefined ? 'is the server running and listening on that port?' : 'is the proxy running and listening on that port?',
    });
  }
  if (RESET.has(code)) {
    // Once the status came, say what arrived, as curl does ("transfer closed with 95 bytes remaining to read").
    const received = context.received;
    const what =
      received === undefined
        ? 'the response was complete'
        : `the response (${received.status}) was complete: ${received.bytes} byte${received.bytes === 1 ? '' : 's'} of its body received${
            received.contentLength === undefined ? '' : ` of the ${received.contentLength} its Content-Length announced`
          }`;
    const hint = hintHttps(context, proxy);
    return new SortieError(
      ErrorCode.NETWORK,
      'Connection reset',
      `connection to ${peer} closed before ${what} (${exchange})`,
      hint === undefined ? options : { ...options, hint },
    );
  }
  if (DNS.has(code)) {
    const named = proxy ?? hostPort;
    const host = named.slice(0, named.lastIndexOf(':'));
    const what = proxy === undefined ? 'host' : 'the proxy host';
    // `http://{{base}}/x` with base = `http://localhost:3000` is `http://http://localhost:3000/x`: the host is "http".
    const twoSchemes = proxy === undefined && /^(https?|wss?)$/i.test(host);
    return new SortieError(ErrorCode.NETWORK, 'DNS lookup failed', `cannot resolve ${what} "${host}" (${exchange})`, {
      ...options,
      ...(twoSchemes
        ? {
            hint: `the URL names a scheme twice (${host}://${host}://…): a variable holding a whole URL follows a scheme; remove one of them (a Postman URL's "protocol" next to a host {{base}} that holds http://…)`,
          }
        : {}),
    });
  }
  if (CERTIFICATE.has(code) || code.startsWith('ERR_TLS_CERT')) {
    return new SortieError(
      ErrorCode.NETWORK,
      'TLS certificate error',
      `certificate of ${peer} rejected: ${describeError(error)} (${exchange})`,
      {
        ...options,
        // A CA file cannot make a certificate cover another name (RFC 9110 §4.3.4, RFC 6125 §6).
        // Nor can it make an expired certificate valid (RFC 5280 §4.1.2.5): "use --ca" sent users after a CA file.
        hint: NAME_MISMATCH.has(code)
          ? 'the certificate is for another host name: call the server by a name it lists, or use --insecure'
          : VALIDITY.has(code)
            ? "the certificate is outside its validity period: renew it on the server (or check this machine's clock), or use --insecure"
            : 'use --insecure or --ca <file>',
      },
    );
  }
  // The server offers none of the protocols the client asked for with ALPN (RFC 7301 §3.2): an h2-only
  // server asked for HTTP/1.1. OpenSSL's text named a source file and spanned two lines.
  if (code === 'ERR_SSL_TLSV1_ALERT_NO_APPLICATION_PROTOCOL') {
    return new SortieError(
      ErrorCode.NETWORK,
      'TLS handshake failed',
      `${peer} refused the handshake: it speaks none of the protocols offered (TLS alert no_application_protocol, RFC 7301 §3.2) (${exchange})`,
      {
        ...options,
        hint: 'a server that speaks only HTTP/2 needs `http2: true` on the request, or `http: { http2: true }` in the environment',
      },
    );
  }
  // What came back is no TLS record (RFC 8446 §5.1): the first bytes of a plain-HTTP answer read as a record
  // header give "wrong version number" (or a record too long). curl says the same, in OpenSSL's words.
  if (code === 'ERR_SSL_WRONG_VERSION_NUMBER' || code === 'ERR_SSL_PACKET_LENGTH_TOO_LONG' || code === 'ERR_SSL_RECORD_LAYER_FAILURE') {
    return new SortieError(
      ErrorCode.NETWORK,
      'TLS handshake failed',
      `${peer} did not answer in TLS (OpenSSL: ${describeTlsError(error)}) (${exchange})`,
      { ...options, hint: 'is it a plain HTTP server? Call it with http://, or check the port' },
    );
  }
  if (code.startsWith('ERR_SSL') || code.startsWith('ERR_TLS')) {
    return new SortieError(
      ErrorCode.NETWORK,
      'TLS handshake failed',
      `TLS with ${peer} failed: ${describeTlsError(error)} (${exchange})`,
      options,
    );
  }
  if (TIMEOUTS.has(code)) {
    const what =
      code === 'UND_ERR_CONNECT_TIMEOUT' || code === 'ETIMEDOUT' ? `connecting to ${peer} timed out` : 'the server stopped responding';
    return new SortieError(ErrorCode.TIMEOUT, 'Request timed out', `${what} (${exchange})`, options);
  }
  if (UNREACHABLE.has(code)) {
    return new SortieError(ErrorCode.NETWORK, 'Host unreachable', `cannot reach ${peer} (${exchange})`, options);
  }
  if (code === 'UND_ERR_REQ_CONTENT_LENGTH_MISMATCH') {
    // RFC 9110 §8.6: Content-Length is the body's length; undici refuses to send one that is not.
    return new SortieError(
      ErrorCode.INVALID_INPUT,
      'Invalid request',
      `the Content-Length header does not match the length of the body (${exchange})`,
      { ...options, hint: 'remove the Content-Length header: the client sets it from the body' },
    );
  }
  if (code === 'UND_ERR_INVALID_ARG' || code === 'UND_ERR_NOT_SUPPORTED') {
    return new SortieError(ErrorCode.INVALID_INPUT, 'Invalid request', `${describeError(error)} (${exchange})`, options);
  }
  return new SortieError(ErrorCode.NETWORK, 'Request failed', `${describeError(error)} (${exchange})`, options);
}
