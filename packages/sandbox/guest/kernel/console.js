function describeValue(value) {
  if (typeof value === 'string') return value;
  if (value === undefined) return 'undefined';
  if (typeof value === 'function') return '[Function' + (value.name ? ': ' + value.name : '') + ']';
  if (typeof value === 'symbol' || typeof value === 'bigint') return String(value);
  if (value instanceof Error) return (value.name || 'Error') + ': ' + value.message;
  if (typeof value !== 'object' || value === null) return String(value);
  try {
    const seen = [];
    return JSON.stringify(value, (key, v) => {
      if (v === undefined) return 'undefined';
      if (typeof v === 'function') return '[Function]';
      if (typeof v === 'bigint') return String(v);
      if (v && typeof v === 'object') {
        if (seen.includes(v)) return '[Circular]';
        seen.push(v);
      }
      return v;
    });
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
