/**
 * Node's `querystring` module in the guest (lazily loaded on `require('querystring')`): `parse` /
 * `decode`, `stringify` / `encode`, `escape`, `unescape`, with Node's separators, `maxKeys` and
 * custom codec options.
 *
 * @see https://nodejs.org/api/querystring.html
 */
function qsEscape(value) {
  return encodeURIComponent(typeof value === 'string' ? value : String(value));
}
function qsUnescape(value) {
  try {
    return decodeURIComponent(value);
  } catch (error) {
    return value.replace(/(?:%[0-9A-Fa-f]{2})+/g, (run) => {
      const bytes = new Uint8Array(
        run
          .slice(1)
          .split('%')
          .map((h) => parseInt(h, 16)),
      );
      return new (globalThis.require('util').TextDecoder)().decode(bytes);
    });
  }
}
function stringifyPrimitive(value) {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  if (typeof value === 'bigint') return String(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  return '';
}
function stringify(object, sep = '&', eq = '=', options) {
  const encode = options && typeof options.encodeURIComponent === 'function' ? options.encodeURIComponent : qsEscape;
  if (object === null || typeof object !== 'object') return '';
  const fields = [];
  for (const key of Object.keys(object)) {
    const value = object[key];
    const prefix = encode(stringifyPrimitive(key)) + eq;
    if (Array.isArray(value)) for (const item of value) fields.push(prefix + encode(stringifyPrimitive(item)));
    else fields.push(prefix + encode(stringifyPrimitive(value)));
  }
  return fields.join(sep);
}
function parse(text, sep = '&', eq = '=', options) {
  const out = Object.create(null);
  if (typeof text !== 'string' || text.length === 0) return out;
  sep = sep ? String(sep) : '&';
  eq = eq ? String(eq) : '=';
  const maxKeys = options && typeof options.maxKeys === 'number' ? options.maxKeys : 1000;
  const decode = options && typeof options.decodeURIComponent === 'function' ? options.decodeURIComponent : qsUnescape;
  let parts = text.split(sep);
  if (maxKeys > 0 && parts.length > maxKeys) parts = parts.slice(0, maxKeys);
  for (const part of parts) {
    if (part === '') continue;
    const index = part.indexOf(eq);
    const key = decode((index < 0 ? part : part.slice(0, index)).replace(/\+/g, ' '));
    const value = index < 0 ? '' : decode(part.slice(index + eq.length).replace(/\+/g, ' '));
    if (!(key in out)) out[key] = value;
    else if (Array.isArray(out[key])) out[key].push(value);
    else out[key] = [out[key], value];
  }
  return out;
}
