import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFixtureServer } from '../fixtures/src/server/index.js';
import { requestsScenario } from './scenarios.js';
const api = await startFixtureServer();
const work = mkdtempSync(join(tmpdir(), 'cold-ab-'));
writeFileSync(join(work, 'one.json'), JSON.stringify(requestsScenario(1)));
const wall = (args: string[]) => new Promise<number>((resolve) => { const t = performance.now(); const c = spawn(process.execPath, args, { cwd: work, stdio: 'ignore', env: { ...process.env, NO_COLOR: '1' } }); c.on('exit', () => resolve(performance.now() - t)); });
const med = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)]!;
const clis: Record<string, string> = { S: '/work/wt-a/runner/dist/sortie.cjs', B: '/work/wt-b/runner/dist/sortie.cjs', main: '/work/main/runner/dist/sortie.cjs' };
for (let round = 0; round < 3; round++) {
  const r: Record<string, number[]> = { node: [], S: [], B: [], main: [] };
  for (let i = 0; i < 15; i++) {
    r.node!.push(await wall(['-e', '0']));
    for (const [k, cli] of Object.entries(clis)) r[k]!.push(await wall([cli, 'run', 'one.json', '--env-var', `base=${api.url}`, '-r', 'cli']));
  }
  console.log(`round ${round}: node ${med(r.node!).toFixed(0)} ` + Object.keys(clis).map((k) => `${k} ${med(r[k]!).toFixed(0)}`).join(' '));
}
await api.close();
