/**
 * `sortie import <kind> …`: writes Sortie files from another tool's. A small table of importers, one
 * row per kind; each row parses its own arguments and returns the exit code.
 */
import { ErrorCode, SortieError } from '@sortie/core';
import type { Terminal } from '../terminal.js';

type Importer = (argv: readonly string[], terminal: Terminal) => Promise<number>;

/** The importers by kind, loaded when used. */
const IMPORTERS: Record<string, { describe: string; load: () => Promise<Importer> }> = {
  postman: {
    describe: 'a Postman collection v2.0 / v2.1 (with an environment and globals)',
    load: async () => (await import('./import-postman.js')).importPostmanCommand,
  },
};

/** Dispatches `sortie import <kind> …` to the importer of that kind. */
export async function importCommand(argv: readonly string[], terminal: Terminal): Promise<number> {
  const [kind, ...rest] = argv;
  const importer = kind === undefined ? undefined : IMPORTERS[kind];
  if (importer === undefined) {
    const kinds = Object.entries(IMPORTERS).map(([name, row]) => `${name} (${row.describe})`);
    throw new SortieError(
      ErrorCode.USAGE,
      'Usage error',
      kind === undefined ? 'sortie import needs a kind' : `unknown import kind "${kind}"`,
      {
        hint: `kinds: ${kinds.join(', ')}`,
      },
    );
  }
  return (await importer.load())(rest, terminal);
}
