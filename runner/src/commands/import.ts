/**
 * `sortie import <format> …`: the importers of @sortie/importers, one module per format, loaded only
 * when named. Each writes Sortie files to --out DIR and prints what it wrote, the secrets to set and
 * what it could not import.
 */
import { ErrorCode, SortieError } from '@sortie/core';
import { EXIT, type Terminal } from '../terminal.js';

/** Format → the module that imports it (its `importFormat(argv, terminal)`). */
const IMPORTERS: Record<string, () => Promise<{ importFormat(argv: readonly string[], terminal: Terminal): Promise<number> }>> = {
  openapi: () => import('./import-openapi.js'),
  har: () => import('./import-har.js'),
  curl: () => import('./import-curl.js'),
};

export const IMPORT_HELP = `Usage: sortie import <format> <input> --out <dir> [--format yaml|json]

Formats:
  openapi <spec>        An OpenAPI 3.0/3.1 or Swagger 2.0 description (JSON or YAML): one scenario per tag,
                        one step per operation with a contract assertion, servers as services, security
                        schemes as auth profiles
  har <file>            A HAR file (browser developer tools, Playwright's recordHar): one step per entry
  curl '<command>'      A curl command line, or - to read it from standard input

Options:
      --out <dir>       Where the scenario, environment and project files are written (required)
      --format <f>      yaml (default) or json
      --name <name>     har, curl: the scenario's name
  -h, --help            Show this help

Credentials found in the input become auth profiles whose values are secrets (environment variables),
never values in the written files; the command lists the secrets to set.
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
  return (await load()).importFormat(rest, terminal);
}
