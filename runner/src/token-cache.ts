import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Terminal } from './terminal.js';

/**
 * The token cache file: `--token-cache` (of `sortie auth`), else $SORTIE_TOKEN_CACHE, else
 * $XDG_CACHE_HOME/sortie/tokens.json (~/.cache when unset). Shared by `sortie run` and `sortie auth`.
 */
export function resolveTokenCacheFile(terminal: Partial<Pick<Terminal, 'env' | 'cwd'>>, flag?: string): string {
  const env = terminal.env ?? {};
  const cwd = terminal.cwd ?? process.cwd();
  if (flag !== undefined) return resolve(cwd, flag);
  if (env.SORTIE_TOKEN_CACHE !== undefined && env.SORTIE_TOKEN_CACHE !== '') return resolve(cwd, env.SORTIE_TOKEN_CACHE);
  return join(env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'sortie', 'tokens.json');
}
