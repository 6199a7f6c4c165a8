import { readFileSync } from 'node:fs';
import { getNodeValue, parseTree } from 'jsonc-parser';
import { createLineIndex } from './src/line-index.ts';
const text = readFileSync(process.argv[2] ?? '/tmp/hp/chain.json', 'utf8');
const nullProto = (_k: string, v: unknown) => (v !== null && typeof v === 'object' && !Array.isArray(v) ? Object.assign(Object.create(null), v) : v);
let tree: ReturnType<typeof parseTree>;
const cases: Record<string, () => unknown> = {
  lineIndex: () => createLineIndex(text),
  parseTree: () => (tree = parseTree(text, [], { disallowComments: true })),
  getNodeValue: () => getNodeValue(tree!),
  jsonParse: () => JSON.parse(text),
  jsonParseNullProto: () => JSON.parse(text, nullProto),
};
for (let r = 0; r < 4; r++) for (const [k, f] of Object.entries(cases)) { const c0 = process.cpuUsage(); for (let i = 0; i < 5; i++) f(); const c = process.cpuUsage(c0); if (r === 3) console.log(k.padEnd(20), ((c.user + c.system) / 5000).toFixed(1), 'ms CPU'); }
