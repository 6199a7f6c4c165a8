// Preloaded into the CLI by the benchmark (`node --import`): reports the peak resident set size at exit.
import { writeFileSync } from 'node:fs';

const out = process.env.SORTIE_BENCH_RSS_FILE;
if (out) process.on('exit', () => writeFileSync(out, String(process.resourceUsage().maxRSS * 1024)));
