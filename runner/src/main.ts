#!/usr/bin/env node
/** The `sortie` executable: wires the CLI to the process. The only place that touches stdout/stderr. */
import { runCli } from './cli.js';

const controller = new AbortController();
let interrupts = 0;
process.on('SIGINT', () => {
  interrupts++;
  if (interrupts > 1) process.exit(130);
  process.stderr.write('\nInterrupted: finishing the current step (Ctrl-C again to quit now)\n');
  controller.abort();
});

const code = await runCli(
  process.argv.slice(2),
  {
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
    isTTY: process.stdout.isTTY === true,
    env: process.env,
    cwd: process.cwd(),
  },
  controller.signal,
);
process.exitCode = code;
