/**
 * curl's `-F` parts in the order of the command, with the `;type=` and `;filename=` each one gives
 * (curl(1), -F): curlconverter's JSON output lists the fields first and the files after, and drops both.
 * @see https://curl.se/docs/manpage.html#-F
 */
import { basename } from 'node:path';
import type { CapturedPart } from './captured-request.js';

/**
 * The multipart parts of a command (none when it has no `-F`); a file is named by `fileName` (as the
 * scenario reaches it). `name=@file` is a file part, `name=<file` the file's content as a field (sent as a
 * file part too: the scenario reads files at run time, not at import).
 */
export async function readFormParts(bash: string, fileName: (file: string) => string): Promise<CapturedPart[]> {
  const [{ parse }, { supportedArgs }] = await Promise.all([
    import('curlconverter/dist/src/parse.js'),
    import('curlconverter/dist/src/generators/json.js'),
  ]);
  const uploads = parse(bash, supportedArgs)[0]?.multipartUploads ?? [];
  return uploads.map((upload) => {
    const part: CapturedPart = { name: upload.name.toString() };
    if ('contentFile' in upload) {
      const file = upload.contentFile.toString();
      part.file = fileName(file);
      const filename = upload.filename?.toString();
      // `@file` sends the file's base name, which the step sends by itself.
      if (filename !== undefined && filename !== file && filename !== basename(file)) part.filename = filename;
    } else part.value = upload.content.toString();
    if (upload.contentType !== undefined) part.contentType = upload.contentType.toString();
    return part;
  });
}
