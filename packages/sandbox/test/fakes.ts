/**
 * Plain fakes of the host interface for the sandbox tests: variables kept in maps, a canned
 * response, a context builder.
 */
import type { HttpResponse } from '@sortie/core';
import type { ScriptContext, ScriptScope, ScriptVariables } from '../src/index.js';

const ORDER: ScriptScope[] = ['local', 'data', 'scenario', 'environment', 'defaults', 'global'];

/** Variables in one map per scope; `{{name}}` replaced from the merged view. */
export class FakeVariables implements ScriptVariables {
  readonly scopes = new Map<ScriptScope, Map<string, unknown>>(ORDER.map((scope) => [scope, new Map()]));

  constructor(initial: Partial<Record<ScriptScope, Record<string, unknown>>> = {}) {
    for (const [scope, values] of Object.entries(initial)) {
      for (const [name, value] of Object.entries(values ?? {})) this.scopes.get(scope as ScriptScope)?.set(name, value);
    }
  }

  get(name: string, scope?: ScriptScope): unknown {
    for (const s of scope === undefined ? ORDER : [scope]) {
      const map = this.scopes.get(s);
      if (map?.has(name)) return map.get(name);
    }
    return undefined;
  }
  set(scope: ScriptScope, name: string, value: unknown): void {
    this.scopes.get(scope)?.set(name, value);
  }
  unset(scope: ScriptScope, name: string): void {
    this.scopes.get(scope)?.delete(name);
  }
  has(name: string, scope?: ScriptScope): boolean {
    return (scope === undefined ? ORDER : [scope]).some((s) => this.scopes.get(s)?.has(name));
  }
  clear(scope: ScriptScope): void {
    this.scopes.get(scope)?.clear();
  }
  toObject(scope?: ScriptScope): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const s of scope === undefined ? [...ORDER].reverse() : [scope]) Object.assign(out, Object.fromEntries(this.scopes.get(s) ?? []));
    return out;
  }
  replaceIn(template: string, scope?: ScriptScope): string {
    return template.replace(/\{\{([^}]+)\}\}/g, (match, name: string) => {
      const value = this.get(name.trim(), scope);
      return value === undefined ? match : String(value);
    });
  }
}

/** A response with a JSON (or text) body. */
export function fakeResponse(
  body: unknown,
  options: { status?: number; statusText?: string; headers?: Array<[string, string]> } = {},
): HttpResponse {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  const bytes = new TextEncoder().encode(text);
  return {
    status: options.status ?? 200,
    statusText: options.statusText ?? 'OK',
    httpVersion: '1.1',
    headers: options.headers ?? [['Content-Type', typeof body === 'string' ? 'text/plain' : 'application/json']],
    body: bytes,
    encodedBodySize: bytes.byteLength,
    timings: { firstByte: 10, download: 2, total: 12 },
    url: 'http://api.test/items',
    redirects: [],
  };
}

/** A test-script context; override anything. */
export function fakeContext(overrides: Partial<ScriptContext> = {}): ScriptContext {
  return {
    eventName: 'test',
    scriptName: 'test-script.js',
    requestName: 'Get items',
    requestId: 'req-1',
    iteration: 0,
    iterationCount: 1,
    variables: new FakeVariables(),
    ...overrides,
  };
}
