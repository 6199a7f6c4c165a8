import { ErrorCode, formatError, isSortieError, VERSION } from '@sortie/core';
import { sanitizeTerminalText } from '@sortie/reporters';
import { parseCliArgs } from './args.js';
import { AGENT_HELP, AUTH_HELP, INIT_HELP, MAIN_HELP, RUN_HELP, SCRIPTS_HELP, SERVER_HELP, VALIDATE_HELP } from './help.js';
import { EXIT, type Terminal } from './terminal.js';

/**
 * The whole CLI as a function: parses arguments, runs the command, prints errors, returns the exit
 * code. Never throws and never prints a stack trace (unless SORTIE_DEBUG is set).
 */
export async function runCli(argv: readonly string[], given: Terminal, signal?: AbortSignal): Promise<number> {
  // Nothing the CLI writes to stderr is styled: a control character there came from an input (a
  // file name with a terminal escape in an error, a message quoting a file) and is shown as \xNN.
  const terminal: Terminal = { ...given, err: (text) => given.err(sanitizeTerminalText(text)) };
  try {
    const args = parseCliArgs(argv);
    switch (args.command) {
      case 'help':
        terminal.out(
          args.topic === 'run'
            ? RUN_HELP
            : args.topic === 'validate'
              ? VALIDATE_HELP
              : args.topic === 'auth'
                ? AUTH_HELP
                : args.topic === 'scripts'
                  ? SCRIPTS_HELP
                  : args.topic === 'agent'
                    ? AGENT_HELP
                    : args.topic === 'server'
                      ? SERVER_HELP
                      : args.topic === 'init'
                        ? INIT_HELP
                        : MAIN_HELP,
        );
        return EXIT.OK;
      case 'version':
        terminal.out(`sortie ${VERSION}\n`);
        return EXIT.OK;
      case 'validate': {
        const { validateCommand } = await import('./commands/validate.js');
        return await validateCommand(args, terminal);
      }
      case 'auth': {
        const auth = await import('./commands/auth.js');
        const authArgs = auth.parseAuthArgs(args.argv);
        if (authArgs.action === 'login') return await auth.authLoginCommand(authArgs, terminal);
        if (authArgs.action === 'status') return await auth.authStatusCommand(authArgs, terminal);
        return await auth.authLogoutCommand(authArgs, terminal);
      }
      case 'import': {
        const { importCommand } = await import('./commands/import.js');
        return await importCommand(args.argv, terminal);
      }
      case 'scripts': {
        const { scriptsCommand } = await import('./commands/scripts.js');
        return await scriptsCommand(args.argv, terminal, signal);
      }
      case 'agent': {
        const { agentCommand } = await import('./commands/agent.js');
        return await agentCommand(args.argv, terminal, signal);
      }
      case 'init': {
        const { initCommand } = await import('./commands/init.js');
        return await initCommand(args.argv, terminal);
      }
      case 'server': {
        const { serverCommand } = await import('./commands/server.js');
        return await serverCommand(args.argv, terminal, signal);
      }
      case 'run': {
        if (args.remote !== undefined) {
          const { remoteRunCommand } = await import('./commands/remote-run.js');
          return await remoteRunCommand({ ...args, remote: args.remote }, terminal, signal);
        }
        const { runCommand } = await import('./commands/run.js');
        return await runCommand(args, terminal, signal);
      }
    }
  } catch (error) {
    if (isSortieError(error)) {
      terminal.err(formatError(error, { style: 'cli' }));
      return error.code === ErrorCode.INTERNAL ? EXIT.FAILED : EXIT.INVALID;
    }
    const message = error instanceof Error ? error.message : String(error);
    terminal.err(`sortie: internal error: ${message}\n  please report it; set SORTIE_DEBUG=1 for details\n`);
    if (terminal.env.SORTIE_DEBUG) terminal.err(`${(error as Error).stack ?? ''}\n`);
    return EXIT.FAILED;
  }
}
