/** Where the CLI writes. Injected so tests can capture output. */
export interface Terminal {
  out(text: string): void;
  err(text: string): void;
  /** Whether stdout is a TTY. */
  isTTY: boolean;
  /** Width of the terminal now, when stdout is one (read again at each redraw: the terminal may be resized). */
  columns?: () => number | undefined;
  env: Record<string, string | undefined>;
  cwd: string;
  /** The bundled CLI's copy of the sandbox's `require()` libraries (set by main.ts; absent when run from source). */
  sandboxLibrariesDir?: string;
  /**
   * Called by a command from the moment SIGINT/SIGTERM should stop it gracefully (through the signal
   * given to it: `run` once its inputs are loaded, the agent, the server); before that, a stop signal
   * ends the process at once (main.ts). `saysStopping`: the command says itself what stopping does
   * (the agent, the server), so main.ts prints no "finishing the current step".
   */
  stopsGracefully?: (options?: { saysStopping?: boolean }) => void;
  /** Called by `run` once the run has shown it is long (main.ts: tiering.ts). */
  longRun?: () => void;
}

/**
 * Colors on for a TTY unless NO_COLOR is set; FORCE_COLOR or --color forces them, --no-color disables.
 * `FORCE_COLOR=0` and `FORCE_COLOR=false` turn them off, on a terminal too, as Node
 * (`tty.WriteStream#getColorDepth`) and chalk's supports-color read them.
 * @see https://no-color.org/
 * @see https://nodejs.org/api/tty.html#writestreamgetcolordepthenv
 */
export function useColor(terminal: Terminal, flag: boolean | undefined): boolean {
  if (flag !== undefined) return flag;
  if (terminal.env.NO_COLOR !== undefined && terminal.env.NO_COLOR !== '') return false;
  const force = terminal.env.FORCE_COLOR;
  if (force !== undefined) return force !== '0' && force.toLowerCase() !== 'false';
  return terminal.isTTY;
}

export const EXIT = { OK: 0, FAILED: 1, INVALID: 2 } as const;
