// Preloaded into the CLI by the benchmark (`node --import`): reports the peak resident set size at exit,
// and (when SORTIE_BENCH_CPU_FILE is set) the process's CPU time, user + system, in ms.
import { writeFileSync } from 'node:fs';

const out = process.env.SORTIE_BENCH_RSS_FILE;
if (out) process.on('exit', () => writeFileSync(out, String(process.resourceUsage().maxRSS * 1024)));
const cpu = process.env.SORTIE_BENCH_CPU_FILE;
if (cpu)
  process.on('exit', () => {
    const { user, system } = process.cpuUsage();
    writeFileSync(cpu, String((user + system) / 1000));
  });
