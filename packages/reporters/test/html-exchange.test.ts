/**
 * A step's request and response in the HTML report: start line and headers as one `<pre>` in HTTP's
 * own form, the timings on one line, a short body under its label and a long one folded.
 */
import { Redactor, type ResponseRecord } from '@sortie/core';
import { describe, expect, it } from 'vitest';
import { HtmlText } from '../src/html/escape-html.js';
import { BODY_FOLD_ABOVE } from '../src/html/render-body.js';
import { renderResponse } from '../src/html/render-exchange.js';

function response(headers: ResponseRecord['headers'], body: string): ResponseRecord {
  return {
    status: 200,
    statusText: 'OK',
    httpVersion: '1.1',
    headers,
    body: { text: body, size: body.length, truncated: false },
    bodySize: body.length,
    timings: { firstByte: 12.5, download: 0.5, total: 20 },
  };
}

describe('renderResponse', () => {
  it('writes the status line and headers one a line; a line break inside a value cannot make a header line of its own', () => {
    const html = renderResponse(
      response(
        [
          ['x-note', 'a\r\nset-cookie: forged\u2028b'],
          ['content-type', 'text/plain'],
        ],
        'hi',
      ),
      new HtmlText(undefined),
    );
    expect(html).toContain('<pre class="head">HTTP/1.1 200 OK\nx-note: a\\r\\nset-cookie: forged\\u2028b\ncontent-type: text/plain</pre>');
    expect(html).toContain('<p class="timings">Timings: First byte 13 ms · Download 0.50 ms · Total 20 ms</p>');
    expect(html).toContain('<p class="body-label">Response body (2 bytes)</p><pre>hi</pre>');
  });

  it('keeps quotes as they are in a body, escapes markup, and still hides a secret holding a quote', () => {
    const redactor = new Redactor();
    redactor.add('pa"ss');
    const html = renderResponse(response([], '{"a":"</pre><script>","pw":"pa\\"ss"} raw: pa"ss'), new HtmlText(redactor));
    expect(html).toContain('{"a":"&lt;/pre&gt;&lt;script&gt;"');
    expect(html).not.toMatch(/pa(&quot;|"|\\")ss/);
  });

  it('folds a body longer than BODY_FOLD_ABOVE into a closed <details> of its own', () => {
    const long = 'x'.repeat(BODY_FOLD_ABOVE + 1);
    const html = renderResponse(response([], long), new HtmlText(undefined));
    expect(html).toContain(`<details class="body"><summary>Response body (${long.length} bytes)</summary><pre>x`);
  });
});
