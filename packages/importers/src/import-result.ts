/** What an importer produces: Sortie files (as values), the secrets to set, and notes for the user. */
import { formatJsonPath, originPath, type PathSegment, type SourceOrigins, validateSource } from '@sortie/config';
import { EnvironmentSchema, ErrorCode, ProjectSchema, ScenarioSchema, SortieError, type SourceLocation } from '@sortie/core';
import { stringify } from 'yaml';

export type ImportedFileKind = 'scenario' | 'environment' | 'project';

export interface ImportedFile {
  /** Path relative to the output folder, without its extension (`scenarios/pets`). */
  path: string;
  kind: ImportedFileKind;
  value: Record<string, unknown>;
  /** Where parts of the value come from in the input (`auth.profiles.k` → a security scheme), for errors. */
  origins?: SourceOrigins;
}

/** A secret the imported files declare: set it in the process environment or a `.env` file. */
export interface ImportedSecret {
  name: string;
  /** What it holds, e.g. "client secret of the OAuth 2.0 scheme petstore_auth". */
  description: string;
}

export interface ImportResult {
  files: ImportedFile[];
  secrets: ImportedSecret[];
  /** What could not be imported as is, and why (printed by the CLI). */
  notes: string[];
  /** The input as shown in errors, and where a JSON path of it is (a file's line and column). */
  input?: { file: string; locate?: (path: ReadonlyArray<PathSegment>) => SourceLocation };
}

export type ImportFormat = 'yaml' | 'json';

const SCHEMAS = { scenario: ScenarioSchema, environment: EnvironmentSchema, project: ProjectSchema } as const;

/**
 * Every file as text in the format asked for, with its path and extension (`scenarios/pets.yaml`).
 * Each value is checked against its schema first: an importer never writes a file Sortie refuses.
 * @throws SortieError INVALID_INPUT when the input makes a file Sortie would refuse (an API key's header
 *   name that is empty): each problem at the place in the input it comes from, naming the file it would be.
 */
export function serializeImport(result: ImportResult, format: ImportFormat): Array<{ path: string; text: string }> {
  const problems = result.files.flatMap((file) =>
    SCHEMAS[file.kind].safeParse(file.value).success ? [] : fileProblems(result, file, format),
  );
  if (problems.length > 0) {
    const shown = result.input?.file ?? 'the input';
    throw new SortieError(
      ErrorCode.INVALID_INPUT,
      'Cannot import',
      `${shown} has ${problems.length} ${problems.length === 1 ? 'problem' : 'problems'}: Sortie would refuse the files it makes`,
      { location: { file: shown }, details: problems },
    );
  }
  return result.files.map((file) => {
    const text =
      format === 'json'
        ? `${JSON.stringify(file.value, null, 2)}\n`
        : stringify(file.value, { lineWidth: 0, aliasDuplicateObjects: false });
    return { path: `${file.path}.${format}`, text };
  });
}

/** The problems of a file an importer made, each located at its origin in the input when known. */
function fileProblems(result: ImportResult, file: ImportedFile, format: ImportFormat): SortieError[] {
  const input = result.input;
  const origins = file.origins ?? [];
  const written = `${file.path}.${format}`;
  const shown = input?.file ?? written;
  /** The JSON path in the input of each JSON path of the file located. */
  const sourcePaths = new Map<string, string>();
  const locate = (path: ReadonlyArray<PathSegment>): SourceLocation => {
    const from = originPath(path, origins);
    // A part with no origin in the input: the error names the input and the part of the file it would be.
    if (from.length === 0 || input?.locate === undefined) return { file: shown };
    const location = input.locate(from);
    for (const at of [path, path.slice(0, -1)])
      if (!sourcePaths.has(formatJsonPath(at))) sourcePaths.set(formatJsonPath(at), formatJsonPath(from));
    return location;
  };
  const checked = validateSource<unknown>(
    SCHEMAS[file.kind] as Parameters<typeof validateSource<unknown>>[0],
    { data: file.value, format: 'json', locate },
    shown,
  );
  if (!('errors' in checked)) return [];
  return checked.errors.map((error) => {
    const at = error.location?.path ?? '$';
    const { line, column } = error.location ?? {};
    const location: SourceLocation = {
      file: error.location?.file ?? shown,
      ...(line === undefined || column === undefined ? {} : { line, column }),
      path: sourcePaths.get(at) ?? at,
    };
    return new SortieError(ErrorCode.INVALID_INPUT, error.title, `${error.message} (${at} of the ${file.kind} ${written} it makes)`, {
      location,
      ...(error.hint === undefined ? {} : { hint: error.hint }),
    });
  });
}

/**
 * Text copied from the input as Sortie template text that renders back to itself: every `{{` becomes
 * `\{{` (a literal `{{`), so a recorded `{{name}}` is sent as written, not looked up as a variable.
 * Arrays and objects are escaped deeply, keys included (request parts render their keys too).
 */
export function literal<T>(value: T): T {
  if (typeof value === 'string') return value.replaceAll('{{', '\\{{') as T;
  if (Array.isArray(value)) return value.map((item) => literal(item)) as T;
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [literal(key), literal(item)])) as T;
  }
  return value;
}

/** A file or secret name made of lower-case words: `Pet Store!` → `pet-store`. */
export function slugify(text: string, fallback: string): string {
  const slug = text
    .normalize('NFKD')
    // The accents NFKD split off (combining marks) go: é → e, not e-.
    .replace(/\p{M}+/gu, '')
    .replace(/[^A-Za-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .toLowerCase();
  return slug === '' ? fallback : slug.slice(0, 60);
}

/** An environment variable name for a secret: `petstore_auth` + `client secret` → `PETSTORE_AUTH_CLIENT_SECRET`. */
export function secretName(...parts: string[]): string {
  const name = parts
    .join('_')
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .toUpperCase();
  return /^[A-Z_]/.test(name) ? name : `_${name}`;
}

/** Collects secret declarations, each name once. */
export class SecretRegistry {
  private readonly byName = new Map<string, ImportedSecret>();

  /** Declares a secret and returns the template that reads it (`{{NAME}}`). */
  declare(name: string, description: string): string {
    if (!this.byName.has(name)) this.byName.set(name, { name, description });
    return `{{${name}}}`;
  }

  get list(): ImportedSecret[] {
    return [...this.byName.values()];
  }

  get names(): string[] {
    return [...this.byName.keys()];
  }
}
