/**
 * curlconverter's warnings that show a line of the command with a row of carets under a part ("globs in the
 * URL are not supported:") were printed as three lines in the notes list, the command's line and the carets
 * each a line of their own, and the same warning twice. Each note is now one line naming the part.
 *
 * `curl -sS …`, the way most API docs write a command, gave "-s is not a supported option" and "-S is
 * not a supported option", as if something of the request were lost: options that change only what
 * curl prints now give no note. `--http2` was named as unsupported: it is the step's `http2: true`.
 * `--cacert` and `-E`/`--key` were unsupported options: the notes now say where Sortie takes them,
 * naming the files and never `-E`'s passphrase.
 */
import { describe, expect, it } from 'vitest';
import { importCurl } from '../src/index.js';

describe('importCurl: curlconverter warnings as notes', () => {
  it('gives each warning on one line, naming the part the carets marked, once', async () => {
    const { notes } = await importCurl("curl 'https://api.example.com/items?ids={1,2}&page=[1-3]'");
    for (const note of notes) expect(note).not.toContain('\n');
    expect(notes).toContain('curl: globs in the URL are not supported: "{1,2}"');
    expect(notes).toContain('curl: globs in the URL are not supported: "[1-3]"');
    expect(new Set(notes).size).toBe(notes.length);
  });
});

describe('importCurl: the options of curl output and of TLS', () => {
  it('gives no note for options that change only what curl prints', async () => {
    const { notes } = await importCurl(
      "curl -sS -v -# --no-progress-meter -N --trace-ascii t.txt --stderr e.txt 'https://api.example.com/items'",
    );
    expect(notes).toEqual([]);
  });

  it("makes --http2 the step's http2: true", async () => {
    const { files, notes } = await importCurl("curl --http2 'https://api.example.com/items'");
    const scenario = files.find((file) => file.kind === 'scenario')?.value as { steps: Array<{ request: Record<string, unknown> }> };
    expect(scenario.steps[0]?.request.http2).toBe(true);
    expect(notes).toEqual([]);
  });

  it("says where --cacert and -E --key go, without -E's passphrase", async () => {
    const { files, notes } = await importCurl(
      "curl --cacert ca.pem -E 'client.pem:s3cret-pass' --key client-key.pem https://api.example.com/a",
    );
    expect(notes).toEqual([
      "curl: --cacert ca.pem is not part of the scenario: trust it with `sortie run --ca ca.pem` or the environment's `http.ca` (docs/http.md, TLS)",
      "curl: -E client.pem --key client-key.pem is not part of the scenario: set it as the environment's `http.clientCertificates` ({ host, cert, key }) (docs/http.md, Environment HTTP settings)",
    ]);
    expect(JSON.stringify({ files, notes })).not.toContain('s3cret-pass');
  });
});
