import type { Body, HeaderList } from '@sortie/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiServer, startApiServer } from '../../../fixtures/src/http-extras/index.js';
import { createHttpClient, encodeBody } from '../src/index.js';
import { parseJson, prepareRequest } from './test-server.js';

describe('GraphQL and SOAP bodies sent to a server that parses them', () => {
  let api: ApiServer;
  const client = createHttpClient({ proxy: false });

  beforeAll(async () => {
    api = await startApiServer();
  });

  afterAll(async () => {
    await client.close();
    await api.close();
  });

  async function post(path: string, body: Body) {
    const encoded = await encodeBody(body, { baseDir: '.' });
    const headers: HeaderList = encoded.contentType === undefined ? [] : [['content-type', encoded.contentType]];
    const response = await client.send(prepareRequest(`${api.url}${path}`, { method: 'POST', headers, body: encoded.body }));
    return { status: response.status, json: parseJson(response.body) as Record<string, unknown>, encoded };
  }

  it('sends query, variables and operationName as a GraphQL JSON request', async () => {
    const query = 'query Hero($id: ID!) { hero(id: $id) { name } } query Other { x }';
    const { status, json, encoded } = await post('/graphql', {
      graphql: { query, variables: { id: '42', filter: { active: true } }, operationName: 'Hero' },
    });
    expect(encoded.contentType).toBe('application/json');
    expect(status).toBe(200);
    expect(json).toEqual({ data: { received: { query, variables: { id: '42', filter: { active: true } }, operationName: 'Hero' } } });
  });

  it('leaves out variables and operationName when not given', async () => {
    const encoded = await encodeBody({ graphql: { query: '{ me { id } }' } }, { baseDir: '.' });
    expect(encoded.body).toBe('{"query":"{ me { id } }"}');
    const { status } = await post('/graphql', { graphql: { query: '{ me { id } }' } });
    expect(status).toBe(200);
  });

  it('lets contentType override the GraphQL content type', async () => {
    const encoded = await encodeBody({ graphql: { query: '{ a }' }, contentType: 'application/graphql-response+json' }, { baseDir: '.' });
    expect(encoded.contentType).toBe('application/graphql-response+json');
  });

  it('sends a SOAP 1.2 envelope and its action content type unchanged', async () => {
    const envelope =
      '<?xml version="1.0" encoding="utf-8"?>\n' +
      '<soap:Envelope xmlns:soap="http://www.w3.org/2003/05/soap-envelope" xmlns:m="urn:orders">' +
      '<soap:Body><m:GetOrder><m:Id>7 &amp; 8 — ü</m:Id></m:GetOrder></soap:Body></soap:Envelope>';
    const contentType = 'application/soap+xml; charset=utf-8; action="urn:x"';
    const { json } = await post('/soap', { xml: envelope, contentType });
    expect(json).toEqual({ contentType, body: envelope });
  });
});
