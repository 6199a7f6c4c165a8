/**
 * Chromium's "Copy as cURL (cmd)" is read as cmd.exe reads it: it was refused with 'command should
 * begin with "curl" but instead begins with "-H"' (read as Bash, its ` ^` line ends are not line
 * continuations). And a `-d` text that is not name=value pairs (`-d '{"a":1}'`) is sent as written,
 * not as a form field named after it.
 */
import { describe, expect, it } from 'vitest';
import { importCurl, serializeImport } from '../src/index.js';

/** Chromium's escaping for cmd.exe (front_end/panels/network/NetworkLogView.ts, escapeStringWin). */
function escapeStringWin(str: string): string {
  const encapsChars = '^"';
  return (
    encapsChars +
    str
      .replace(/\\/g, '\\\\')
      .replace(/"/g, '\\"')
      .replace(/[^a-zA-Z0-9\s_\-:=+~'/.',?;()*`]/g, '^$&')
      .replace(/%(?=[a-zA-Z0-9_])/g, '%^')
      .replace(/\r?\n/g, '^\n\n') +
    encapsChars
  );
}

const BODY = '{"note":"50% off & \\"more\\"","path":"C:\\\\temp","lines":"a\\nb","password":"cmd-s3cret"}';

function chromiumCmd(): string {
  return [
    'curl',
    escapeStringWin('https://api.example.com/v1/items?q=a&b=%41'),
    '-H',
    escapeStringWin('accept: application/json'),
    '-H',
    escapeStringWin('authorization: Bearer cmd-t0ken'),
    '-H',
    escapeStringWin('content-type: application/json'),
    '--data-raw',
    escapeStringWin(BODY),
    '--compressed',
  ].join(' ^\n  ');
}

type Request = { method?: string; service?: string; url: string; query?: unknown; headers?: unknown; body?: unknown; auth?: unknown };
const requestOf = (result: Awaited<ReturnType<typeof importCurl>>): Request | undefined =>
  (result.files.find((file) => file.kind === 'scenario')?.value as { steps: Array<{ request: Request }> } | undefined)?.steps[0]?.request;

describe('sortie import curl: a command copied for Windows cmd.exe', () => {
  it('reads Chromium\'s "Copy as cURL (cmd)" as the same request as its Bash form', async () => {
    const result = await importCurl(chromiumCmd());
    const request = requestOf(result);
    expect(request?.url).toBe('/v1/items');
    expect(request?.query).toEqual({ q: 'a', b: 'A' });
    expect(request?.headers).toEqual({ accept: 'application/json' });
    expect(request?.auth).toBe('bearer');
    expect(request?.body).toEqual({
      json: { note: '50% off & "more"', path: 'C:\\temp', lines: 'a\nb', password: '{{PASSWORD}}' },
    });
    // A line break inside an argument: ^ and two line breaks.
    const text = requestOf(
      await importCurl(
        [
          'curl',
          escapeStringWin('https://api.example.com/notes'),
          '-H',
          escapeStringWin('content-type: text/plain'),
          '--data-raw',
          escapeStringWin('line 1\r\nline 2!'),
        ].join(' ^\n  '),
      ),
    );
    expect(text?.body).toEqual({ text: 'line 1\nline 2!', contentType: 'text/plain' });
    const written = JSON.stringify(serializeImport(result, 'yaml'));
    expect(written).not.toContain('cmd-t0ken');
    expect(written).not.toContain('cmd-s3cret');
  });

  it('an unclosed ^" quote is an error that does not repeat the command', async () => {
    const error = await importCurl('curl ^"https://api.example.com/x ^\n  -H ^"authorization: Bearer cmd-t0ken^"').catch((e: Error) => e);
    expect((error as Error).message).toContain('cmd.exe');
    expect((error as Error).message).not.toContain('cmd-t0ken');
  });
});

describe('sortie import curl: Windows curl.exe', () => {
  it('a PowerShell command (curl.exe, ` line ends) and a cmd.exe one naming curl.exe are read as curl', async () => {
    const powershell =
      "curl.exe 'https://api.example.com/v1/items?q=a' `\n  -X POST `\n  -H 'Content-Type: application/json' `\n  -d '{\"a\":1}'";
    expect(requestOf(await importCurl(powershell))).toEqual({
      method: 'POST',
      service: 'api',
      url: '/v1/items',
      query: { q: 'a' },
      body: { json: { a: 1 } },
    });
    const cmd = `curl.exe ${escapeStringWin('https://api.example.com/v1/items')} ^\n  -H ${escapeStringWin('accept: */*')}`;
    expect(requestOf(await importCurl(cmd))).toEqual({ method: 'GET', service: 'api', url: '/v1/items', headers: { accept: '*/*' } });
  });
});

describe('sortie import curl: -d text that is not a form', () => {
  it('-d \'{"a":1}\' without a content type is sent as written, with the form type curl gives it', async () => {
    const request = requestOf(await importCurl('curl https://api.example.com/x -d \'{"a":1,"token":"t-123"}\''));
    expect(request?.body).toEqual({ json: { a: 1, token: '{{TOKEN}}' }, contentType: 'application/x-www-form-urlencoded' });
  });

  it('-d "a b" (not name=value pairs) is text', async () => {
    const request = requestOf(await importCurl("curl https://api.example.com/x -d 'hello world'"));
    expect(request?.body).toEqual({ text: 'hello world', contentType: 'application/x-www-form-urlencoded' });
  });
});
