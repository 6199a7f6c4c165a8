function describeValue(value) {
  if (typeof value === 'string') return value;
  if (value === undefined) return 'undefined';
  if (typeof value === 'function') return '[Function' + (value.name ? ': ' + value.name : '') + ']';
  if (typeof value === 'symbol' || typeof value === 'bigint') return String(value);
  if (value instanceof Error) return (value.name || 'Error') + ': ' + value.message;
  if (typeof value !== 'object' || value === null) return String(value);
  // A Map or Set says what it is (its entries follow, as JSON): JSON.stringify alone wrote `{}`.
  const label = value instanceof Map ? 'Map(' + value.size + ') ' : value instanceof Set ? 'Set(' + value.size + ') ' : '';
  try {
    // The objects from the root to the one being written (JSON.stringify calls the replacer with the
    // holder as `this`, depth first): only a reference back to one of them is circular — an object
    // met twice side by side (`{ a: o, b: o }`) is written twice, as Node's console does.
    const holders = [];
    const originals = [];
    return (
      label +
      JSON.stringify(value, function (key, v) {
        while (holders.length > 0 && holders[holders.length - 1] !== this) {
          holders.pop();
          originals.pop();
        }
        if (v === undefined) return 'undefined';
        if (typeof v === 'function') return '[Function]';
        if (typeof v === 'bigint' || typeof v === 'symbol') return String(v);
        if (v instanceof Error) return (v.name || 'Error') + ': ' + v.message;
        if (v === null || typeof v !== 'object') return v;
        if (originals.includes(v)) return '[Circular]';
        // A Map as its [key, value] pairs (keys of any type, in order), a Set as its values.
        const out = v instanceof Map || v instanceof Set ? Array.from(v) : v;
        holders.push(out);
        originals.push(v);
        return out;
      })
    );
  } catch (e) {
    return String(value);
  }
}
function createConsole() {
  const write =
    (level) =>
    (...args) => {
      if (run === null) return;
      if (run.logs.length >= MAX_LOG_LINES) {
        run.logsDropped++;
        return;
      }
      let message = args.map(describeValue).join(' ');
      if (message.length > MAX_LOG_MESSAGE) message = message.slice(0, MAX_LOG_MESSAGE) + '…';
      run.logs.push({ level, message });
    };
  return { log: write('log'), info: write('info'), warn: write('warn'), error: write('error'), debug: write('log'), trace: write('log') };
}
