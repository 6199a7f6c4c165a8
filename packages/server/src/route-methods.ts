/**
 * The methods each route pattern of the server answers, so a request with another method on a
 * path the server has is told so: RFC 9110 §15.5.6 (405 Method Not Allowed, with an `Allow` header
 * listing the methods the resource supports) and §9.3.7 (OPTIONS answers with them), where a
 * `DELETE /api/runs` or a `GET …/cancel` got the 404 "no route" of a path that does not exist.
 */
export class RouteMethods {
  readonly #routes: { segments: string[]; method: string }[] = [];

  /** Records a route as Fastify registers it (`/api/runs/:id/reports/:name`). */
  add(method: string | readonly string[], url: string): void {
    for (const one of typeof method === 'string' ? [method] : method) {
      this.#routes.push({ segments: url.split('/'), method: one.toUpperCase() });
    }
  }

  /**
   * The methods the server answers at `path` (without its query), sorted; HEAD with GET, as Fastify
   * answers HEAD for every GET route (RFC 9110 §9.3.2). Empty when no route has this path.
   */
  allowed(path: string): string[] {
    const segments = path.split('/');
    const methods = new Set<string>();
    for (const route of this.#routes) {
      if (matches(route.segments, segments)) methods.add(route.method);
    }
    if (methods.has('GET')) methods.add('HEAD');
    return [...methods].sort();
  }
}

/** A pattern's `:name` segment matches any segment that is not empty; any other matches itself. */
function matches(pattern: readonly string[], segments: readonly string[]): boolean {
  if (pattern.length !== segments.length) return false;
  return pattern.every((part, i) => (part.startsWith(':') ? segments[i] !== '' : part === segments[i]));
}
