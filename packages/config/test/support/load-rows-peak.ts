/**
 * Child of the iteration-data memory test: writes `count` JSON rows to a temporary file, loads them
 * with loadIterationData and prints how much the peak RSS grew while loading, in bytes.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadIterationData } from '../../src/iteration-data.js';

const count = Number(process.argv[2]);
const dir = mkdtempSync(join(tmpdir(), 'sortie-rows-'));
const file = join(dir, 'rows.json');
writeFileSync(file, JSON.stringify(Array.from({ length: count }, (_, n) => ({ n, user: `user-${n}`, email: `user-${n}@example.test` }))));
const before = process.resourceUsage().maxRSS * 1024;
const { rows } = await loadIterationData(file);
const grown = process.resourceUsage().maxRSS * 1024 - before;
rmSync(dir, { recursive: true, force: true });
process.stdout.write(JSON.stringify({ rows: rows.length, grown }));
