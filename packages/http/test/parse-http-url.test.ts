import { ErrorCode, type SortieError } from '@sortie/core';
import { afterAll, describe, expect, it } from 'vitest';
import { createHttpClient, parseHttpUrl } from '../src/index.js';
import { prepareRequest } from './test-server.js';

function thrown(action: () => unknown): SortieError {
  try {
    action();
  } catch (error) {
    return error as SortieError;
  }
  throw new Error('expected a throw');
}

async function rejected(promise: Promise<unknown>): Promise<SortieError> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: SortieError) => error,
  );
}

describe('parseHttpUrl', () => {
  it('returns the parsed URL for http and https', () => {
    expect(parseHttpUrl('http://example.test/a b').href).toBe('http://example.test/a%20b');
    expect(parseHttpUrl('https://example.test:8443/').origin).toBe('https://example.test:8443');
  });

  it('refuses another scheme with one title and text, without userinfo', () => {
    const error = thrown(() => parseHttpUrl('ftp://alice:s3cret@files.test/x'));
    expect(error.code).toBe(ErrorCode.INVALID_INPUT);
    expect(error.title).toBe('Unsupported URL scheme');
    expect(error.message).toBe('"ftp:" is not supported; use http or https (ftp://alice:[REDACTED]@files.test/x)');
    expect(JSON.stringify(error)).not.toContain('s3cret');
  });

  it('refuses text that is not a URL, without userinfo', () => {
    const error = thrown(() => parseHttpUrl('http://alice:s3cret@exa mple.test/'));
    expect(error.code).toBe(ErrorCode.INVALID_INPUT);
    expect(error.title).toBe('Invalid URL');
    expect(error.message).toBe('"http://alice:[REDACTED]@exa mple.test/" is not a valid URL');
    expect(error.message).not.toContain('s3cret');
  });
});

describe('the client and the dedicated connection use the same check', () => {
  const client = createHttpClient();
  afterAll(() => client.close());

  it('client.send refuses ftp: with the shared error', async () => {
    const error = await rejected(client.send(prepareRequest('ftp://bob:hunter2@files.test/')));
    expect({ code: error.code, title: error.title, message: error.message }).toEqual({
      code: ErrorCode.INVALID_INPUT,
      title: 'Unsupported URL scheme',
      message: '"ftp:" is not supported; use http or https (ftp://bob:[REDACTED]@files.test/)',
    });
  });

  it('a dedicated connection refuses an origin that is not http(s)', () => {
    const error = thrown(() => client.sendOnDedicatedConnection('ws://bob:hunter2@socket.test/'));
    expect({ code: error.code, title: error.title, message: error.message }).toEqual({
      code: ErrorCode.INVALID_INPUT,
      title: 'Unsupported URL scheme',
      message: '"ws:" is not supported; use http or https (ws://bob:[REDACTED]@socket.test/)',
    });
  });
});
