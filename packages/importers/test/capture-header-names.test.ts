/**
 * A captured header whose name is not a token (`curl -H 'Bad Header: v'`, which curl sends as written) made a
 * scenario the loader refuses (and the run's client cannot send): the import failed. It is left out, with a
 * note that does not show its value.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importCurl, importHar, serializeImport } from '../src/index.js';

const NOTE = `GET /x: the header "Bad Header" is left out: a header name can only have letters, digits and !#$%&'*+-.^_\`|~ (RFC 9110 §5.1)`;

describe('captured headers whose name is not a token', () => {
  it('leaves them out of a curl import with a note, keeping the other headers', async () => {
    const result = await importCurl("curl -H 'Bad Header: s3cr3t-value' -H 'X-Ok: 1' http://h.example/x");
    expect(result.notes).toContain(NOTE);
    expect(result.notes.join('\n')).not.toContain('s3cr3t-value');
    const files = serializeImport(result, 'yaml')
      .map((file) => file.text)
      .join('\n');
    expect(files).not.toContain('Bad Header');
    expect(files).toContain('X-Ok: "1"');
  });

  it('leaves them out of a HAR import the same way', async () => {
    const har = {
      log: {
        entries: [
          {
            request: {
              method: 'GET',
              url: 'http://h.example/x',
              headers: [
                { name: 'Bad Header', value: 'v' },
                { name: 'X-Ok', value: '1' },
              ],
            },
          },
        ],
      },
    };
    const dir = mkdtempSync(join(tmpdir(), 'sortie-har-names-'));
    try {
      writeFileSync(join(dir, 'capture.har'), JSON.stringify(har));
      const result = await importHar('capture.har', { cwd: dir });
      expect(result.notes).toContain(NOTE);
      expect(
        serializeImport(result, 'yaml')
          .map((file) => file.text)
          .join('\n'),
      ).not.toContain('Bad Header');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
