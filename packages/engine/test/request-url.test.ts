import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { startFlowServer } from './support/flow-server.js';
import { runFlow } from './support/run-flow.js';

describe('a request step URL', () => {
  it('is refused with the shared http(s) check, and the error carries no userinfo', async () => {
    const run = await runFlow({ name: 'scheme', steps: [{ name: 'ftp', request: { url: 'ftp://alice:s3cret@files.test/x' } }] });
    expect(run.steps[0]).toMatchObject({
      status: 'error',
      error: {
        code: 'SORTIE_INVALID_INPUT',
        title: 'Unsupported URL scheme',
        message: '"ftp:" is not supported; use http or https (ftp://alice:[REDACTED]@files.test/x)',
      },
    });
    expect(JSON.stringify(run.events)).not.toContain('s3cret');
  });

  it('is refused when it does not parse, without userinfo', async () => {
    const run = await runFlow({ name: 'invalid', steps: [{ name: 'bad', request: { url: 'http://alice:s3cret@exa mple.test/' } }] });
    expect(run.steps[0]).toMatchObject({
      status: 'error',
      error: { code: 'SORTIE_INVALID_INPUT', title: 'Invalid URL', message: '"http://alice:[REDACTED]@exa mple.test/" is not a valid URL' },
    });
    expect(JSON.stringify(run.events)).not.toContain('s3cret');
  });

  it('sends its userinfo as Basic credentials, and the password is redacted wherever the server echoes it', async () => {
    const server = await startFlowServer();
    try {
      const url = server.url.replace('http://', 'http://alice:s3cret-pw@');
      const run = await runFlow({ name: 'userinfo', steps: [{ name: 'echo', request: { url: `${url}/headers` } }] });
      expect(run.steps[0]?.status).toBe('passed');
      const echoed = JSON.parse(run.steps[0]?.response?.body?.text ?? '{}') as Record<string, string>;
      expect(echoed.authorization).toMatch(/^Basic .*\[REDACTED\]/);
      const text = JSON.stringify(run.events);
      expect(text).not.toContain('s3cret-pw');
      expect(text).not.toContain(Buffer.from('alice:s3cret-pw').toString('base64'));
    } finally {
      await server.close();
    }
  });

  it('is refused when a variable puts "/", "?" or "#" into its user or password: the value\'s head went to DNS as the host and was named in the error', async () => {
    const server = await startFlowServer();
    try {
      const host = server.url.slice('http://'.length);
      const steps = [
        { name: 'token', request: { url: `http://{{TOKEN}}@${host}/headers` } },
        { name: 'password', request: { url: `http://admin:{{TOKEN}}@{{host}}/headers` } },
      ];
      for (const token of ['Hunter2/tail-of-it', 'Hunter2?tail-of-it', 'Hunter2#tail-of-it']) {
        const run = await runFlow({ name: 'userinfo', variables: { TOKEN: token, host }, options: { onError: 'continue' }, steps });
        // "admin:Hunter2/…" does not parse (port "Hunter2"): refused as before, the URL shown without its password.
        expect(
          run.steps.map((step) => [step.status, step.error?.title]),
          token,
        ).toEqual([
          ['error', 'Invalid URL'],
          ['error', 'Invalid URL'],
        ]);
        expect(run.steps[0]?.error?.message).toBe(
          'the user or password in the URL holds a character a URL reserves ("/", "?", "#" or "@"): the request would go to another host than the one after the "@"',
        );
        expect(run.steps.every((step) => step.request === undefined && step.response === undefined)).toBe(true);
        // No part of the value in either error, also where the URL does not parse (its userinfo runs to the last "@").
        expect(JSON.stringify(run.events)).not.toMatch(/hunter2|tail-of-it/i);
        expect(run.steps[1]?.error?.message).toMatch(/^"http:\/\/admin:\[REDACTED\]@127\.0\.0\.1:\d+\/headers" is not a valid URL$/);
      }
      // Percent-encoded, or an "@" (the URL parser takes the last one), the request goes where it is written.
      for (const token of ['Hunter2%2Ftail-of-it', 'Hunter2@tail-of-it']) {
        const run = await runFlow({ name: 'userinfo', variables: { TOKEN: token, host }, steps });
        expect(
          run.steps.map((step) => step.status),
          token,
        ).toEqual(['passed', 'passed']);
      }
    } finally {
      await server.close();
    }
  });

  it("takes a lone user name as a token: redacted where a server echoes it decoded, as httpbin's /basic-auth does", async () => {
    // Decodes the Basic credentials and answers the user, as httpbin's /basic-auth/{user}/{passwd} does.
    const server = createServer((req, res) => {
      const [scheme, encoded] = (req.headers.authorization ?? '').split(' ');
      const user =
        scheme === 'Basic'
          ? Buffer.from(encoded ?? '', 'base64')
              .toString()
              .split(':')[0]
          : undefined;
      res.writeHead(user === undefined ? 401 : 200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ authenticated: user !== undefined, user }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const run = await runFlow({
        name: 'token user',
        steps: [{ name: 'whoami', request: { url: `http://ghp_Tok3nLikeUser99@127.0.0.1:${port}/basic-auth` } }],
      });
      expect(run.steps[0]?.status).toBe('passed');
      expect(JSON.parse(run.steps[0]?.response?.body?.text ?? '{}')).toEqual({ authenticated: true, user: '[REDACTED]' });
      expect(JSON.stringify(run.events)).not.toContain('Tok3nLikeUser99');
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('keeps a backslash in the path as a backslash (%5C), as curl sends it, not a slash (WHATWG for browsers)', async () => {
    const server = await startFlowServer();
    try {
      const run = await runFlow({
        name: 'backslash',
        steps: [{ name: 'path', request: { url: `${server.url}/files/a\\b/c?q=x\\y` } }],
      });
      expect(run.steps[0]?.request?.url).toBe(`${server.url}/files/a%5Cb/c?q=x\\y`);
      expect(server.requests).toEqual(['GET /files/a%5Cb/c?q=x\\y']);
    } finally {
      await server.close();
    }
  });
  it('keeps a newline, a tab and a trailing space that a variable puts in the path or query, percent-encoded as postman-runtime sends them', async () => {
    const server = await startFlowServer();
    try {
      const run = await runFlow({
        name: 'whitespace',
        variables: { note: 'line1\nline2\tend ' },
        steps: [{ name: 'note', request: { url: `${server.url}/notes/{{note}}?note={{note}}` } }],
      });
      // The URL parser alone deletes tab and newline and strips the trailing space: /notes/line1line2end?note=line1line2end
      expect(run.steps[0]?.request?.url).toBe(`${server.url}/notes/line1%0Aline2%09end%20?note=line1%0Aline2%09end%20`);
      expect(server.requests).toEqual(['GET /notes/line1%0Aline2%09end%20?note=line1%0Aline2%09end%20']);
    } finally {
      await server.close();
    }
  });

  it('pm.sendRequest sends a newline in its URL percent-encoded too, not deleted', async () => {
    const server = await startFlowServer();
    try {
      const script = `await pm.sendRequest('${server.url}/echo?note=' + 'line1\\nline2 ');`;
      const run = await runFlow({ name: 'send', steps: [{ name: 'send', script }] });
      expect(run.steps[0]?.status).toBe('passed');
      expect(server.requests).toEqual(['GET /echo?note=line1%0Aline2%20']);
    } finally {
      await server.close();
    }
  });

  it('still drops the whitespace written around the URL itself (a YAML block scalar ends with a newline)', async () => {
    const server = await startFlowServer();
    try {
      const run = await runFlow({ name: 'block', steps: [{ name: 'block', request: { url: ` ${server.url}/echo?q=1\n` } }] });
      expect(server.requests).toEqual(['GET /echo?q=1']);
      expect(run.steps[0]?.status).toBe('passed');
    } finally {
      await server.close();
    }
  });
});
