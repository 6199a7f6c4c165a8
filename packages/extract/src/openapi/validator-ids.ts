/**
 * The place in a description that a semantic error of @readme/openapi-parser names: its messages start
 * with an id written like a JSON pointer but not escaped (`/paths/a/{x}/get` for the path `/a/{x}`,
 * `…/parameters/limit` for the parameter named `limit`), and show no code frame to locate it by.
 */

/** The JSON path of the id a message starts with (`` `/paths/a/{x}/get` is missing … ``), when it is in `document`. */
export function pathOfValidatorId(message: string, document: unknown): Array<string | number> | undefined {
  const id = /^`(\/[^`]+)`/.exec(message)?.[1];
  if (id === undefined || !isRecord(document)) return undefined;
  let rest: string[];
  const path: Array<string | number> = [];
  let node: unknown = document;
  if (id.startsWith('/paths/') && isRecord(document.paths)) {
    // The path's own `/`s are not escaped: the longest key of `paths` the id goes on with.
    const after = id.slice('/paths'.length);
    const key = Object.keys(document.paths)
      .filter((name) => after === name || after.startsWith(`${name}/`))
      .sort((a, b) => b.length - a.length)[0];
    if (key === undefined) return undefined;
    path.push('paths', key);
    node = document.paths[key];
    rest = after.slice(key.length).split('/').filter(Boolean);
  } else rest = id.split('/').filter(Boolean);
  for (const segment of rest) {
    if (Array.isArray(node)) {
      // A parameter is named by its name, not its index.
      const index = node.findIndex((item) => isRecord(item) && item.name === segment);
      if (index === -1) break;
      path.push(index);
      node = node[index];
    } else if (isRecord(node) && Object.hasOwn(node, segment)) {
      path.push(segment);
      node = node[segment];
    } else break;
  }
  return path.length > 0 ? path : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
