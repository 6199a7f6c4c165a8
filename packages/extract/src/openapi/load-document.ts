/**
 * Loading an OpenAPI description: every `$ref` resolved (external files too) into one bundled
 * document with internal references only, Swagger 2.0 converted to OpenAPI 3.0, and the list of
 * files read. Files are read through a callback, so a run plan's copy of them serves as well as the disk.
 * @see https://spec.openapis.org/oas/v3.1.0#reference-object
 */
import { dirname, resolve as resolvePath } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ErrorCode, fileReadReason, SortieError, type SourceLocation } from '@sortie/core';
import { type ConversionWarning, takeConversionWarnings } from './conversion-warnings.js';
import { pathAtPrettyJsonLine } from './pretty-json-lines.js';
import { pathOfValidatorId } from './validator-ids.js';

/** Reads one file of the description (the root or a file a `$ref` names), by absolute path. */
export type ReadSpecFile = (path: string) => Promise<string | Uint8Array>;

/** Parses JSON or YAML text keeping positions (config's `parseSourceText`). */
export type ParseSpecText = (text: string, file: string) => { data: unknown; locate(path: ReadonlyArray<string | number>): SourceLocation };

export interface LoadDocumentOptions {
  read: ReadSpecFile;
  parse: ParseSpecText;
  /** Shown in errors instead of absolute paths: the path of a file as the user would name it. */
  display?: (path: string) => string;
}

/** The versions of the description format that Sortie reads. */
export type SpecVersion = '2.0' | '3.0' | '3.1';

export interface LoadedDocument {
  /** OpenAPI 3.0 or 3.1, bundled: every `$ref` points inside it. Swagger 2.0 is converted to 3.0. */
  document: Record<string, unknown>;
  /** The version of the file as written. */
  version: SpecVersion;
  /** Absolute paths of every file read, the root first. */
  files: string[];
  /** What the conversion of a Swagger 2.0 description could not carry over as written (none for OpenAPI 3.x). */
  warnings: ConversionWarning[];
}

type RefParserModule = typeof import('@apidevtools/json-schema-ref-parser');

/**
 * Loads the description at `path` (absolute): parses it and every file its `$ref`s name, bundles
 * them, checks it against the OpenAPI / Swagger schema, and converts Swagger 2.0 to OpenAPI 3.0.
 * @throws SortieError INVALID_INPUT with the file, line, column and JSON path of each problem (a
 *   syntax error, a `$ref` that cannot be resolved, a document that is not a valid description).
 */
/** The files a `$ref` may lead to: descriptions (the root may be named anything). */
const DESCRIPTION_FILE = /\.(json|ya?ml)$/i;

export async function loadOpenApiDocument(path: string, options: LoadDocumentOptions): Promise<LoadedDocument> {
  const display = options.display ?? ((file: string) => file);
  const { $RefParser } = (await import('@apidevtools/json-schema-ref-parser')) as RefParserModule;
  const files: string[] = [];
  const parsed = new Map<string, ReturnType<ParseSpecText>>();
  // Each file's text: the ref parser rewrites the $refs of the data it was given, errors show them as written.
  const texts = new Map<string, string>();
  const problems: SortieError[] = [];
  // Why a file could not be read (no such file, a named pipe…), by absolute path, for the error.
  const unread = new Map<string, string>();
  const parser = new $RefParser();
  const root = resolvePath(path);
  let bundled: Record<string, unknown>;
  try {
    bundled = (await parser.bundle(path, {
      continueOnError: true,
      resolve: {
        external: true,
        http: false,
        file: false,
        sortie: {
          order: 1,
          canRead: (file: { url: string }) => !/^https?:/i.test(file.url),
          read: async (file: { url: string }) => {
            const absolute = toFilePath(file.url);
            // A $ref to a file that is no description (/etc/passwd, ~/.ssh/id_rsa in a description from
            // elsewhere) is not opened: its content would otherwise be parsed, shown in errors and carried in
            // a run plan sent to the agents. The error names the $ref.
            if (absolute !== root && !DESCRIPTION_FILE.test(absolute)) {
              unread.set(absolute, 'it is not a .json, .yaml or .yml file');
              throw Object.assign(new Error('it is not a .json, .yaml or .yml file'), { code: 'ENOTREGULAR' });
            }
            const bytes = await options.read(absolute).catch((error: unknown) => {
              unread.set(absolute, fileReadReason(error));
              throw error;
            });
            if (!files.includes(absolute)) files.push(absolute);
            return typeof bytes === 'string' ? bytes : Buffer.from(bytes).toString('utf8');
          },
        },
      },
      parse: {
        json: false,
        yaml: false,
        text: false,
        binary: false,
        sortie: {
          order: 1,
          canParse: true,
          parse: (file: { url: string; data: string | Buffer }) => {
            const absolute = toFilePath(file.url);
            const text = typeof file.data === 'string' ? file.data : file.data.toString('utf8');
            try {
              const source = options.parse(text, display(absolute));
              parsed.set(absolute, source);
              texts.set(absolute, text);
              return source.data;
            } catch (error) {
              if (error instanceof SortieError) problems.push(error);
              throw error;
            }
          },
        },
      },
    } as never)) as unknown as Record<string, unknown>;
  } catch (error) {
    if (problems.length > 0) throw specError(path, display, problems);
    // A file that parsed to nothing (empty, a bare null): the ref parser only says "Unable to parse <absolute path>".
    const empty = [...parsed].find(([, source]) => source.data === null || source.data === undefined)?.[0];
    if (empty !== undefined) throw emptyFileError(empty, path, display);
    throw specError(
      path,
      display,
      refProblems(error, path, parsed, display, unread, (file) => {
        const text = texts.get(file);
        return text === undefined ? undefined : options.parse(text, display(file));
      }),
    );
  }
  if (problems.length > 0) throw specError(path, display, problems);
  const version = readVersion(bundled, path, display, parsed.get(path));
  await checkDocument(bundled, path, display, parsed.get(path));
  const converted =
    version === '2.0' ? await convertSwagger2(bundled, path, display, parsed.get(path)) : { document: bundled, warnings: [] };
  // The root first, then the others in a stable order (they are read in parallel).
  return { ...converted, version, files: [files[0] ?? path, ...files.slice(1).sort()] };
}

function emptyFileError(file: string, root: string, display: (file: string) => string): SortieError {
  const location = { file: display(file), line: 1, column: 1, path: '$' };
  if (file === root) {
    return new SortieError(
      ErrorCode.INVALID_INPUT,
      'Not an OpenAPI description',
      `${display(root)} is not an OpenAPI 3.0/3.1 or Swagger 2.0 description (it is empty or null)`,
      { location, hint: 'the top level needs "openapi: 3.0.x", "openapi: 3.1.x" or "swagger: \'2.0\'"' },
    );
  }
  const problem = new SortieError(ErrorCode.INVALID_INPUT, 'Unresolvable $ref', `a $ref names ${display(file)}, which is empty or null`, {
    location,
  });
  return specError(root, display, [problem]);
}

function toFilePath(url: string): string {
  return url.startsWith('file:') ? fileURLToPath(url) : decodeURIComponent(url);
}

function specError(path: string, display: (file: string) => string, problems: SortieError[]): SortieError {
  const file = display(path);
  const flat = problems.flatMap((problem) => (problem.details.length > 0 ? problem.details : [problem]));
  const message = `${file} has ${flat.length} ${flat.length === 1 ? 'problem' : 'problems'}`;
  return new SortieError(ErrorCode.INVALID_INPUT, 'Invalid OpenAPI description', message, { location: { file }, details: flat });
}

interface RefError {
  message: string;
  code?: string;
  source?: string;
  path?: Array<string | number> | null;
  targetRef?: string;
  errors?: RefError[];
}

/** The problems of a failed bundling: each unresolvable `$ref` with the place of the `$ref` itself. */
function refProblems(
  error: unknown,
  root: string,
  parsed: ReadonlyMap<string, ReturnType<ParseSpecText>>,
  display: (file: string) => string,
  unread: ReadonlyMap<string, string>,
  /** A file parsed again from its text, its $refs as written. */
  reparse: (file: string) => ReturnType<ParseSpecText> | undefined,
): SortieError[] {
  const group = error as RefError;
  const asWritten = new Map<string, ReturnType<ParseSpecText> | undefined>();
  const written = (file: string) => {
    if (!asWritten.has(file)) asWritten.set(file, reparse(file));
    return asWritten.get(file);
  };
  const errors = Array.isArray(group.errors) ? group.errors : [group];
  return errors.map((item) => {
    const source = item.source === undefined ? undefined : toFilePath(item.source.replace(/#.*$/, ''));
    const where = item.path ?? [];
    // The $ref as written, in the file it is written in: `where` is a path from the root through the $refs
    // before it, which the file of the target (`source`, for a missing pointer) does not have.
    const asRef = writtenRef(where, root, written);
    const location: SourceLocation = asRef?.location ??
      parsed.get(source ?? '')?.locate([...where, '$ref']) ?? { file: display(source ?? '') };
    if (source === root && where.length === 0 && item.code === 'ERESOLVER') {
      const reason = unread.has(root) ? `: ${unread.get(root)}` : '';
      return new SortieError(ErrorCode.INVALID_INPUT, 'File not found', `cannot read ${display(root)}${reason}`, {
        location: { file: display(root) },
      });
    }
    let message = describeRefError(item, unread).replace(/"(\/[^"]+)"/g, (_, file: string) => `"${display(file)}"`);
    if (item.code === 'EMISSINGPOINTER' && asRef !== undefined)
      message = message.replace(/^the \$ref points at nothing: "[^"]*"/, `the $ref points at nothing: ${JSON.stringify(asRef.ref)}`);
    return new SortieError(ErrorCode.INVALID_INPUT, 'Unresolvable $ref', message, {
      location,
      hint: 'a $ref names a file relative to the file it is in, then # and a JSON pointer (e.g. "schemas.yaml#/Pet")',
    });
  });
}

type ParsedFile = (file: string) => ReturnType<ParseSpecText> | undefined;

/**
 * The `$ref` at `where` (a path from the root, through the `$ref`s on the way) as written: its value and
 * its location in the file it is in. Undefined when the way cannot be followed in the files read.
 */
function writtenRef(
  where: ReadonlyArray<string | number>,
  root: string,
  parsedFile: ParsedFile,
): { ref: string; location: SourceLocation } | undefined {
  let file = root;
  let inFile: Array<string | number> = [];
  let node: unknown = parsedFile(root)?.data;
  const refOf = (value: unknown): string | undefined =>
    value !== null && typeof value === 'object' && typeof (value as { $ref?: unknown }).$ref === 'string'
      ? (value as { $ref: string }).$ref
      : undefined;
  for (const segment of where) {
    // A $ref on the way is followed to the value it names (at most as many times as there are segments, against loops).
    for (let hops = 0, ref = refOf(node); ref !== undefined && hops <= where.length; hops++, ref = refOf(node)) {
      const hash = ref.indexOf('#');
      const target = hash === 0 ? file : resolvePath(dirname(file), decodeURI(hash < 0 ? ref : ref.slice(0, hash)));
      const pointer = hash < 0 ? '' : ref.slice(hash + 1);
      const tokens =
        pointer === ''
          ? []
          : pointer
              .split('/')
              .slice(1)
              .map((token) => decodeURIComponent(token).replaceAll('~1', '/').replaceAll('~0', '~'));
      file = target;
      inFile = tokens;
      node = parsedFile(target)?.data;
      for (const token of tokens) node = node !== null && typeof node === 'object' ? (node as Record<string, unknown>)[token] : undefined;
    }
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string | number, unknown>)[segment];
    inFile = [...inFile, segment];
  }
  const ref = refOf(node);
  const source = parsedFile(file);
  return ref === undefined || source === undefined ? undefined : { ref, location: source.locate([...inFile, '$ref']) };
}

function describeRefError(item: RefError, unread: ReadonlyMap<string, string>): string {
  const text = item.message.replace(/\s+/g, ' ').trim();
  if (item.code === 'EMISSINGPOINTER') return text.replace(/^Missing \$ref pointer/, 'the $ref points at nothing:');
  if (item.code === 'ERESOLVER' || item.code === 'EUNMATCHEDRESOLVER') {
    if (/^https?:/i.test(item.source ?? '')) return `remote $refs are not fetched: ${item.source ?? ''}`;
    const remote = /resolver for "(https?:[^"]*)"/i.exec(text)?.[1];
    if (remote !== undefined) return `remote $refs are not fetched: ${remote}`;
    // Why (no such file, a named pipe…), when the read was ours.
    const file = /"(\/[^"]+)"/.exec(text)?.[1];
    const reason = file === undefined ? undefined : unread.get(file);
    return `the $ref names a file that cannot be read: ${text.replace(/^Error opening file /, '')}${reason === undefined ? '' : ` (${reason})`}`;
  }
  return text;
}

function readVersion(
  document: Record<string, unknown>,
  path: string,
  display: (file: string) => string,
  source: ReturnType<ParseSpecText> | undefined,
): SpecVersion {
  if (document === null || typeof document !== 'object' || Array.isArray(document)) {
    const data = source?.data ?? document;
    const what = data === null ? 'null' : Array.isArray(data) ? 'a list' : typeof data === 'object' ? 'not an object' : `a ${typeof data}`;
    throw new SortieError(
      ErrorCode.INVALID_INPUT,
      'Not an OpenAPI description',
      `${display(path)} is not an OpenAPI 3.0/3.1 or Swagger 2.0 description (the top level is ${what}, not an object)`,
      {
        location: { file: display(path), line: 1, column: 1, path: '$' },
        hint: 'the top level needs "openapi: 3.0.x", "openapi: 3.1.x" or "swagger: \'2.0\'"',
      },
    );
  }
  const openapi = document.openapi;
  const swagger = document.swagger;
  if (typeof openapi === 'string' && /^3\.0\./.test(openapi)) return '3.0';
  if (typeof openapi === 'string' && /^3\.1\./.test(openapi)) return '3.1';
  if (swagger === '2.0') return '2.0';
  const key = openapi !== undefined ? 'openapi' : swagger !== undefined ? 'swagger' : undefined;
  const location = key === undefined ? { file: display(path) } : (source?.locate([key]) ?? { file: display(path) });
  const found = key === undefined ? 'neither "openapi" nor "swagger"' : `${key}: ${JSON.stringify(document[key])}`;
  throw new SortieError(
    ErrorCode.INVALID_INPUT,
    'Not an OpenAPI description',
    `${display(path)} is not an OpenAPI 3.0/3.1 or Swagger 2.0 description (${found})`,
    { location, hint: 'the top level needs "openapi: 3.0.x", "openapi: 3.1.x" or "swagger: \'2.0\'"' },
  );
}

/** Checks the bundled document against the OpenAPI / Swagger schema and the rules it cannot express. */
async function checkDocument(
  document: Record<string, unknown>,
  path: string,
  display: (file: string) => string,
  source: ReturnType<ParseSpecText> | undefined,
): Promise<void> {
  const { validate } = await import('@readme/openapi-parser');
  // `array-without-items` is a lint (and wrong for 3.1's `prefixItems` with `items: false`), not a rule of the format.
  const rules = { openapi: { 'array-without-items': 'warning' as const }, swagger: { 'array-without-items': 'warning' as const } };
  const result = await validate(structuredClone(document) as never, { validate: { errors: { colorize: false }, rules } });
  if (result.valid) return;
  const problems = result.errors.map((error) => {
    const { message, path: where } = splitValidationMessage(error.message, document);
    const location = where !== undefined && source !== undefined ? source.locate(where) : { file: display(path) };
    return new SortieError(ErrorCode.INVALID_INPUT, 'Invalid OpenAPI description', message, { location });
  });
  throw specError(path, display, problems);
}

/**
 * A validation message of @readme/openapi-parser: its first line, and the path of the line its code
 * frame marks with ">" (a line of the document pretty-printed as JSON).
 */
function splitValidationMessage(text: string, document: unknown): { message: string; path?: Array<string | number> } {
  const lines = text.split('\n');
  const message = (lines.find((line) => line.trim() !== '') ?? text).trim().replace(/^[A-Z_]+ (?=[a-z])/, '');
  const marked = lines.map((line) => /^>\s*(\d+) \|/.exec(line)).find((match) => match !== null);
  if (marked?.[1] === undefined) {
    // A semantic error (a path parameter missing…) names its place by an id, not a code frame.
    const named = pathOfValidatorId(message, document);
    return named === undefined ? { message } : { message, path: named };
  }
  const path = pathAtPrettyJsonLine(document, Number(marked[1]));
  return path === undefined ? { message } : { message, path };
}

/**
 * Swagger 2.0 → OpenAPI 3.0 with swagger2openapi (the converter of the OpenAPI tooling world), with the
 * warnings of what it could not convert as written, each at its place in the Swagger 2.0 file.
 */
async function convertSwagger2(
  document: Record<string, unknown>,
  path: string,
  display: (file: string) => string,
  source: ReturnType<ParseSpecText> | undefined,
): Promise<{ document: Record<string, unknown>; warnings: ConversionWarning[] }> {
  const module = (await import('swagger2openapi')) as typeof import('swagger2openapi') & { default?: typeof import('swagger2openapi') };
  const convertObj = module.convertObj ?? module.default?.convertObj;
  try {
    // A copy in which each YAML alias (`parameters: *common`) is an object of its own: swagger2openapi
    // refuses an object met twice ("YAML anchor or merge key"), which structuredClone would keep shared.
    const copy = JSON.parse(JSON.stringify(document)) as Record<string, unknown>;
    const { openapi } = await convertObj(copy, { patch: true, warnOnly: true, resolve: false, direct: false });
    const locate = (where: ReadonlyArray<string | number>) => source?.locate(where) ?? { file: display(path) };
    return { document: openapi, warnings: takeConversionWarnings(openapi, document, locate) };
  } catch (error) {
    const message = (error as Error).message;
    const where = conversionErrorPath(message, document);
    const location = where !== undefined && source !== undefined ? source.locate(where) : { file: display(path) };
    throw new SortieError(
      ErrorCode.INVALID_INPUT,
      'Invalid Swagger 2.0 description',
      `${display(path)} cannot be converted to OpenAPI 3.0: ${message}`,
      {
        location,
        ...(where?.[0] === undefined
          ? {}
          : { hint: `OpenAPI 3.0 component names are letters, digits, "_", "-" and "."; rename one of the two ${String(where[0])}` }),
      },
    );
  }
}

/** The sections whose names swagger2openapi makes component names, by the word its error uses. */
const SANITISED_SECTIONS: Record<string, string> = {
  securityScheme: 'securityDefinitions',
  parameter: 'parameters',
  response: 'responses',
};

/**
 * Where in the Swagger 2.0 document a conversion error is, from its message (swagger2openapi's errors carry
 * no path): "Duplicate sanitised parameter name a_b" is the name that becomes `a_b` as a component name
 * (OpenAPI 3.0, Components Object: its keys match ^[a-zA-Z0-9\.\-_]+$) while `a_b` is already one.
 * @see https://spec.openapis.org/oas/v3.0.3#components-object
 */
function conversionErrorPath(message: string, document: Record<string, unknown>): Array<string | number> | undefined {
  const duplicate = /^Duplicate sanitised (\w+) name (.+)$/.exec(message);
  const section = SANITISED_SECTIONS[duplicate?.[1] ?? ''];
  if (duplicate?.[2] === undefined || section === undefined) return undefined;
  const name = duplicate[2];
  const entries = document[section];
  const keys = entries !== null && typeof entries === 'object' ? Object.keys(entries) : [];
  // swagger2openapi's sanitise (oas-kit-common): "[]" as "Array", then each run of other characters as "_".
  const renamed = keys.find((key) => key !== name && key.replace('[]', 'Array').replace(/[^A-Za-z0-9_\-.]+|\s+/g, '_') === name);
  return [section, renamed ?? name];
}
