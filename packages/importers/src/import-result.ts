/** What an importer produces: Sortie files (as values), the secrets to set, and notes for the user. */
import { EnvironmentSchema, ErrorCode, ProjectSchema, ScenarioSchema, SortieError } from '@sortie/core';
import { stringify } from 'yaml';

export type ImportedFileKind = 'scenario' | 'environment' | 'project';

export interface ImportedFile {
  /** Path relative to the output folder, without its extension (`scenarios/pets`). */
  path: string;
  kind: ImportedFileKind;
  value: Record<string, unknown>;
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
}

export type ImportFormat = 'yaml' | 'json';

const SCHEMAS = { scenario: ScenarioSchema, environment: EnvironmentSchema, project: ProjectSchema } as const;

/**
 * Every file as text in the format asked for, with its path and extension (`scenarios/pets.yaml`).
 * Each value is checked against its schema first: an importer never writes a file Sortie refuses.
 * @throws SortieError INTERNAL when an importer produced an invalid file (a bug).
 */
export function serializeImport(result: ImportResult, format: ImportFormat): Array<{ path: string; text: string }> {
  return result.files.map((file) => {
    const checked = SCHEMAS[file.kind].safeParse(file.value);
    if (!checked.success) {
      throw new SortieError(
        ErrorCode.INTERNAL,
        'Invalid import',
        `the imported ${file.kind} ${file.path} is not valid: ${checked.error.message}`,
      );
    }
    const text =
      format === 'json'
        ? `${JSON.stringify(file.value, null, 2)}\n`
        : stringify(file.value, { lineWidth: 0, aliasDuplicateObjects: false });
    return { path: `${file.path}.${format}`, text };
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
