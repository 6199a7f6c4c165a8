/**
 * The raw side of the login-chain rows (bench/chain.ts), in a fresh `node` process like `sortie run`:
 * undici requests doing the same requests, checks and extractions as the chain scenario, in a loop.
 * Prints `{"runMs"}`: from just before the first request to the end of the last response, the span
 * the Sortie report's run time covers; the parent times the whole process (spawn to exit) for both
 * sides, and the preload (bench/peak-rss.mjs) records CPU time for both.
 * Usage: node bench/chain-raw-loop.mjs <base-url> <pairs>
 */
import { getGlobalDispatcher, request } from 'undici';

const [baseUrl, pairs] = process.argv.slice(2);
let last = 1;
const started = performance.now();
for (let i = 0; i < Number(pairs); i++) {
  const login = await request(`${baseUrl}/login?v=2`, {
    method: 'POST',
    headers: { accept: 'application/json', 'content-type': 'application/json' },
    body: '{"user":"ann"}',
  });
  if (login.statusCode !== 200) throw new Error(`login answered ${login.statusCode}`);
  const token = (await login.body.json()).access_token;
  const item = await request(`${baseUrl}/items/${last}`, { headers: { authorization: `Bearer ${token}` } });
  if (item.statusCode !== 200) throw new Error(`item answered ${item.statusCode}`);
  const body = await item.body.json();
  if (typeof body.id !== 'number') throw new Error('id is not a number');
  last = body.id;
}
const runMs = performance.now() - started;
// Sortie closes its HTTP client before it exits; so does the loop.
await getGlobalDispatcher().close();
process.stdout.write(JSON.stringify({ runMs }));
