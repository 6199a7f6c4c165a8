/**
 * Bodies of captured requests as they were sent: curl's -F is multipart/form-data (not a
 * urlencoded form), `--data-binary @file` sends the file (not the text "@file"), a HAR's multipart
 * body is its parts with a password field a secret (it was written in clear), a base64 body is
 * decoded (not sent as its base64 text).
 */
import { join } from 'node:path';
import { ROOT } from '@sortie/testkit';
import { describe, expect, it } from 'vitest';
import { importCurl, importHar, serializeImport } from '../src/index.js';

type Step = { request: { body?: unknown } };
const stepsOf = (result: Awaited<ReturnType<typeof importCurl>>): Step[] =>
  (result.files.find((file) => file.kind === 'scenario')?.value as { steps: Step[] } | undefined)?.steps ?? [];

describe('sortie import curl: bodies', () => {
  it('-F fields and files are multipart parts, the files named from the scenario folder', async () => {
    const result = await importCurl("curl https://h.example/up -F name=foo -F 'photo=@img/cat.png' -F password=hunter2", {
      cwd: '/home/me/work',
      outDir: '/home/me/work/tests',
    });
    expect(stepsOf(result)[0]?.request.body).toEqual({
      multipart: [
        { name: 'name', value: 'foo' },
        { name: 'photo', file: '../../img/cat.png' },
        { name: 'password', value: '{{PASSWORD}}' },
      ],
    });
    expect(JSON.stringify(serializeImport(result, 'json'))).not.toContain('hunter2');
  });

  it('-F parts keep the order of the command and their ;type= and ;filename=', async () => {
    const result = await importCurl(
      "curl https://h.example/up -F 'doc=@scans/a.pdf;type=application/pdf;filename=report.pdf' -F 'meta={\"a\":1};type=application/json' -F 'photo=@cat.png' -F title=x",
      { cwd: '/w', outDir: '/w/out' },
    );
    expect(stepsOf(result)[0]?.request.body).toEqual({
      multipart: [
        { name: 'doc', file: '../../scans/a.pdf', filename: 'report.pdf', contentType: 'application/pdf' },
        { name: 'meta', value: '{"a":1}', contentType: 'application/json' },
        { name: 'photo', file: '../../cat.png' },
        { name: 'title', value: 'x' },
      ],
    });
    expect(result.notes).toEqual(['curl: -F file parts name the files as the scenario reaches them']);
  });

  it('-k is named in the notes (sortie run --insecure)', async () => {
    for (const command of ['curl -k https://h.example/a', 'curl --insecure -L https://h.example/a']) {
      const result = await importCurl(command);
      expect(result.notes).toEqual(['curl: -k (no TLS verification) becomes `sortie run --insecure`, not part of the scenario']);
    }
  });

  it('--data-binary @file sends the file', async () => {
    const result = await importCurl(
      "curl https://h.example/s -X PUT --data-binary @/tmp/body.bin -H 'Content-Type: application/octet-stream'",
      {
        cwd: '/tmp',
        outDir: '/tmp/out',
      },
    );
    expect(stepsOf(result)[0]?.request.body).toEqual({ file: '../../body.bin', contentType: 'application/octet-stream' });
  });
});

describe('sortie import har: bodies', () => {
  it('a multipart body is its parts, a password field a secret; a base64 body is decoded or named in the notes', async () => {
    const result = await importHar(join(ROOT, 'fixtures', 'import-cases', 'multipart-and-binary.har'), { cwd: ROOT });
    const steps = stepsOf(result);
    expect(steps[0]?.request.body).toEqual({
      multipart: [
        { name: 'user', value: 'ann' },
        { name: 'password', value: '{{PASSWORD}}' },
        { name: 'avatar', value: 'hello file', filename: 'a.txt', contentType: 'text/plain' },
      ],
    });
    expect(steps[1]?.request.body).toBeUndefined();
    expect(result.notes).toContain(
      'entry 2 (PUT /upload) has a binary body of 4 bytes: the step sends none; save it to a file and set body.file',
    );
    expect(steps[3]?.request.body).toEqual({ text: 'héllo', contentType: 'text/plain' });
    const written = JSON.stringify(serializeImport(result, 'yaml'));
    for (const secret of ['MULTIPART-S3CRET', 'JSESS-VAL', 'CSRFVAL', 'PT-VAL']) expect(written).not.toContain(secret);
  });
});
