/**
 * The oldest Node.js the package runs on: package.json's `engines.node`, which build.mjs defines
 * here. npm only warns about `engines` (EBADENGINE), so an older Node started the CLI anyway and
 * failed somewhere inside a run with a stack trace; the CLI says it first, in one line.
 */
declare const __SORTIE_MIN_NODE__: string | undefined;

export const MIN_NODE: string = typeof __SORTIE_MIN_NODE__ === 'string' ? __SORTIE_MIN_NODE__ : '20.18.1';

/** Whether Node.js `version` (`20.17.0`, `v18.20.4`) is older than `min`, comparing major, minor and patch as numbers. */
export function olderThan(version: string, min: string = MIN_NODE): boolean {
  const parts = (text: string) =>
    text
      .replace(/^v/, '')
      .split('.')
      .map((part) => Number.parseInt(part, 10) || 0);
  const have = parts(version);
  const need = parts(min);
  for (let index = 0; index < 3; index++) {
    const a = have[index] ?? 0;
    const b = need[index] ?? 0;
    if (a !== b) return a < b;
  }
  return false;
}

/** The lines the CLI prints on a Node.js older than {@link MIN_NODE}, or undefined on a recent enough one. */
export function unsupportedNode(version: string = process.versions.node): string | undefined {
  if (!olderThan(version)) return undefined;
  return `error: sortie needs Node.js ${MIN_NODE} or later; this is Node.js ${version}\n  hint: install a current Node.js LTS (https://nodejs.org), or switch with nvm, fnm or volta\n`;
}
