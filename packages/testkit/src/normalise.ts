/**
 * Makes run output comparable with golden files: ports, durations, timestamps, dates and random tokens are replaced
 * by fixed placeholders. Nothing else changes. One set for every package (the runner's CLI runs, the reporters'
 * own tests). `port` is the loopback test server's port, when the output names it, or `'any'` for every loopback
 * port (a run against several servers).
 */

/** The port of the server the output names, or every loopback port. */
export type PortToHide = number | 'any';

const TIMING_KEYS = new Set(['startedAt', 'expiresAt', 'durationMs', 'firstByte', 'download', 'total']);
/**
 * Timings a request has only when it opened a connection. Whether a step reuses the keep-alive socket of the
 * step before depends on when that socket went back to the pool, which is timing, not behaviour: left out.
 */
const CONNECTION_TIMING_KEYS = new Set(['dns', 'connect', 'tls']);

/**
 * Ports (see PortToHide), and the version in the User-Agent every request sends (`sortie/1.2.3` →
 * `sortie/VERSION`). An echoed body's size still counts the version's characters: a version of
 * another length (0.9.0 → 0.10.0) changes the sizes in the goldens once.
 */
function replacePort(text: string, port: PortToHide | undefined): string {
  const versionless = text.replace(/\bsortie\/\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?/g, 'sortie/VERSION');
  if (port === 'any') return versionless.replace(/(?<![\d.])(127\.0\.0\.1|localhost)(:|%3A)\d{2,5}\b/gi, '$1$2PORT');
  return port === undefined ? versionless : versionless.replaceAll(`127.0.0.1:${port}`, '127.0.0.1:PORT');
}

/** CLI text (the cli reporter, error output): durations become `N ms`, a verbose response's Date header `DATE`. */
export function normaliseText(text: string, port?: PortToHide): string {
  return replacePort(text, port)
    .replace(/^(\s*< Date: ).+$/gim, '$1DATE')
    .replace(/\(\d+(\.\d+)? (ms|s)\)/g, '(N ms)')
    .replace(/^(Duration\s+)\S+( \w+)?$/gm, '$1N')
    .replace(/\b\d+(\.\d+)? ?ms\b/g, 'N ms');
}

/** JUnit XML: `time` and `timestamp` attributes, durations in messages. */
export function normaliseJunit(xml: string, port?: PortToHide): string {
  return replacePort(xml, port)
    .replace(/ time="[\d.]+"/g, ' time="0.000"')
    .replace(/ timestamp="[^"]+"/g, ' timestamp="TIMESTAMP"')
    .replace(/(\(|within )\d+ ms/g, '$1N ms');
}

/** The JSON report: timings, dates, multipart boundaries and tokens; printed again with two-space indents. */
export function normaliseReport(json: string, port?: PortToHide): string {
  const value = JSON.parse(replacePort(json, port));
  return `${JSON.stringify(walk(value), null, 2)}\n`;
}

function walk(value: unknown, key?: string): unknown {
  if (key !== undefined && TIMING_KEYS.has(key) && value !== undefined) return typeof value === 'string' ? 'TIME' : 0;
  if (Array.isArray(value)) {
    // header pairs: hide the date header and sizes that vary with the clock
    if (value.length === 2 && typeof value[0] === 'string' && value[0].toLowerCase() === 'date') return [value[0], 'DATE'];
    return value.map((v) => walk(v));
  }
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (!(key === 'timings' && CONNECTION_TIMING_KEYS.has(k))) out[k] = walk(v, k);
    if (out.selector === 'responseTime' && typeof out.actual === 'number') out.actual = 0;
    if (out.encoding === 'base64' && typeof out.text === 'string') {
      out.text = Buffer.from(normaliseString(Buffer.from(out.text, 'base64').toString('latin1')), 'latin1').toString('base64');
    }
    return out;
  }
  if (typeof value === 'string') return normaliseString(value);
  return value;
}

function normaliseString(value: string): string {
  return value
    .replace(/sortie[0-9a-f]{32}/g, 'sortieBOUNDARY')
    .replace(/"token":"[0-9a-f]{24}"/g, '"token":"TOKEN"')
    .replace(/^[A-Za-z0-9_-]{32}$/, 'TOKEN')
    .replace(/"access_token":"(?!\[REDACTED\])[^"]+"/g, '"access_token":"TOKEN"')
    .replace(/within \d+ ms/g, 'within N ms')
    .replace(/^Bearer [A-Za-z0-9_-]{20,}$/, 'Bearer TOKEN');
}

/**
 * An HTML report page (`-r html`): the port, durations, times, the date header and random tokens are replaced; the
 * inline CSS and script are left out, and so are the DNS / Connect / TLS timing rows (present only when a step opened
 * a connection, which depends on when the keep-alive socket went back to the pool).
 */
export function normaliseHtmlPage(html: string, port?: PortToHide): string {
  return (
    replacePort(html, port)
      .replace(/<style>[\s\S]*?<\/style>/, '<style>…</style>')
      .replace(/<script>[\s\S]*?<\/script>/, '<script>…</script>')
      .replace(/(<th scope="row">date<\/th><td>)[^<]*/gi, '$1DATE')
      .replace(/<tr><th scope="row">(DNS|Connect|TLS)<\/th><td>[^<]*<\/td><\/tr>/g, '')
      // The start line and headers as one text block: a Date header's value; connection timings only
      // a new connection has (whether one is reused depends on the run), on the one timings line.
      .replace(/^(date: )[^\n<]*/gim, '$1DATE')
      .replace(/(DNS|Connect|TLS) \d+(\.\d+)? ms · /g, '')
      .replace(/\b\d+(\.\d+)? ms\b/g, 'N ms')
      .replace(/\b\d+\.\d+ s\b/g, 'N ms')
      .replace(/(&quot;token&quot;: &quot;)[0-9a-f]{24}&quot;/g, '$1TOKEN&quot;')
      .replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z/g, 'TIME')
      .replace(/<li class="step/g, '\n<li class="step')
  );
}
