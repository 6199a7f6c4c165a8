/**
 * Request bodies through the engine, against a real server that parses what it gets.
 *
 * A `json` body written as exactly one `{{…}}` is the variable's value with its type, as a member of one is.
 *
 * A multipart body with a `Content-Type: multipart/form-data` header written in the scenario (a habit from
 * other clients, and in many converted collections): the header is kept and gets the body's boundary, as curl
 * adds it, so a real server finds the parts (RFC 2046 §5.1.1: the boundary parameter is required).
 */
import { createServer, type Server } from 'node:http';
import { Redactor, ScenarioSchema } from '@sortie/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runScenarios } from '../src/index.js';

let server: Server;
let url: string;
const received: Array<{ contentType: string; text: string; fields?: Array<[string, string]> | string }> = [];

beforeAll(async () => {
  // Parses the body as the platform's Request does: a multipart type without a boundary cannot be parsed.
  server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', async () => {
      const contentType = request.headers['content-type'] ?? '';
      const text = Buffer.concat(chunks).toString('utf8');
      if (!contentType.startsWith('multipart/')) {
        received.push({ contentType, text });
        response.writeHead(200).end();
        return;
      }
      try {
        const form = await new Request('http://test/', {
          method: 'POST',
          headers: { 'content-type': contentType },
          body: Buffer.concat(chunks),
        }).formData();
        received.push({ contentType, text, fields: [...form].map(([name, value]) => [name, String(value)]) });
        response.writeHead(200).end();
      } catch (error) {
        received.push({ contentType, text, fields: (error as Error).message });
        response.writeHead(400).end();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as { port: number }).port}/upload`;
});
afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('a Content-Type header on a multipart body', () => {
  it('gets the boundary of the body when written without one', async () => {
    const value = ScenarioSchema.parse({
      name: 'multipart header',
      steps: [
        {
          name: 'upload',
          request: {
            method: 'POST',
            url,
            headers: { 'Content-Type': 'multipart/form-data' },
            body: { multipart: [{ name: 'title', value: 'Q3' }] },
          },
          post: [{ assert: { status: { equals: 200 } } }],
        },
      ],
    });
    const result = await runScenarios({
      scenarios: [{ value, file: 'upload.json', dir: process.cwd() }],
      redactor: new Redactor(),
      onEvent: () => undefined,
    });
    expect(received.at(-1)?.fields).toEqual([['title', 'Q3']]);
    expect(received.at(-1)?.contentType).toMatch(/^multipart\/form-data; boundary=-+sortie[0-9a-f]+$/);
    expect(result.status).toBe('passed');
  });
});

describe('a json body that is one template', () => {
  it('sends the value of an object variable as that object, not as a JSON string holding its text', async () => {
    const value = ScenarioSchema.parse({
      name: 'json body',
      variables: { payload: { name: 'Q3', tags: ['a'] } },
      steps: [{ name: 'create', request: { method: 'POST', url, body: { json: '{{payload}}' } } }],
    });
    const result = await runScenarios({
      scenarios: [{ value, file: 'json.json', dir: process.cwd() }],
      redactor: new Redactor(),
      onEvent: () => undefined,
    });
    expect(result.status).toBe('passed');
    expect(received.at(-1)).toEqual({ contentType: 'application/json', text: '{"name":"Q3","tags":["a"]}' });
  });
});
