/**
 * A minimal Node `util` module in the guest (lazily loaded on `require('util')`): `format`,
 * `inspect` (one line, Node's notation, `depth`, custom `util.inspect.custom` hooks), `inherits`,
 * `promisify`, `deprecate`, `types` and the legacy `is*` checks, plus `TextEncoder` / `TextDecoder`.
 *
 * @see https://nodejs.org/api/util.html
 */
const INSPECT_CUSTOM = Symbol.for('nodejs.util.inspect.custom');
const MAX_ITEMS = 100;
function quote(text) {
  const q = text.includes("'") && !text.includes('"') ? '"' : "'";
  return (
    q +
    text
      .replace(/[\\\n\r\t]/g, (c) => ({ '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t' })[c])
      .split(q)
      .join('\\' + q) +
    q
  );
}
function formatKey(key) {
  if (typeof key === 'symbol') return '[' + String(key) + ']';
  return /^[A-Za-z_$][\w$]*$/.test(key) ? key : quote(key);
}
function typeName(value) {
  const proto = Object.getPrototypeOf(value);
  if (proto === null) return '[Object: null prototype]';
  const ctor = proto.constructor;
  return typeof ctor === 'function' && ctor.name ? ctor.name : 'Object';
}
function formatPrimitive(value) {
  if (typeof value === 'string') return quote(value);
  if (typeof value === 'number') return Object.is(value, -0) ? '-0' : String(value);
  if (typeof value === 'bigint') return String(value) + 'n';
  return String(value);
}
function formatFunction(fn) {
  const source = Function.prototype.toString.call(fn);
  if (/^class\b/.test(source)) return '[class ' + (fn.name || '(anonymous)') + ']';
  const kind = /^async\b/.test(source) ? 'AsyncFunction' : 'Function';
  return '[' + kind + (fn.name ? ': ' + fn.name : ' (anonymous)') + ']';
}
function formatEntries(value, depth, seen, options) {
  const out = [];
  for (const key of Reflect.ownKeys(value)) {
    const d = Object.getOwnPropertyDescriptor(value, key);
    if (!d.enumerable) continue;
    if (out.length >= MAX_ITEMS) {
      out.push('... more items');
      break;
    }
    if ('value' in d) out.push(formatKey(key) + ': ' + formatValue(d.value, depth + 1, seen, options));
    else out.push(formatKey(key) + ': ' + (d.get && d.set ? '[Getter/Setter]' : d.get ? '[Getter]' : '[Setter]'));
  }
  return out;
}
function wrap(prefix, open, items, close) {
  const body = items.length === 0 ? open + close : open + ' ' + items.join(', ') + ' ' + close;
  return prefix ? prefix + ' ' + body : body;
}
function formatValue(value, depth, seen, options) {
  if (value === null || (typeof value !== 'object' && typeof value !== 'function')) return formatPrimitive(value);
  if (typeof value[INSPECT_CUSTOM] === 'function' && value[INSPECT_CUSTOM] !== inspect) {
    const custom = value[INSPECT_CUSTOM](options.depth - depth, options, inspect);
    return typeof custom === 'string' ? custom : formatValue(custom, depth, seen, options);
  }
  if (typeof value === 'function') return formatFunction(value);
  if (seen.includes(value)) return '[Circular *1]';
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString();
  if (value instanceof RegExp) return String(value);
  if (value instanceof Error) return '[' + (value.name || 'Error') + (value.message ? ': ' + value.message : '') + ']';
  const name = typeName(value);
  const tooDeep = options.depth !== null && depth > options.depth;
  if (tooDeep) return Array.isArray(value) ? '[Array]' : '[' + name + ']';
  seen.push(value);
  try {
    if (Array.isArray(value) || ArrayBuffer.isView(value)) {
      const items = [];
      const length = /** @type {ArrayLike<unknown>} */ (value).length === undefined ? 0 : /** @type {ArrayLike<unknown>} */ (value).length;
      for (let i = 0; i < Math.min(length, MAX_ITEMS); i++) items.push(formatValue(value[i], depth + 1, seen, options));
      if (length > MAX_ITEMS) items.push('... ' + (length - MAX_ITEMS) + ' more items');
      return wrap(Array.isArray(value) && name === 'Array' ? '' : name + '(' + length + ')', '[', items, ']');
    }
    if (value instanceof Map) {
      const items = Array.from(
        value,
        (e) => formatValue(e[0], depth + 1, seen, options) + ' => ' + formatValue(e[1], depth + 1, seen, options),
      );
      return wrap(name + '(' + value.size + ')', '{', items, '}');
    }
    if (value instanceof Set)
      return wrap(
        name + '(' + value.size + ')',
        '{',
        Array.from(value, (v) => formatValue(v, depth + 1, seen, options)),
        '}',
      );
    return wrap(name === 'Object' ? '' : name, '{', formatEntries(value, depth, seen, options), '}');
  } finally {
    seen.pop();
  }
}
/** One-line rendering in Node's notation; options: depth (default 2, null for unlimited). */
function inspect(value, options) {
  const opts = Object.assign({ depth: 2 }, options !== null && typeof options === 'object' ? options : {});
  return formatValue(value, 0, [], opts);
}
inspect.custom = INSPECT_CUSTOM;
function formatArg(value) {
  return typeof value === 'string' ? value : inspect(value);
}
/** printf-like formatting: %s %d %i %f %j %o %O %c %%; extra arguments are appended. */
function format(first, ...args) {
  if (typeof first !== 'string') return [first, ...args].map(formatArg).join(' ');
  let index = 0;
  const text = first.replace(/%[sdifjoOc%]/g, (token) => {
    if (token === '%%') return '%';
    if (index >= args.length) return token;
    const arg = args[index++];
    switch (token) {
      case '%s':
        if (typeof arg === 'bigint') return String(arg) + 'n';
        if (typeof arg === 'number') return Object.is(arg, -0) ? '-0' : String(arg);
        return arg !== null && typeof arg === 'object' ? inspect(arg, { depth: 1 }) : String(arg);
      case '%d':
        return typeof arg === 'bigint' ? String(arg) + 'n' : typeof arg === 'object' && arg !== null ? 'NaN' : String(Number(arg));
      case '%i':
        return typeof arg === 'bigint' ? String(arg) + 'n' : String(parseInt(arg, 10));
      case '%f':
        return typeof arg === 'symbol' ? 'NaN' : String(parseFloat(arg));
      case '%j':
        try {
          return JSON.stringify(arg);
        } catch (error) {
          return '[Circular]';
        }
      case '%o':
      case '%O':
        return inspect(arg, { depth: token === '%o' ? 4 : 2 });
      default:
        return '';
    }
  });
  return [text, ...args.slice(index).map(formatArg)].join(' ');
}
function inherits(ctor, superCtor) {
  if (typeof ctor !== 'function' || typeof superCtor !== 'function') throw new TypeError('util.inherits expects two constructors');
  Object.defineProperty(ctor, 'super_', { value: superCtor, writable: true, configurable: true });
  Object.setPrototypeOf(ctor.prototype, superCtor.prototype);
}
function promisify(fn) {
  if (typeof fn !== 'function') throw new TypeError('util.promisify expects a function');
  return function (...args) {
    return new Promise((resolve, reject) => fn.call(this, ...args, (error, value) => (error ? reject(error) : resolve(value))));
  };
}
const isObjectLike = (v) => v !== null && typeof v === 'object';
const types = {
  isDate: (v) => v instanceof Date,
  isRegExp: (v) => v instanceof RegExp,
  isMap: (v) => v instanceof Map,
  isSet: (v) => v instanceof Set,
  isPromise: (v) => v instanceof Promise,
  isNativeError: (v) => v instanceof Error,
  isTypedArray: (v) => ArrayBuffer.isView(v) && !(v instanceof DataView),
  isUint8Array: (v) => v instanceof Uint8Array,
  isArrayBuffer: (v) => v instanceof ArrayBuffer,
};
const legacyChecks = {
  isArray: Array.isArray,
  isBoolean: (v) => typeof v === 'boolean',
  isNull: (v) => v === null,
  isNullOrUndefined: (v) => v === null || v === undefined,
  isNumber: (v) => typeof v === 'number',
  isString: (v) => typeof v === 'string',
  isSymbol: (v) => typeof v === 'symbol',
  isUndefined: (v) => v === undefined,
  isRegExp: types.isRegExp,
  isObject: isObjectLike,
  isDate: types.isDate,
  isError: types.isNativeError,
  isFunction: (v) => typeof v === 'function',
  isPrimitive: (v) => v === null || (typeof v !== 'object' && typeof v !== 'function'),
};
