/**
 * Node's legacy `url` API in the guest — `parse(text, parseQueryString?, slashesDenoteHost?)`,
 * `format(urlObject | URL | string)` and `resolve(from, to)` — next to the WHATWG `URL` and
 * `URLSearchParams` (web-url.js) in the lazily loaded `url` module.
 *
 * @see https://nodejs.org/api/url.html#legacy-url-api
 */
const SLASHED_PROTOCOLS = ['http:', 'https:', 'ftp:', 'gopher:', 'file:'];
const HOSTLESS_PROTOCOLS = ['javascript:'];
const AUTO_ESCAPE = /[ "'<>\x60{}|\\^\t\r\n]/g;
const escapeUnsafe = (text) => text.replace(AUTO_ESCAPE, percentEncode);
class Url {
  constructor() {
    this.protocol = null;
    this.slashes = null;
    this.auth = null;
    this.host = null;
    this.port = null;
    this.hostname = null;
    this.hash = null;
    this.search = null;
    this.query = null;
    this.pathname = null;
    this.path = null;
    this.href = null;
  }
  format() {
    return formatUrl(this);
  }
  resolve(to) {
    return resolveUrl(this.href, to);
  }
}
function parseUrlLegacy(input, parseQueryString, slashesDenoteHost) {
  if (input instanceof Url) return input;
  if (typeof input !== 'string') throw new TypeError('The "url" argument must be of type string');
  const out = new Url();
  let rest = input.trim();
  const hash = rest.indexOf('#');
  if (hash >= 0) {
    out.hash = escapeUnsafe(rest.slice(hash));
    rest = rest.slice(0, hash);
  }
  const question = rest.indexOf('?');
  if (question >= 0) {
    out.search = escapeUnsafe(rest.slice(question));
    out.query = out.search.slice(1);
    rest = rest.slice(0, question);
  }
  if (parseQueryString) {
    if (out.search === null) out.search = '';
    out.query = globalThis.require('querystring').parse(out.query || '');
  }
  const proto = /^[a-z0-9.+-]+:/i.exec(rest);
  if (proto !== null) {
    out.protocol = proto[0].toLowerCase();
    rest = rest.slice(proto[0].length);
  }
  if ((proto !== null || slashesDenoteHost) && rest.startsWith('//') && !HOSTLESS_PROTOCOLS.includes(out.protocol)) {
    out.slashes = true;
    rest = rest.slice(2);
  }
  // As in Node, protocols that are not "slashed" (mailto:, urn:, …) have a host even without "//".
  if (out.slashes || (proto !== null && !SLASHED_PROTOCOLS.includes(out.protocol) && !HOSTLESS_PROTOCOLS.includes(out.protocol))) {
    const end = rest.search(/[/\\]/);
    let authority = end < 0 ? rest : rest.slice(0, end);
    rest = end < 0 ? '' : rest.slice(end);
    const at = authority.lastIndexOf('@');
    if (at >= 0) {
      out.auth = decodeURIComponent(authority.slice(0, at));
      authority = authority.slice(at + 1);
    }
    const port = /:(\d*)$/.exec(authority);
    if (port !== null) {
      if (port[1] !== '') out.port = port[1];
      authority = authority.slice(0, port.index);
    }
    out.hostname = authority.toLowerCase();
    out.host = out.hostname + (out.port !== null ? ':' + out.port : '');
  }
  if (rest !== '') out.pathname = escapeUnsafe(rest.replace(/\\/g, '/'));
  else if (out.hostname !== null && SLASHED_PROTOCOLS.includes(out.protocol)) out.pathname = '/';
  if (out.pathname !== null || out.search !== null) out.path = (out.pathname || '') + (out.search || '');
  out.href = formatUrl(out);
  return out;
}
function formatUrl(input) {
  if (typeof input === 'string') input = parseUrlLegacy(input);
  if (input instanceof URL) return input.href;
  if (input === null || typeof input !== 'object') throw new TypeError('The "urlObject" argument must be an object or a string');
  let protocol = input.protocol ? String(input.protocol) : '';
  if (protocol && !protocol.endsWith(':')) protocol += ':';
  const auth = input.auth ? encodeURIComponent(String(input.auth)).replace(/%3A/i, ':') + '@' : '';
  let host = '';
  if (input.host) host = auth + String(input.host);
  else if (input.hostname) {
    const name = String(input.hostname);
    host = auth + (name.includes(':') && !name.startsWith('[') ? '[' + name + ']' : name) + (input.port ? ':' + input.port : '');
  }
  let pathname = input.pathname ? String(input.pathname) : '';
  let search = input.search ? String(input.search) : '';
  if (!search && input.query && typeof input.query === 'object') search = globalThis.require('querystring').stringify(input.query);
  else if (!search && typeof input.query === 'string') search = input.query;
  if (search && !search.startsWith('?')) search = '?' + search;
  let hash = input.hash ? String(input.hash) : '';
  if (hash && !hash.startsWith('#')) hash = '#' + hash;
  if (input.slashes || SLASHED_PROTOCOLS.includes(protocol) || (host !== '' && protocol === '')) {
    if (input.slashes || host !== '') host = '//' + host;
    if (pathname && !pathname.startsWith('/')) pathname = '/' + pathname;
  }
  pathname = pathname.replace(/[?#]/g, encodeURIComponent);
  search = search.replace('#', '%23');
  return protocol + host + pathname + search + hash;
}
const RESOLVE_BASE = 'sortie-resolve://host';
function resolveUrl(from, to) {
  from = String(from);
  to = String(to);
  if (/^[A-Za-z][A-Za-z0-9+.-]*:/.test(to)) return new URL(to).href;
  if (/^[A-Za-z][A-Za-z0-9+.-]*:/.test(from)) return new URL(to, from).href;
  const resolved = new URL(to, new URL(from.startsWith('/') ? from : '/' + from, RESOLVE_BASE + '/')).href.slice(RESOLVE_BASE.length);
  return from.startsWith('/') || to.startsWith('/') ? resolved : resolved.slice(1);
}
