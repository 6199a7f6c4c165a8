import { readFileSync } from 'node:fs';
import { visit } from 'jsonc-parser';
import { parseJsonSource } from './src/parse-json.ts';
import { findJsonNestingOverflow } from './src/nesting.ts';
const text = readFileSync(process.argv[2] ?? '/tmp/hp/chain.json', 'utf8');
function dupScan(t: string): boolean {
  const stack: Array<Set<string> | undefined> = []; let dup = false;
  visit(t, { onObjectBegin: () => void stack.push(new Set()), onObjectEnd: () => void stack.pop(), onObjectProperty: (p) => { const s = stack[stack.length - 1]!; if (s.has(p)) dup = true; else s.add(p); } }, { disallowComments: true, allowTrailingComma: false });
  return dup;
}
const cases: Record<string, () => unknown> = {
  full: () => parseJsonSource(text, 'x.json'),
  nesting: () => findJsonNestingOverflow(text),
  jsonParse: () => JSON.parse(text),
  visitDup: () => dupScan(text),
};
for (let r = 0; r < 4; r++) for (const [k, f] of Object.entries(cases)) { const c0 = process.cpuUsage(); for (let i = 0; i < 5; i++) f(); const c = process.cpuUsage(c0); if (r === 3) console.log(k.padEnd(10), ((c.user + c.system) / 5000).toFixed(1), 'ms CPU'); }
