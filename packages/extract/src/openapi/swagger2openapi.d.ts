/** The part of swagger2openapi (no published types) that Sortie uses. */
declare module 'swagger2openapi' {
  export function convertObj(document: unknown, options: Record<string, unknown>): Promise<{ openapi: Record<string, unknown> }>;
}
