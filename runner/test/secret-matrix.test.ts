/**
 * The secret-encoding matrix: secrets made of letters plus one awkward character each (space, quote,
 * backslash, `@`, `%`, `+`, `/`, `&`, `=`, non-ASCII) and one with all of them, each placed in a
 * header, a query, a URL path and a URL query string, a form, a JSON body and a multipart body sent to
 * the fixture API's echo route (which answers the request back inside a JSON string, as httpbin does),
 * in a failed assertion's message, a script's `console.log` (also upper-, lower-, title- and swap-cased, in hex, every
 * byte percent-encoded, every character an HTML reference, escape()'d), a thrown error, a failed
 * `pm.test`, variables exported at the end, split across lines (also base64 wrapped as MIME wraps
 * it), and a URL's host (punycode in the DNS error). Two real
 * `sortie run` processes (the default output and `--verbose`, with every report and both exports)
 * must show none of them in any form a value takes on its way out.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { domainToASCII } from 'node:url';
import { type FixtureServer, startFixtureServer } from '@sortie/fixtures';
import { ensureBuilt, runSortie } from '@sortie/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/** Letters plus the awkward characters, one secret per character and one with all of them. */
const SECRETS: Record<string, string> = {
  S_SPACE: 'Pw correct horse',
  S_QUOTE: 'Pw"quoted"val',
  S_BACKSLASH: 'Pw\\back\\slash',
  S_AT: 'Pw@at@sign',
  S_PERCENT: 'Pw%zz%pct',
  S_PLUS: 'Pw+plus+sign',
  S_SLASH: 'Pw/slash/path',
  S_AMP: 'Pw&amp&and',
  S_EQUALS: 'Pw=equals=x',
  S_UNICODE: 'Pwé€ßüñ😀x',
  S_ALL: 'P@ss w"o\\r%d+/&=é😀',
  // A PIN: the echo answers it as a JSON number, which an assertion's actual value keeps as a number.
  S_DIGITS: '987654321',
};

/** One scenario per secret, every placement of it. */
function scenarioFor(name: string): unknown {
  const ref = `{{${name}}}`;
  const echoChecks = [
    { assert: { status: { equals: 200 } } },
    // Fails: its message shows the echoed body, which holds the secret.
    { assert: { jsonpath: { path: '$', equals: 'something else' } } },
    {
      script: [
        `const s = pm.variables.get('${name}');`,
        'console.log("secret:", s, "json:", JSON.stringify(s), "twice:", JSON.stringify(JSON.stringify(s)));',
        'console.log("uri:", encodeURIComponent(s), "b64:", btoa(unescape(encodeURIComponent(s))));',
        'console.log("uri twice:", encodeURIComponent(encodeURIComponent(s)), "in a query:", "next=" + encodeURIComponent("/cb?t=" + encodeURIComponent(s)));',
        'console.log("b64 after a prefix:", btoa(unescape(encodeURIComponent("user:" + s))));',
        'const hex = Array.from(new TextEncoder().encode(s), (b) => b.toString(16).padStart(2, "0")).join("");',
        'console.log("cased:", s.toUpperCase(), s.toLowerCase(), "hex:", hex, hex.toUpperCase(), "user:" + hex);',
        'console.log("swapped case:", s.replace(/[a-zA-Z]/g, (c) => (c < "a" ? c.toLowerCase() : c.toUpperCase())), "title:", s[0].toUpperCase() + s.slice(1).toLowerCase());',
        'console.log("every byte:", hex.replace(/../g, "%$&"), "every char:", Array.from(s, (c) => "&#" + c.codePointAt(0) + ";").join(""));',
        'console.log("legacy escape():", escape(s), "in a query:", encodeURIComponent(escape(s)));',
        'const b64 = btoa(unescape(encodeURIComponent(s)));',
        'console.log("wrapped:", s.slice(0, 3) + "\\n" + s.slice(3), "base64 wrapped:", b64.replace(/(.{6})/g, "$1\\r\\n"));',
        'const repr = Array.from(new TextEncoder().encode(s), (b) => (b >= 0x80 ? "\\\\x" + b.toString(16) : b === 0x5c ? "\\\\\\\\" : String.fromCharCode(b)));',
        'console.log("python repr:", repr.join(""), "braced:", Array.from(s, (c) => "\\\\u{" + c.codePointAt(0).toString(16) + "}").join(""));',
        'console.log("echo:", pm.response.text());',
        'pm.test("holds " + s, () => pm.expect(pm.response.json().body + s).to.equal("x"));',
      ].join('\n'),
    },
  ];
  const echo = (stepName: string, request: Record<string, unknown>) => ({ name: `${stepName} ${ref}`, request, post: echoChecks });
  return {
    name: `secret ${name}`,
    options: { onError: 'continue' },
    steps: [
      echo('header', { method: 'GET', url: '{{base}}/echo', headers: { 'X-Custom': ref, 'X-Pair': `user=${ref}` } }),
      echo('query', { method: 'GET', url: '{{base}}/echo', query: { p: ref, [`k${ref}`]: 'v' } }),
      echo('path', { method: 'GET', url: `{{base}}/echo/${ref}/tail` }),
      echo('url query', { method: 'GET', url: `{{base}}/echo?p=${ref}&x=1` }),
      echo('form', { method: 'POST', url: '{{base}}/echo', body: { form: { password: ref, both: `a ${ref} b` } } }),
      echo('json', { method: 'POST', url: '{{base}}/echo', body: { json: { password: ref, nested: { list: [ref] } } } }),
      echo('multipart', { method: 'POST', url: '{{base}}/echo', body: { multipart: [{ name: 'password', value: ref }] } }),
      echo('text', { method: 'POST', url: '{{base}}/echo', body: { text: `<p title="${ref}">${ref}</p>`, contentType: 'text/html' } }),
      {
        name: 'json number',
        request: {
          method: 'POST',
          url: '{{base}}/echo',
          body: { text: `{"n": ${ref}, "list": [${ref}]}`, contentType: 'application/json' },
        },
        post: [{ assert: { jsonpath: { path: '$.json.n', equals: 1 } } }, { assert: { jsonpath: { path: '$.json', equals: { n: 1 } } } }],
      },
      {
        name: 'exports and errors',
        script: [
          `const s = pm.variables.get('${name}');`,
          `pm.environment.set('note', 'kept');`,
          `pm.globals.set('noteGlobal', 'kept');`,
          `pm.environment.set('copied', s);`,
          `pm.environment.set('wrapped', JSON.stringify({ s }));`,
          `pm.globals.set('copiedGlobal', encodeURIComponent(s));`,
          // A secret in a variable's name, not its value.
          `pm.environment.set('named_' + s, 'v');`,
          `pm.globals.set(s, 'v');`,
          `throw new Error('failed with ' + s);`,
        ].join('\n'),
      },
      { name: 'bad url', request: { method: 'GET', url: `http://127.0.0.1:1/${ref}?q=${ref}` } },
      // The secret as a host name: sent as punycode when not ASCII, named so in the DNS error.
      { name: 'host', request: { method: 'GET', url: `http://${ref}.invalid/` } },
    ],
  };
}

/** Every form a value can take on its way out. */
function formsOf(secret: string): Map<string, string> {
  const forms = new Map<string, string>();
  const json = JSON.stringify(secret).slice(1, -1);
  const asciiJson = json.replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  const html = (text: string) =>
    text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
  forms.set('raw', secret);
  forms.set('encodeURIComponent', encodeURIComponent(secret));
  forms.set('encodeURI', encodeURI(secret));
  forms.set('URL path', new URL(`http://h/${secret}`).pathname.slice(1));
  forms.set('URL query', new URL(`http://h/?p=${secret}`).search.slice(3));
  forms.set('form', new URLSearchParams({ p: secret }).toString().slice(2));
  forms.set('encodeURIComponent twice', encodeURIComponent(encodeURIComponent(secret)));
  forms.set('JSON once', json);
  forms.set('JSON once, ASCII only', asciiJson);
  forms.set('JSON twice', JSON.stringify(JSON.stringify(secret)).slice(3, -3));
  forms.set('HTML', html(secret));
  forms.set('HTML of JSON', html(json));
  const bytes = Buffer.from(secret);
  forms.set('upper case', secret.toUpperCase());
  forms.set('lower case', secret.toLowerCase());
  forms.set(
    'ASCII case swapped',
    secret.replace(/[a-zA-Z]/g, (c) => (c < 'a' ? c.toLowerCase() : c.toUpperCase())),
  );
  forms.set('title case', secret[0]?.toUpperCase() + secret.slice(1).toLowerCase());
  forms.set('hex', bytes.toString('hex'));
  forms.set('HEX', bytes.toString('hex').toUpperCase());
  forms.set('every byte percent-encoded', bytes.toString('hex').replace(/../g, '%$&'));
  forms.set('every character an HTML reference', Array.from(secret, (c) => `&#${c.codePointAt(0)};`).join(''));
  forms.set('escape()', escape(secret));
  // Wrapped at a fixed width: a log line split by its writer, MIME base64 (CRLF), as logged, and JSON-escaped in a report.
  const split = `${secret.slice(0, 3)}\n${secret.slice(3)}`;
  const wrappedBase64 = bytes.toString('base64').replace(/(.{6})/g, '$1\r\n');
  forms.set('split across lines', split);
  forms.set('split across lines, JSON', JSON.stringify(split).slice(1, -1));
  forms.set('base64 wrapped', wrappedBase64);
  forms.set('base64 wrapped, JSON', JSON.stringify(wrappedBase64).slice(1, -1));
  forms.set(
    'Python bytes repr',
    Array.from(bytes, (b) => (b >= 0x80 ? `\\x${b.toString(16)}` : b === 0x5c ? '\\\\' : String.fromCharCode(b))).join(''),
  );
  forms.set('\\u{…}', Array.from(secret, (c) => `\\u{${(c.codePointAt(0) as number).toString(16)}}`).join(''));
  forms.set('escape() in a query', encodeURIComponent(escape(secret)));
  const host = domainToASCII(secret);
  if (host.includes('xn--')) forms.set('punycode host', host);
  forms.set('base64', bytes.toString('base64'));
  forms.set('base64url', bytes.toString('base64url'));
  // Base64 of a text the secret is part of: the characters that only depend on the secret, at each alignment.
  for (const offset of [1, 2]) {
    const encoded = Buffer.concat([Buffer.alloc(offset, 0x41), bytes]);
    const start = Math.ceil((offset * 8) / 6);
    const end = Math.floor(((offset + bytes.length) * 8) / 6);
    forms.set(`base64 at offset ${offset}`, encoded.toString('base64').slice(start, end));
    forms.set(`base64url at offset ${offset}`, encoded.toString('base64url').slice(start, end));
  }
  return forms;
}

let fixtures: FixtureServer;
let dir: string;
/** Output name → text. */
const outputs = new Map<string, string>();

beforeAll(async () => {
  ensureBuilt();
  fixtures = await startFixtureServer();
  dir = mkdtempSync(join(tmpdir(), 'sortie-secret-matrix-'));
  writeFileSync(join(dir, 'env.json'), JSON.stringify({ name: 'matrix', secrets: Object.keys(SECRETS), variables: { plain: 'x' } }));
  const files = Object.keys(SECRETS).map((name) => {
    const file = join(dir, `${name}.json`);
    writeFileSync(file, JSON.stringify(scenarioFor(name), null, 2));
    return file;
  });
  for (const verbose of [false, true]) {
    const out = join(dir, verbose ? 'verbose' : 'plain');
    const args = [
      'run',
      ...files,
      '-e',
      join(dir, 'env.json'),
      '--env-var',
      `base=${fixtures.url}`,
      '-r',
      'cli,json,junit,html',
      '--out-dir',
      out,
    ];
    args.push('--export-environment', join(out, 'environment.json'), '--export-globals', join(out, 'globals.json'));
    if (verbose) args.push('--verbose');
    const result = await runSortie(args, { env: SECRETS });
    expect(result.code, result.stderr).toBe(1);
    outputs.set(`${verbose ? 'verbose ' : ''}stdout`, result.stdout);
    outputs.set(`${verbose ? 'verbose ' : ''}stderr`, result.stderr);
    for (const file of readdirSync(out)) outputs.set(`${verbose ? 'verbose ' : ''}${file}`, readFileSync(join(out, file), 'utf8'));
  }
}, 120_000);

afterAll(() => {
  fixtures?.close();
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});

describe('secret-encoding matrix', () => {
  it('wrote every output, and the secrets were really sent and echoed', () => {
    expect([...outputs.keys()].sort()).toEqual(
      ['environment.json', 'globals.json', 'junit.xml', 'report.html', 'report.json', 'stderr', 'stdout']
        .flatMap((n) => [n, `verbose ${n}`])
        .sort(),
    );
    const verbose = outputs.get('verbose stdout') ?? '';
    // Redacted, not missing: every echo step shows [REDACTED] where the secret was.
    expect(verbose.match(/\[REDACTED\]/g)?.length ?? 0).toBeGreaterThan(Object.keys(SECRETS).length * 20);
    expect(verbose).toContain('failed with [REDACTED]');
    // Exported: the plain variables; left out: those holding a secret in any form.
    for (const file of ['environment.json', 'globals.json']) expect(outputs.get(file)).toMatch(/"note(Global)?": "kept"/);
    expect(outputs.get('environment.json')).not.toContain('"copied"');
  });

  it.each(Object.keys(SECRETS))('%s appears in no output, in no form', (name) => {
    const hits: string[] = [];
    for (const [formName, form] of formsOf(SECRETS[name] as string)) {
      for (const [output, text] of outputs) {
        const at = text.indexOf(form);
        if (at !== -1)
          hits.push(`${formName} ${JSON.stringify(form)} in ${output}: …${text.slice(Math.max(0, at - 40), at + form.length + 20)}…`);
      }
    }
    expect(hits).toEqual([]);
  });
});
