import { measureColdStart } from './chain.js';

const baseUrl = process.argv[2]!;
for (let round = 0; round < 2; round++) {
  for (const [label, root] of [
    ['A', '/tmp/cache-w/rootA'],
    ['B', '/tmp/cache-w/rootB'],
  ] as const) {
    const rows = await measureColdStart({ root, work: '/tmp/cache-w', baseUrl } as never, '/tmp/cache-w/one.json', 10);
    console.log(label, rows.map((r) => r.slice(3).join(' ')).join(' | '));
  }
}
