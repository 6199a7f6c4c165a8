/**
 * Parser for `WWW-Authenticate` / `Proxy-Authenticate` values: one or more challenges, each a
 * scheme followed by a token68 or comma-separated auth-params (quoted strings unescaped).
 * @see https://www.rfc-editor.org/rfc/rfc9110#section-11.6.1
 */

/** One challenge: the scheme (as sent) and its parameters (names in lower case). */
export interface AuthChallenge {
  scheme: string;
  params: Record<string, string>;
  /** The token68 form (`NTLM TlRMTVNT…`, `Negotiate …`), when the challenge has one. */
  token68?: string;
}

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+/;
const TOKEN68 = /^[A-Za-z0-9\-._~+/]+=*/;

/**
 * Parses every challenge in the given header values (several headers, or several challenges in
 * one value, or both).
 * @see https://www.rfc-editor.org/rfc/rfc9110#section-11.3
 */
export function parseChallenges(values: string | string[]): AuthChallenge[] {
  const challenges: AuthChallenge[] = [];
  for (const value of Array.isArray(values) ? values : [values]) parseValue(value, challenges);
  return challenges;
}

function parseValue(text: string, out: AuthChallenge[]): void {
  let rest = text;
  let current: AuthChallenge | undefined;
  while (true) {
    rest = rest.replace(/^[\s,]+/, '');
    if (rest === '') return;
    const name = TOKEN.exec(rest)?.[0];
    if (name === undefined) return; // malformed remainder: keep what was parsed
    const after = rest.slice(name.length).replace(/^\s+/, '');
    if (current !== undefined && after.startsWith('=') && !/^=+\s*(,|$)/.test(after)) {
      // an auth-param of the current challenge
      const [value, remaining] = readParamValue(after.slice(1).replace(/^\s+/, ''));
      current.params[name.toLowerCase()] = value;
      rest = remaining;
      continue;
    }
    // a new challenge: scheme [token68 | auth-params]
    current = { scheme: name, params: {} };
    out.push(current);
    rest = after;
    const token68 = TOKEN68.exec(rest)?.[0];
    if (token68 !== undefined && /^\s*(,|$)/.test(rest.slice(token68.length)) && !/^[!#$%&'*+.^_`|~0-9A-Za-z-]+\s*=[^=]/.test(rest)) {
      current.token68 = token68;
      rest = rest.slice(token68.length);
    }
  }
}

/** Reads a token or quoted-string value; returns it and the text after it. */
function readParamValue(text: string): [string, string] {
  if (text.startsWith('"')) {
    let value = '';
    for (let i = 1; i < text.length; i++) {
      const c = text[i]!;
      if (c === '\\' && i + 1 < text.length) {
        value += text[++i];
      } else if (c === '"') {
        return [value, text.slice(i + 1)];
      } else {
        value += c;
      }
    }
    return [value, ''];
  }
  const token = /^[^\s,]*/.exec(text)?.[0] ?? '';
  return [token, text.slice(token.length)];
}
