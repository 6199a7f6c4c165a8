/**
 * `@sortie/http` imports undici's internal modules instead of its index (cold start, see `src/undici-core.ts`)
 * and adds `Dispatcher.prototype.connect` itself (`src/proxy-dispatcher.ts`). Those paths and that patch point
 * are not undici's public API, so undici is pinned to an exact version and this test fails if an update moves or
 * reshapes any of them.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import * as undici from 'undici';
import connectApi from 'undici/lib/api/api-connect.js';
import buildConnectorImpl from 'undici/lib/core/connect.js';
import symbols from 'undici/lib/core/symbols.js';
import AgentImpl from 'undici/lib/dispatcher/agent.js';
import ClientImpl from 'undici/lib/dispatcher/client.js';
import DispatcherImpl from 'undici/lib/dispatcher/dispatcher.js';
import EnvHttpProxyAgent from 'undici/lib/dispatcher/env-http-proxy-agent.js';
import PoolImpl from 'undici/lib/dispatcher/pool.js';
import { describe, expect, it } from 'vitest';

const src = fileURLToPath(new URL('../src/', import.meta.url));
const require = createRequire(new URL('../package.json', import.meta.url));

/** The deep modules checked below; every one `src/` imports must be listed. */
const CHECKED = [
  'undici/lib/api/api-connect.js',
  'undici/lib/core/connect.js',
  'undici/lib/core/symbols.js',
  'undici/lib/dispatcher/agent.js',
  'undici/lib/dispatcher/client.js',
  'undici/lib/dispatcher/dispatcher.js',
  'undici/lib/dispatcher/env-http-proxy-agent.js',
  'undici/lib/dispatcher/pool.js',
];

describe('the undici internals @sortie/http relies on', () => {
  it('come from the exact undici version package.json pins', () => {
    const pinned = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).dependencies.undici as string;
    expect(pinned).toMatch(/^\d+\.\d+\.\d+$/);
    expect(JSON.parse(readFileSync(require.resolve('undici/package.json'), 'utf8')).version).toBe(pinned);
  });

  it('are all checked here', () => {
    const used = new Set<string>();
    for (const file of readdirSync(src).filter((name) => name.endsWith('.ts'))) {
      for (const match of readFileSync(`${src}${file}`, 'utf8').matchAll(/from '(undici\/[^']+)'/g)) used.add(match[1]!);
    }
    expect(used.size).toBeGreaterThan(0);
    expect([...used].sort()).toEqual(CHECKED);
  });

  it('are the very classes and functions undici exports publicly', () => {
    expect(AgentImpl).toBe(undici.Agent);
    expect(ClientImpl).toBe(undici.Client);
    expect(DispatcherImpl).toBe(undici.Dispatcher);
    expect(EnvHttpProxyAgent).toBe(undici.EnvHttpProxyAgent);
    expect(PoolImpl).toBe(undici.Pool);
    expect(buildConnectorImpl).toBe(undici.buildConnector);
  });

  it('keep the connect patch point: the index installs api-connect on Dispatcher.prototype, and the proxy agents inherit it', () => {
    // undici's index does `Object.assign(Dispatcher.prototype, api)`; proxy-dispatcher.ts repeats that for `connect`.
    expect(typeof connectApi).toBe('function');
    expect((DispatcherImpl.prototype as { connect?: unknown }).connect).toBe(connectApi);
    expect(EnvHttpProxyAgent.prototype).toBeInstanceOf(DispatcherImpl);
    expect(undici.ProxyAgent.prototype).toBeInstanceOf(DispatcherImpl);
    expect(ClientImpl.prototype).toBeInstanceOf(DispatcherImpl);
    // ProxyAgent opens its CONNECT tunnels through that method of its client.
    const proxyAgent = readFileSync(require.resolve('undici/lib/dispatcher/proxy-agent.js'), 'utf8');
    expect(proxyAgent).toMatch(/\[kClient\]\.connect\(/);
    // The agent factory proxy-dispatcher.ts passes (for the header limit) is what ProxyAgent builds with.
    expect(proxyAgent).toMatch(/const agentFactory = opts\.factory \|\| defaultAgentFactory/);
  });

  it('keep the shapes the code calls', () => {
    for (const method of ['dispatch', 'close', 'destroy']) {
      expect(typeof (AgentImpl.prototype as unknown as Record<string, unknown>)[method], `Agent#${method}`).toBe('function');
      expect(typeof (ClientImpl.prototype as unknown as Record<string, unknown>)[method], `Client#${method}`).toBe('function');
    }
    expect(typeof buildConnectorImpl({})).toBe('function');
  });

  it("keep the HTTP/1 parser on the socket, whose llhttp gives the response's version (src/response-version.ts)", () => {
    expect(typeof symbols.kParser).toBe('symbol');
    const clientH1 = readFileSync(require.resolve('undici/lib/dispatcher/client-h1.js'), 'utf8');
    expect(clientH1).toMatch(/socket\[kParser\] = new Parser\(client, socket, llhttpInstance\)/);
    expect(clientH1).toMatch(/constructor \(client, socket, \{ exports \}\) \{\n\s+this\.llhttp = exports\n/);
    expect(clientH1).toMatch(/this\.ptr = this\.llhttp\.llhttp_alloc\(/);
    // The names of a WebAssembly module's exports are in its binary as they are.
    const wasm = require('undici/lib/llhttp/llhttp-wasm.js') as Buffer;
    for (const name of ['llhttp_get_http_major', 'llhttp_get_http_minor']) expect(wasm.includes(name), name).toBe(true);
  });

  it('keep the header fields the parser read in its `headers`, which a refused message leaves (src/refused-length-fields.ts)', () => {
    const clientH1 = readFileSync(require.resolve('undici/lib/dispatcher/client-h1.js'), 'utf8');
    // Names and values alternate as Buffers; a header section refused after a Content-Length gives only a length mismatch.
    expect(clientH1).toMatch(
      /onHeaderField \(buf\) \{\n\s+const len = this\.headers\.length\n\n\s+if \(\(len & 1\) === 0\) \{\n\s+this\.headers\.push\(buf\)/,
    );
    expect(clientH1).toMatch(
      /if \(contentLength && bytesRead !== parseInt\(contentLength, 10\)\) \{\n\s+return new ResponseContentLengthMismatchError\(\)/,
    );
    // destroy() frees llhttp but keeps `headers`.
    expect(clientH1).not.toMatch(/destroy \(\) \{[^}]*this\.headers/);
  });
});
