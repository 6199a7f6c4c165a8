/**
 * curlconverter's warnings that show a line of the command with a row of carets under a part ("globs in the
 * URL are not supported:") were printed as three lines in the notes list, the command's line and the carets
 * each a line of their own, and the same warning twice. Each note is now one line naming the part.
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
