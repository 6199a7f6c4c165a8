import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Body, ErrorCode, type HeaderList, SortieError } from '@sortie/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpClient, encodeBody } from '../src/index.js';
import { parseJson, prepareRequest, readRequestBody, sendJson, startServer, type TestServer } from './test-server.js';

type Entry = { name: string; value: string } | { name: string; filename: string; type: string; base64: string };
interface Received {
  contentType: string;
  text: string;
  base64: string;
  entries?: Entry[];
}

/** A server that reports what it received; form and multipart bodies are parsed by the platform's Request. */
async function startEchoServer(): Promise<TestServer> {
  return startServer(async (request, response) => {
    const body = await readRequestBody(request);
    const contentType = request.headers['content-type'] ?? '';
    const received: Received = { contentType, text: body.toString('utf8'), base64: body.toString('base64') };
    if (contentType.startsWith('multipart/form-data') || contentType.startsWith('application/x-www-form-urlencoded')) {
      const form = await new Request('http://test/', { method: 'POST', headers: { 'content-type': contentType }, body }).formData();
      received.entries = [];
      for (const [name, value] of form) {
        if (typeof value === 'string') received.entries.push({ name, value });
        else
          received.entries.push({
            name,
            filename: value.name,
            type: value.type,
            base64: Buffer.from(await value.arrayBuffer()).toString('base64'),
          });
      }
    }
    sendJson(response, 200, received);
  });
}

describe('encodeBody sent to a real server', () => {
  let server: TestServer;
  let dir: string;
  const client = createHttpClient();
  const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0xff]);

  beforeAll(async () => {
    server = await startEchoServer();
    dir = await mkdtemp(join(tmpdir(), 'sortie-http-'));
    await writeFile(join(dir, 'logo.png'), png);
    await writeFile(join(dir, 'notes.txt'), 'hello\r\nworld');
  });

  afterAll(async () => {
    await client.close();
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });

  async function post(body: Body): Promise<Received> {
    const encoded = await encodeBody(body, { baseDir: dir });
    const headers: HeaderList = encoded.contentType === undefined ? [] : [['content-type', encoded.contentType]];
    const response = await client.send(prepareRequest(`${server.url}/echo`, { method: 'POST', headers, body: encoded.body }));
    expect(response.status).toBe(200);
    return parseJson(response.body) as Received;
  }

  it('sends json as application/json', async () => {
    const received = await post({ json: { name: 'Ada', tags: ['x'], nested: { n: 1 } } });
    expect(received.contentType).toBe('application/json');
    expect(JSON.parse(received.text)).toEqual({ name: 'Ada', tags: ['x'], nested: { n: 1 } });
  });

  it('sends text as UTF-8 text/plain', async () => {
    const received = await post({ text: 'grüße' });
    expect(received.contentType).toBe('text/plain;charset=utf-8');
    expect(received.text).toBe('grüße');
  });

  it('sends xml as application/xml', async () => {
    const received = await post({ xml: '<a b="1"/>' });
    expect(received.contentType).toBe('application/xml');
    expect(received.text).toBe('<a b="1"/>');
  });

  it('lets contentType override the implied type', async () => {
    const received = await post({ xml: '<a/>', contentType: 'text/xml; charset=utf-8' });
    expect(received.contentType).toBe('text/xml; charset=utf-8');
  });

  it('url-encodes a form, repeating keys for arrays', async () => {
    const received = await post({ form: { user: 'a b&c', role: ['admin', 'dev'], n: 3, ok: false } });
    expect(received.contentType).toBe('application/x-www-form-urlencoded');
    expect(received.entries).toEqual([
      { name: 'user', value: 'a b&c' },
      { name: 'role', value: 'admin' },
      { name: 'role', value: 'dev' },
      { name: 'n', value: '3' },
      { name: 'ok', value: 'false' },
    ]);
  });

  it('percent-encodes form names and values as Newman does: space as %20, RFC 3986 unreserved characters kept', async () => {
    // Newman 6 sends this Postman urlencoded body as the same bytes.
    const encoded = await encodeBody({ form: { 'a b': ['1 2', '3'], b: "x+y&z=\u00e9~*'()!-._" } }, { baseDir: dir });
    expect(encoded.body).toBe('a%20b=1%202&a%20b=3&b=x%2By%26z%3D%C3%A9~%2A%27%28%29%21-._');
    const received = await post({ form: { q: "a b+c~*'" } });
    expect(received.entries).toEqual([{ name: 'q', value: "a b+c~*'" }]);
  });

  it('writes an object a variable put in a form or multipart value as JSON, never as [object Object]', async () => {
    // "{{filter}}" holding { a: 1 } renders to the object itself; the query already sent it as JSON.
    const form = await post({ form: { filter: { a: 1 }, ids: [{ id: 1 }, 2] } as never });
    expect(form.entries).toEqual([
      { name: 'filter', value: '{"a":1}' },
      { name: 'ids', value: '{"id":1}' },
      { name: 'ids', value: '2' },
    ]);
    const multipart = await post({
      multipart: [
        { name: 'meta', value: { a: 1 } as never },
        { name: 'tags', value: ['x', 'y'] as never },
      ],
    });
    expect(multipart.entries).toEqual([
      { name: 'meta', value: '{"a":1}' },
      { name: 'tags', value: '["x","y"]' },
    ]);
  });

  it('sends a file as raw bytes with application/octet-stream', async () => {
    const received = await post({ file: 'logo.png' });
    expect(received.contentType).toBe('application/octet-stream');
    expect(received.base64).toBe(png.toString('base64'));
  });

  it('sends a file with the content type it is given', async () => {
    const received = await post({ file: 'logo.png', contentType: 'image/png' });
    expect(received.contentType).toBe('image/png');
    expect(received.base64).toBe(png.toString('base64'));
  });

  it('builds multipart/form-data the server can parse, with filenames and content types per part', async () => {
    const received = await post({
      multipart: [
        { name: 'title', value: 'Quarterly "report"' },
        { name: 'count', value: 42 },
        { name: 'logo', file: 'logo.png' },
        { name: 'notes', file: 'notes.txt', filename: 'renamed.txt', contentType: 'text/markdown' },
      ],
    });
    expect(received.contentType).toMatch(/^multipart\/form-data; boundary=\S+$/);
    expect(received.entries).toEqual([
      { name: 'title', value: 'Quarterly "report"' },
      { name: 'count', value: '42' },
      { name: 'logo', filename: 'logo.png', type: 'image/png', base64: png.toString('base64') },
      { name: 'notes', filename: 'renamed.txt', type: 'text/markdown', base64: Buffer.from('hello\r\nworld').toString('base64') },
    ]);
  });

  it("adds the body's boundary to a multipart contentType written without one, as curl does; keeps one written with it", async () => {
    const received = await post({ multipart: [{ name: 'a', value: '1' }], contentType: 'multipart/form-data' });
    expect(received.contentType).toMatch(/^multipart\/form-data; boundary=-+sortie[0-9a-f]+$/);
    expect(received.entries).toEqual([{ name: 'a', value: '1' }]);
    const related = await encodeBody(
      { multipart: [{ name: 'a', value: '1' }], contentType: 'multipart/related; type="application/json";' },
      { baseDir: dir },
    );
    expect(related.contentType).toMatch(/^multipart\/related; type="application\/json"; boundary=-+sortie[0-9a-f]+$/);
    expect(Buffer.from(related.body as Uint8Array).toString()).toContain(`--${related.contentType?.split('boundary=')[1]}\r\n`);
    const own = await encodeBody(
      { multipart: [{ name: 'a', value: '1' }], contentType: 'multipart/form-data; boundary=mine' },
      { baseDir: dir },
    );
    expect(own.contentType).toBe('multipart/form-data; boundary=mine');
    const text = await encodeBody({ text: 'x', contentType: 'multipart/form-data' }, { baseDir: dir });
    expect(text.contentType).toBe('multipart/form-data');
  });

  it('returns bytes and the boundary in the content type for multipart', async () => {
    const encoded = await encodeBody({ multipart: [{ name: 'a', value: '1' }] }, { baseDir: dir });
    const boundary = encoded.contentType?.split('boundary=')[1];
    expect(encoded.body).toBeInstanceOf(Uint8Array);
    expect(Buffer.from(encoded.body as Uint8Array).toString()).toBe(
      `--${boundary}\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--${boundary}--\r\n`,
    );
  });

  it('sends the bytes a run plan carries for a body file, by absolute path, before looking on disk', async () => {
    const carried = new Map([[join(dir, 'elsewhere', 'upload.txt'), new TextEncoder().encode('carried bytes')]]);
    const raw = await encodeBody({ file: 'elsewhere/upload.txt' }, { baseDir: dir, files: carried });
    expect(Buffer.from(raw.body as Uint8Array).toString()).toBe('carried bytes');
    const parts = await encodeBody({ multipart: [{ name: 'f', file: 'elsewhere/upload.txt' }] }, { baseDir: dir, files: carried });
    expect(Buffer.from(parts.body as Uint8Array).toString()).toContain('carried bytes');
    // A file the plan does not carry is still read from disk.
    const disk = await encodeBody({ file: 'logo.png' }, { baseDir: dir, files: carried });
    expect((disk.body as Uint8Array).length).toBeGreaterThan(0);
  });

  it('fails with FILE_NOT_FOUND naming the path of a missing body file', async () => {
    const error = await encodeBody({ file: 'missing.bin' }, { baseDir: dir }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SortieError);
    expect((error as SortieError).code).toBe(ErrorCode.FILE_NOT_FOUND);
    expect((error as SortieError).message).toContain('missing.bin');
  });

  it("refuses a multipart part's content type with a line break instead of sending the header it would add", async () => {
    const error = await encodeBody(
      { multipart: [{ name: 'x', value: 'v', contentType: 'text/plain\r\nX-Injected: 1' }] },
      { baseDir: dir },
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SortieError);
    expect((error as SortieError).code).toBe(ErrorCode.INVALID_INPUT);
    expect((error as SortieError).message).toBe('invalid Content-Type of multipart part "x": it holds a line break');
  });

  it('fails with FILE_NOT_FOUND for a missing multipart file', async () => {
    const error = await encodeBody({ multipart: [{ name: 'f', file: 'nope/absent.pdf' }] }, { baseDir: dir }).catch((e: unknown) => e);
    expect((error as SortieError).code).toBe(ErrorCode.FILE_NOT_FOUND);
    expect((error as SortieError).message).toContain('nope/absent.pdf');
  });
});
