import { mkdtempSync, renameSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ErrorCode, type SortieError } from '@sortie/core';
import { afterAll, describe, expect, it } from 'vitest';
import { loadIterationData, parseCsvRows, parseJsonRows, readIterationRows } from '../src/iteration-data.js';
import { parseCsv } from '../src/parse-csv.js';
import { WINDOW_BYTES } from '../src/row-file.js';

const work = mkdtempSync(join(tmpdir(), 'sortie-data-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function thrown(run: () => unknown): SortieError {
  try {
    run();
  } catch (error) {
    return error as SortieError;
  }
  throw new Error('expected an error');
}

describe('parseCsv', () => {
  it('splits fields and records with LF and CRLF', () => {
    expect(parseCsv('a,b\n1,2\r\n3,4', 'd.csv').map((r) => r.fields)).toEqual([
      ['a', 'b'],
      ['1', '2'],
      ['3', '4'],
    ]);
  });

  it('reads quoted fields with commas, "" escapes and embedded line breaks, keeping each record start line', () => {
    const records = parseCsv('name,note\n"Doe, Jane","said ""hi""\nthen left"\nbob,x\n', 'd.csv');
    expect(records).toEqual([
      { line: 1, fields: ['name', 'note'] },
      { line: 2, fields: ['Doe, Jane', 'said "hi"\nthen left'] },
      { line: 4, fields: ['bob', 'x'] },
    ]);
  });

  it('keeps empty fields, spaces and a quote inside an unquoted field', () => {
    expect(parseCsv('a,b,c\n, x ,5"\n', 'd.csv')[1]?.fields).toEqual(['', ' x ', '5"']);
  });

  it('skips a byte order mark and empty lines', () => {
    expect(parseCsv('\ufeffa\n\n1\n\n', 'd.csv').map((r) => r.fields)).toEqual([['a'], ['1']]);
  });

  it('rejects an unterminated quoted field at the line it opens', () => {
    const error = thrown(() => parseCsv('a,b\n1,"open\n2,3\n', 'd.csv'));
    expect(error.code).toBe(ErrorCode.INVALID_INPUT);
    expect(error.location).toEqual({ file: 'd.csv', line: 2, column: 3 });
    expect(error.message).toBe('unterminated quoted field');
  });

  it('names the line and column of the quote that opens an unterminated field, after empty lines and CRLF too', () => {
    const after = thrown(() => parseCsv('a,b\n1,2\n\n\n3,"x\n4,5\n', 'd.csv'));
    expect(after.location).toEqual({ file: 'd.csv', line: 5, column: 3 });
    const crlf = thrown(() => parseCsv('\ufeffa,b,c\r\n"ok\r\nstill ""ok""",é,"open\r\n4,5,6\r\n', 'd.csv'));
    expect(crlf.location).toEqual({ file: 'd.csv', line: 3, column: 17 });
    const first = thrown(() => parseCsv('"a,b\n1,2\n', 'd.csv'));
    expect(first.location).toEqual({ file: 'd.csv', line: 1, column: 1 });
  });

  it('keeps text after a closing quote as written, like a quote inside an unquoted field (csv-parse relax_quotes)', () => {
    expect(parseCsv('a,b\n"x"y,2\n', 'd.csv')[1]?.fields).toEqual(['"x"y', '2']);
  });
});

describe('parseCsvRows', () => {
  it('turns records into objects keyed by the header, values as strings', () => {
    expect(parseCsvRows('user,age\nann,31\nbob,\n', 'd.csv')).toEqual([
      { user: 'ann', age: '31' },
      { user: 'bob', age: '' },
    ]);
  });

  it('rejects a ragged row with its file and line', () => {
    const error = thrown(() => parseCsvRows('user,age\nann,31\n"multi\nline",4\nbob,5,extra\n', 'data/users.csv'));
    expect(error.code).toBe(ErrorCode.INVALID_INPUT);
    expect(error.location).toEqual({ file: 'data/users.csv', line: 5 });
    expect(error.message).toBe('row has 3 fields, the header row has 2 fields');
  });

  it('rejects a short row', () => {
    expect(thrown(() => parseCsvRows('a,b\n1\n', 'd.csv')).message).toBe('row has 1 field, the header row has 2 fields');
  });

  it('requires a header row', () => {
    expect(thrown(() => parseCsvRows('', 'd.csv')).message).toBe('the file is empty');
  });

  it('rejects a header row separated by semicolons or tabs (Excel in a comma-decimal locale), which reads as one column', () => {
    const semicolons = thrown(() => parseCsvRows('user;size\nann;s\n', 'd.csv'));
    expect(semicolons.code).toBe(ErrorCode.INVALID_INPUT);
    expect(semicolons.location).toEqual({ file: 'd.csv', line: 1 });
    expect(semicolons.message).toBe(
      'the header row is one column, "user;size": its names are separated by ";", and CSV separates them by "," (RFC 4180)',
    );
    expect(semicolons.hint).toBe(
      'save the file with commas (Excel: "CSV UTF-8 (Comma delimited)"), or write the rows as a .json array of objects',
    );
    expect(thrown(() => parseCsvRows('user\tsize\nann\ts\n', 'd.csv')).message).toContain('separated by tabs');
    // One real column, or a semicolon inside a column of several, is read as written.
    expect(parseCsvRows('user\nann;bob\n', 'd.csv')).toEqual([{ user: 'ann;bob' }]);
    expect(parseCsvRows('a;b,c\n1,2\n', 'd.csv')).toEqual([{ 'a;b': '1', c: '2' }]);
  });

  it('rejects duplicate and empty column names', () => {
    expect(thrown(() => parseCsvRows('a,b,a\n1,2,3', 'd.csv')).message).toBe('column name "a" appears twice in the header row');
    expect(thrown(() => parseCsvRows('a,,c\n1,2,3', 'd.csv')).message).toBe('column 2 of the header row has no name');
  });
});

describe('parseJsonRows', () => {
  it('returns an array of objects with values as written', () => {
    expect(parseJsonRows('[{"user":"ann","age":31},{"user":"bob","tags":["x"]}]', 'd.json')).toEqual([
      { user: 'ann', age: 31 },
      { user: 'bob', tags: ['x'] },
    ]);
  });

  it('rejects a document that is not an array', () => {
    const error = thrown(() => parseJsonRows('{"user":"ann"}', 'd.json'));
    expect(error.code).toBe(ErrorCode.INVALID_INPUT);
    expect(error.message).toBe('expected an array of objects, got an object');
  });

  it('rejects an item that is not an object at its line', () => {
    const error = thrown(() => parseJsonRows('[\n  {"a":1},\n  "b"\n]', 'd.json'));
    expect(error.message).toBe('expected an object at index 1, got a string');
    expect(error.location).toMatchObject({ file: 'd.json', line: 3, path: '$[1]' });
  });

  it('reports a duplicate property name of a row (JSON.parse alone would keep the last), also in a nested object', () => {
    for (const text of ['[{"a":1},\n {"b":2, "b":3}]', '[{"a":{"x":1,"x":2}}]', '[{"a":"k\\": 1", "a": 2}]']) {
      const error = thrown(() => parseJsonRows(text, 'd.json'));
      expect(error.details[0]?.message, text).toMatch(/^duplicate property/);
    }
    expect(parseJsonRows('[{"a":"b:c", "k": {"x": "y\\"z"}}, {"a": ":"}]', 'd.json')).toEqual([{ a: 'b:c', k: { x: 'y"z' } }, { a: ':' }]);
  });

  it('reads 100,000 rows, and refuses rows nested past the limit', () => {
    const rows = Array.from({ length: 100_000 }, (_, n) => ({ n, user: `user-${n}` }));
    expect(parseJsonRows(JSON.stringify(rows), 'd.json')).toEqual(rows);
    const error = thrown(() => parseJsonRows(`[{"a":${'['.repeat(300)}${']'.repeat(300)}}]`, 'd.json'));
    expect(error.details[0]?.message).toBe('arrays and objects nested more than 256 levels deep');
  });

  it('reports a JSON syntax error with its location', () => {
    const error = thrown(() => parseJsonRows('[{"a":1},]', 'd.json'));
    expect(error.code).toBe(ErrorCode.INVALID_INPUT);
    expect(error.details[0]?.location?.line).toBe(1);
  });
});

describe('loadIterationData', () => {
  it('reads a large CSV file by index, and names the line of a bad row near its end', async () => {
    const lines = ['id,name', ...Array.from({ length: 100_000 }, (_, i) => `${i},"user ${i}"`)];
    writeFileSync(join(work, 'big.csv'), `${lines.join('\n')}\n`);
    const { rows, format } = await loadIterationData(join(work, 'big.csv'));
    expect(format).toBe('csv');
    expect(rows).toHaveLength(100_000);
    expect(rows.at(99_999)).toEqual({ id: '99999', name: 'user 99999' });
    expect(rows.at(-1)).toEqual(rows.at(99_999));
    expect(rows.at(100_000)).toBeUndefined();
    writeFileSync(join(work, 'big-bad.csv'), `${lines.join('\n')}\n1,2,3\n`);
    await expect(loadIterationData(join(work, 'big-bad.csv'))).rejects.toMatchObject({
      code: ErrorCode.INVALID_INPUT,
      location: { line: 100_002 },
    });
  }, 60_000);

  it('reads each row back from the bytes where it lies: byte order mark, CRLF, empty lines, quoted line breaks, multi-byte text', async () => {
    writeFileSync(join(work, 'mixed.csv'), '\ufeffname,note\r\n\r\n"Zoë, ""Z""","a\r\nb"\r\n\n€,\r\nlast,x');
    expect([...(await loadIterationData(join(work, 'mixed.csv'))).rows]).toEqual([
      { name: 'Zoë, "Z"', note: 'a\r\nb' },
      { name: '€', note: '' },
      { name: 'last', note: 'x' },
    ]);
    const rows = [{ a: 'Zoë "}]{[' }, { b: { c: [1, { d: null }] }, e: '\\' }, {}];
    writeFileSync(join(work, 'mixed.json'), `\ufeff \n[ ${rows.map((row) => JSON.stringify(row, null, 2)).join(' ,\n')} ]\n`);
    const loaded = await loadIterationData(join(work, 'mixed.json'));
    expect(loaded.rows.at(1)).toEqual(rows[1]);
    expect([...loaded.rows]).toEqual(rows);
    writeFileSync(join(work, 'empty.json'), ' [ ] ');
    expect((await loadIterationData(join(work, 'empty.json'))).rows).toHaveLength(0);
  });

  it('reads CSV and JSON files by extension', async () => {
    writeFileSync(join(work, 'rows.csv'), 'q\none\n');
    writeFileSync(join(work, 'rows.json'), '[{"q":1}]');
    expect([...(await loadIterationData(join(work, 'rows.csv'))).rows]).toEqual([{ q: 'one' }]);
    expect([...(await loadIterationData(join(work, 'rows.json'))).rows]).toEqual([{ q: 1 }]);
  });

  it("reads CSV as Newman 6 does for a Postman run (csv: 'newman'): trimmed, unquoted numbers cast, ragged rows and quotes allowed", async () => {
    // Newman's own CSV fixtures (comma-test-csv, csv-with-bom) and the cases its csvAutoParse covers.
    const text = [
      '\ufeffname, quoted , num ,float,neg, long , empty',
      '"Doe, Jane", "007" , 7890 ,1.50,-3,"89111702272002019559",',
      'Abhijit "KDOS" Kane,x',
      '',
      'a,b,1e3,0,+4,c,d,extra',
    ].join('\r\n');
    writeFileSync(join(work, 'newman.csv'), `${text}\r\n`);
    const data = await loadIterationData(join(work, 'newman.csv'), { csv: 'newman' });
    expect(data.format).toBe('csv-newman');
    const rows = [...data.rows];
    expect(rows).toEqual([
      { name: 'Doe, Jane', quoted: '007', num: 7890, float: 1.5, neg: -3, long: '89111702272002019559', empty: '' },
      { name: 'Abhijit "KDOS" Kane', quoted: 'x' },
      { name: '' },
      { name: 'a', quoted: 'b', num: 1000, float: 0, neg: 4, long: 'c', empty: 'd' },
    ]);
    // The same bytes read again as a plan's receiver reads them.
    expect([...readIterationRows(Buffer.from(`${text}\r\n`), 'csv-newman', 'newman.csv')]).toEqual(rows);
    // Sortie's own reading of the same file stays strict.
    await expect(loadIterationData(join(work, 'newman.csv'))).rejects.toMatchObject({ code: ErrorCode.INVALID_INPUT });
  });

  it("keeps a header Newman 6 keeps for a Postman run (csv: 'newman'): a column named twice (the later one wins) or not at all", async () => {
    // What newman run -d gives for these files (Newman 6.2): {"a":3,"b":2}, {"a":4,"b":5} and {"a":1,"":2,"c":3}.
    writeFileSync(join(work, 'twice.csv'), 'a,b,a\n1,2,3\n4,5\n');
    expect([...(await loadIterationData(join(work, 'twice.csv'), { csv: 'newman' })).rows]).toEqual([
      { a: 3, b: 2 },
      { a: 4, b: 5 },
    ]);
    writeFileSync(join(work, 'unnamed.csv'), 'a,,c\n1,2,3\n');
    expect([...(await loadIterationData(join(work, 'unnamed.csv'), { csv: 'newman' })).rows]).toEqual([{ a: 1, '': 2, c: 3 }]);
    // Sortie's own reading refuses both.
    await expect(loadIterationData(join(work, 'twice.csv'))).rejects.toMatchObject({
      message: 'column name "a" appears twice in the header row',
    });
    await expect(loadIterationData(join(work, 'unnamed.csv'))).rejects.toMatchObject({ message: 'column 2 of the header row has no name' });
  });

  it('refuses a data file that is not UTF-8 (a Windows-1252 export) at the line and column of the first bad byte', async () => {
    writeFileSync(join(work, 'latin1.csv'), Buffer.from('name,city\r\nann,Paris\r\nzoé,Köln\r\n', 'latin1'));
    await expect(loadIterationData(join(work, 'latin1.csv'))).rejects.toMatchObject({
      code: ErrorCode.INVALID_INPUT,
      title: 'Invalid iteration data',
      message: 'the file is not UTF-8 text: byte 0xE9 is not valid UTF-8',
      location: { file: join(work, 'latin1.csv'), line: 3, column: 3 },
    });
    writeFileSync(join(work, 'latin1.json'), Buffer.concat([Buffer.from('[{"a": "'), Buffer.from([0xc3, 0x28]), Buffer.from('"}]')]));
    await expect(loadIterationData(join(work, 'latin1.json'))).rejects.toMatchObject({
      message: 'the file is not UTF-8 text: byte 0xC3 is not valid UTF-8',
      location: { line: 1, column: 9 },
    });
    // Valid UTF-8 with a byte order mark and four-byte characters is read as it is.
    writeFileSync(join(work, 'utf8.csv'), '\ufeffname\r\nzoé 😀\r\n');
    expect([...(await loadIterationData(join(work, 'utf8.csv'))).rows]).toEqual([{ name: 'zoé 😀' }]);
  });

  it('titles a JSON syntax error "Invalid iteration data", as its other problems ("Invalid JSON" said nothing of -d)', async () => {
    writeFileSync(join(work, 'broken.json'), '[{"a": 1},\r\n {"a": 2 "b": 3}]');
    await expect(loadIterationData(join(work, 'broken.json'))).rejects.toMatchObject({
      code: ErrorCode.INVALID_INPUT,
      title: 'Invalid iteration data',
      details: [
        expect.objectContaining({ message: 'expected "," between two values', location: expect.objectContaining({ line: 2, column: 10 }) }),
      ],
    });
  });

  it('says an empty JSON file (whitespace, a byte order mark) is empty in the headline, not "is not valid JSON"', async () => {
    for (const [name, text] of [
      ['empty.json', ''],
      ['blank.json', ' \r\n\t'],
      ['bom.json', '\ufeff\n'],
    ]) {
      const file = join(work, name!);
      writeFileSync(file, text!);
      await expect(loadIterationData(file)).rejects.toMatchObject({
        title: 'Invalid iteration data',
        message: `${file} is empty`,
        details: [
          expect.objectContaining({
            message: 'the file is empty, expected a JSON value',
            location: expect.objectContaining({ line: 1, column: 1 }),
          }),
        ],
      });
    }
  });

  it('rejects other file types and missing files', async () => {
    await expect(loadIterationData(join(work, 'rows.txt'))).rejects.toMatchObject({ code: ErrorCode.INVALID_INPUT });
    await expect(loadIterationData(join(work, 'nope.csv'))).rejects.toMatchObject({ code: ErrorCode.FILE_NOT_FOUND });
  });
});

describe('rows of a large JSON file', () => {
  it('are counted when loaded and parsed only when asked for, each time afresh (no row is retained)', async () => {
    const count = 100_000;
    const file = join(work, 'many.json');
    writeFileSync(file, JSON.stringify(Array.from({ length: count }, (_, n) => ({ n, user: `user-${n}` }))));
    const { rows } = await loadIterationData(file);
    expect(rows.length).toBe(count);
    const first = rows.at(count - 1);
    expect(first).toEqual({ n: count - 1, user: `user-${count - 1}` });
    // A row is parsed from the file's bytes on every read: a changed copy does not reach the next read.
    (first as Record<string, unknown>).user = 'changed';
    const again = rows.at(count - 1);
    expect(again).not.toBe(first);
    expect(again).toEqual({ n: count - 1, user: `user-${count - 1}` });
    expect(rows.at(-count)).toEqual({ n: 0, user: 'user-0' });
    expect(rows.at(count)).toBeUndefined();
  });
});

describe('rows read from the file as the run goes', () => {
  const users = (count: number, long = -1) =>
    Array.from({ length: count }, (_, n) => ({ n, user: n === long ? `long-${'é'.repeat(WINDOW_BYTES)}` : `user-${n}` }));

  it('reads rows past the first window, in any order, and a row longer than a window (CSV and JSON, pretty-printed JSON)', async () => {
    // About 4 windows of rows, one of them longer than a window.
    const expected = users(20_000, 7_000);
    const csv = join(work, 'windows.csv');
    writeFileSync(csv, `n,user\r\n${expected.map((row) => `${row.n},"${row.user}"`).join('\r\n')}\r\n`);
    const json = join(work, 'windows.json');
    writeFileSync(json, `[\n${expected.map((row) => JSON.stringify(row, null, 2)).join(' ,\n\n')}\n]\n`);
    const cases: Array<[string, (row: { n: number; user: string }) => Record<string, unknown>]> = [
      [csv, (row) => ({ n: String(row.n), user: row.user })],
      [json, (row) => row],
    ];
    for (const [file, rowOf] of cases) {
      const { rows } = await loadIterationData(file);
      expect(rows).toHaveLength(expected.length);
      expect([...rows]).toEqual(expected.map(rowOf));
      // Backwards, and jumping between windows.
      for (const index of [19_999, 7_000, 0, 12_345, 6_999, 7_001, 3, 19_998]) expect(rows.at(index)).toEqual(rowOf(expected[index]!));
    }
  });

  it('fails when the file changed after it was read: written again (same size), replaced, removed', async () => {
    const file = join(work, 'changing.json');
    const text = JSON.stringify(users(10_000));
    writeFileSync(file, text);
    const loaded = await loadIterationData(file);
    expect(loaded.rows.at(9_000)).toEqual({ n: 9_000, user: 'user-9000' });
    expect(loaded.readBytes().toString()).toBe(text);

    // The same size, other bytes: only the modification time tells.
    writeFileSync(file, text.replace('user-1"', 'userX1"'));
    utimesSync(file, new Date(), new Date(Date.now() + 5_000));
    const changed = thrown(() => loaded.rows.at(0));
    expect(changed.code).toBe(ErrorCode.INVALID_INPUT);
    expect(changed.message).toContain('changed while the run was reading it');
    expect(changed.location?.file).toBe(file);
    expect(thrown(() => loaded.readBytes()).code).toBe(ErrorCode.INVALID_INPUT);

    // Replaced by another file (an editor saving by rename), even with the same bytes and time.
    writeFileSync(file, text);
    const again = await loadIterationData(file);
    writeFileSync(`${file}.new`, text);
    renameSync(`${file}.new`, file);
    expect(thrown(() => again.rows.at(5)).code).toBe(ErrorCode.INVALID_INPUT);

    const removed = await loadIterationData(file);
    rmSync(file);
    const gone = thrown(() => removed.rows.at(5));
    expect(gone.code).toBe(ErrorCode.FILE_NOT_FOUND);
    expect(gone.message).toBe(`cannot read iteration data ${file}: no such file`);
  });

  it('keeps reading from the window it holds: a change is seen at the next window', async () => {
    const file = join(work, 'window.csv');
    writeFileSync(
      file,
      `n,user\n${users(10_000)
        .map((row) => `${row.n},${row.user}`)
        .join('\n')}\n`,
    );
    const { rows } = await loadIterationData(file);
    expect(rows.at(1)).toEqual({ n: '1', user: 'user-1' });
    writeFileSync(file, 'n,user\n');
    expect(rows.at(2)).toEqual({ n: '2', user: 'user-2' });
    expect(thrown(() => rows.at(9_999)).code).toBe(ErrorCode.INVALID_INPUT);
  });
});
