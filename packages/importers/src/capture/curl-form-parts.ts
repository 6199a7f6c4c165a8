/**
 * curl's `-F` parts in the order of the command, with the `;type=` and `;filename=` each one gives
 * (curl(1), -F): curlconverter's JSON output lists the fields first and the files after, and drops both.
 * @see https://curl.se/docs/manpage.html#-F
 */
import { basename, resolve } from 'node:path';
import { ErrorCode, fileReadReason, readRegularFile, SortieError } from '@sortie/core';
import type { CapturedPart } from './captured-request.js';

export interface FormParts {
  parts: CapturedPart[];
  notes: string[];
}

/**
 * The multipart parts of a command (none when it has no `-F`); a file is named by `fileName` (as the
 * scenario reaches it). `name=@file` is a file part. `name=<file` is the file's content as a plain field,
 * with no file name (RFC 7578 §4.2: a part with a filename is a file upload, which a server may store
 * apart from its fields): the content is read from `cwd` at import, as `--data-urlencode @file` is.
 * @throws SortieError INVALID_INPUT when a `<file` cannot be read (curl stops too: "Failed to open/read local data").
 */
export async function readFormParts(bash: string, cwd: string, fileName: (file: string) => string): Promise<FormParts> {
  const [{ parse }, { supportedArgs }] = await Promise.all([
    import('curlconverter/dist/src/parse.js'),
    import('curlconverter/dist/src/generators/json.js'),
  ]);
  const uploads = parse(bash, supportedArgs)[0]?.multipartUploads ?? [];
  const notes: string[] = [];
  const parts: CapturedPart[] = [];
  for (const upload of uploads) {
    const part: CapturedPart = { name: upload.name.toString() };
    if ('contentFile' in upload) {
      const file = upload.contentFile.toString();
      // curlconverter gives `@file` a filename (the file's own when none is written) and `<file` none.
      const filename = upload.filename?.toString();
      const text = filename === undefined ? await readFieldFile(part.name, file, cwd) : undefined;
      if (text !== undefined) {
        part.value = text;
        notes.push(
          `curl: -F ${part.name}=<${file}: the content of ${file} was written as the field's value at import; import again when it changes`,
        );
      } else {
        part.file = fileName(file);
        // `@file` sends the file's base name, which the step sends by itself.
        if (filename !== undefined && filename !== file && filename !== basename(file)) part.filename = filename;
        if (filename === undefined)
          notes.push(
            `curl: -F ${part.name}=<${file}: ${file} is not UTF-8 text, so it is sent as a file part (with a file name, which curl does not send)`,
          );
      }
    } else part.value = upload.content.toString();
    if (upload.contentType !== undefined) part.contentType = upload.contentType.toString();
    parts.push(part);
  }
  return { parts, notes };
}

/** The UTF-8 text of a `-F name=<file`; undefined when it is not UTF-8 (a field value is text). */
async function readFieldFile(name: string, file: string, cwd: string): Promise<string | undefined> {
  if (file === '-')
    throw new SortieError(ErrorCode.INVALID_INPUT, 'Invalid curl command', `-F ${name}=<-: standard input is not read at import`, {
      hint: 'save the content to a file and name it: -F name=<file.txt',
    });
  let bytes: Buffer;
  try {
    bytes = await readRegularFile(resolve(cwd, file));
  } catch (error) {
    throw new SortieError(
      ErrorCode.INVALID_INPUT,
      'Invalid curl command',
      `-F ${name}=<${file}: cannot read ${file} (${fileReadReason(error)}); curl sends its content as the field's value`,
      { hint: 'run the import in the folder the curl command is run in' },
    );
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}
