/**
 * The Fetch Standard's bad ports (https://fetch.spec.whatwg.org/#port-blocking, "port blocking"): a
 * fetch to an http(s) URL on one of these fails before it connects, in browsers and in Node's `fetch`
 * alike (`fetch failed`, cause `bad port`). Sortie's own HTTP client does not block them; what reaches
 * a `sortie server` through fetch does: `sortie run --remote`, `sortie server schedule`, the dashboard
 * in a browser.
 */
const BAD_PORTS = new Set([
  1, 7, 9, 11, 13, 15, 17, 19, 20, 21, 22, 23, 25, 37, 42, 43, 53, 69, 77, 79, 87, 95, 101, 102, 103, 104, 109, 110, 111, 113, 115, 117,
  119, 123, 135, 137, 139, 143, 161, 179, 389, 427, 465, 512, 513, 514, 515, 526, 530, 531, 532, 540, 548, 554, 556, 563, 587, 601, 636,
  989, 990, 993, 995, 1719, 1720, 1723, 2049, 3659, 4045, 4190, 5060, 5061, 6000, 6566, 6665, 6666, 6667, 6668, 6669, 6679, 6697, 10080,
]);

/** Whether fetch clients (browsers, Node's `fetch`) refuse to connect to `port`. */
export function isFetchBadPort(port: number): boolean {
  return BAD_PORTS.has(port);
}
