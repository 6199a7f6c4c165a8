/**
 * `sortie import <format> …`: writes Sortie files from another tool's. One module per format, loaded
 * only when named (Postman from @sortie/postman, the others from @sortie/importers). Each parses its own
 * arguments, writes to --out DIR and prints what it wrote, the secrets to set and what it could not
 * import.
 */
import { ErrorCode, SortieError } from '@sortie/core';
import { EXIT, type Terminal } from '../terminal.js';

type Importer = (argv: readonly string[], terminal: Terminal) => Promise<number>;

/** Format → the module that imports it. */
const IMPORTERS: Record<string, () => Promise<Importer>> = {
  postman: async () => (await import('./import-postman.js')).importPostmanCommand,
  openapi: async () => (await import('./import-openapi.js')).importFormat,
  har: async () => (await import('./import-har.js')).importFormat,
  curl: async () => (await import('./import-curl.js')).importFormat,
};

export const IMPORT_HELP = `Usage: sortie import <format> <input> --out <dir> [options]

Formats:
  postman <collection>  A Postman collection v2.0 / v2.1: a scenario, an environment and a project file
                        that run as the collection runs directly (-e and -g convert an environment and
                        globals export too)
  openapi <spec>        An OpenAPI 3.0/3.1 or Swagger 2.0 description (JSON or YAML): one scenario per tag,
                        one step per operation with a contract assertion, servers as services, security
                        schemes as auth profiles
  har <file>            A HAR file (browser developer tools, Playwright's recordHar): one step per entry
  curl '<command>'      A curl command line, or - to read it from standard input

Options:
      --out <dir>       Where the files are written (created if needed; required)
      --format <f>      yaml (default) or json
  -e, --env <file>      postman: a Postman environment export to convert too
  -g, --globals <file>  postman: a Postman globals export to convert too
      --name <name>     har, curl: the scenario's name
  -h, --help            Show this help

Secret values (auth passwords, client secrets, keys, tokens, Postman variables typed secret, credentials
found in the input) are never written: they become declared secrets read from environment variables,
and the command lists the ones to set.
`;

export async function importCommand(argv: readonly string[], terminal: Terminal): Promise<number> {
  const [format, ...rest] = argv;
  if (format === undefined || format === '--help' || format === '-h' || rest.includes('--help') || rest.includes('-h')) {
    terminal.out(IMPORT_HELP);
    return EXIT.OK;
  }
  const load = IMPORTERS[format];
  if (load === undefined) {
    throw new SortieError(ErrorCode.USAGE, 'Usage error', `unknown import format "${format}"`, {
      hint: `formats: ${Object.keys(IMPORTERS).join(', ')}`,
    });
  }
  return (await load())(rest, terminal);
}
