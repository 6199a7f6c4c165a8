/**
 * The JSON path of a line of `JSON.stringify(value, null, 2)`: validators that print a code frame of
 * the pretty-printed document (such as @readme/openapi-parser's) name a line of that text, and this
 * turns it back into a path that can be located in the file as written.
 */
export function pathAtPrettyJsonLine(value: unknown, line: number): Array<string | number> | undefined {
  let current = 1;
  let found: Array<string | number> | undefined;
  const visit = (node: unknown, path: Array<string | number>): void => {
    if (found !== undefined) return;
    if (current === line) found = path;
    if (node === null || typeof node !== 'object') return;
    const entries: Array<[string | number, unknown]> = Array.isArray(node)
      ? node.map((item, index) => [index, item])
      : Object.entries(node).filter(([, child]) => child !== undefined && typeof child !== 'function');
    if (entries.length === 0) return;
    for (const [key, child] of entries) {
      current += 1;
      visit(child, [...path, key]);
      if (found !== undefined) return;
    }
    current += 1; // the closing bracket
  };
  visit(value, []);
  return found;
}
