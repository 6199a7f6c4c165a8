/**
 * JSON Schemas (draft 2020-12) generated from the Zod schemas, for editors (`$schema` in a
 * scenario file) and other tools. Refinements that Zod cannot express in JSON Schema ("exactly
 * one selector", "at least one operator") are added here so that editors reject what Sortie rejects.
 */
import { AssertionSchema, EnvironmentSchema, OPERATOR_NAMES, ProcessorSchema, readExactlyOne, ScenarioSchema } from '@sortie/core';
import * as z from 'zod';

export interface JsonSchemaOptions {
  /** File name stem: the `$id` becomes `https://sortie.dev/schemas/<name>.schema.json`. */
  name: string;
  /** Top-level `title` (none by default). A title in the Zod schema's own metadata takes precedence. */
  title?: string;
  /** Top-level `description` (none by default). A description in the Zod schema's metadata takes precedence. */
  description?: string;
  /**
   * "input" (default) describes what may be written, so properties with defaults are optional;
   * "output" describes what Sortie writes (reports).
   */
  io?: 'input' | 'output';
  /** Sub-schemas emitted once under `$defs/<name>` and referenced, instead of inlined at every use (none by default). */
  definitions?: Record<string, z.ZodType>;
}

type JsonObject = Record<string, unknown>;

/**
 * Converts a Zod schema into a JSON Schema document (draft 2020-12, input mode by default so that
 * properties with defaults are optional), with `$id`, `title` and the descriptions of the Zod schema.
 * @see https://json-schema.org/draft/2020-12/json-schema-core
 * @see https://zod.dev/json-schema
 */
export function buildJsonSchema(schema: z.ZodType, options: JsonSchemaOptions): JsonObject {
  const generated = withDefinitionIds(options.definitions ?? {}, () =>
    z.toJSONSchema(schema, {
      target: 'draft-2020-12',
      io: options.io ?? 'input',
      unrepresentable: 'any',
      override: ({ zodSchema, jsonSchema }) => addRefinements(zodSchema, jsonSchema as JsonObject),
    }),
  ) as JsonObject;
  const { $schema, title, description, ...rest } = generated;
  const head: JsonObject = { $schema, $id: `https://sortie.dev/schemas/${options.name}.schema.json` };
  const shownTitle = title ?? options.title;
  const shownDescription = description ?? options.description;
  if (shownTitle !== undefined) head.title = shownTitle;
  if (shownDescription !== undefined) head.description = shownDescription;
  return { ...head, ...rest };
}

/** The JSON Schema of scenario files (schemas/scenario.schema.json). */
export function buildScenarioJsonSchema(): JsonObject {
  return buildJsonSchema(ScenarioSchema, {
    name: 'scenario',
    title: 'Sortie scenario',
    description: 'An API test scenario: variables, options and the steps Sortie runs in order.',
    definitions: { processor: ProcessorSchema, assertion: AssertionSchema },
  });
}

/** The JSON Schema of environment files (schemas/environment.schema.json). */
export function buildEnvironmentJsonSchema(): JsonObject {
  return buildJsonSchema(EnvironmentSchema, {
    name: 'environment',
    title: 'Sortie environment',
    description: 'Variables and services (named base URLs) a scenario runs against.',
  });
}

/**
 * Zod emits a schema under `$defs` when its metadata has an `id`. The ids are set on the global
 * registry only while `generate` runs (it is synchronous), then the previous metadata is restored.
 */
function withDefinitionIds<T>(definitions: Record<string, z.ZodType>, generate: () => T): T {
  const previous = Object.entries(definitions).map(([id, schema]) => {
    const meta = z.globalRegistry.get(schema);
    z.globalRegistry.add(schema, { ...meta, id });
    return { schema, meta };
  });
  try {
    return generate();
  } finally {
    for (const { schema, meta } of previous) {
      z.globalRegistry.remove(schema);
      if (meta !== undefined) z.globalRegistry.add(schema, meta);
    }
  }
}

/** Writes the "exactly one of" / "at least one of" rules of refined objects as oneOf / anyOf of `required`. */
function addRefinements(zodSchema: unknown, jsonSchema: JsonObject): void {
  const def = (zodSchema as { _zod?: { def?: { type?: string; shape?: JsonObject; checks?: unknown[] } } })._zod?.def;
  if (def?.type !== 'object' || def.shape === undefined || (def.checks ?? []).length === 0) return;
  const keys = Object.keys(def.shape);
  // The keys come from the schema's own check (core's requireExactlyOne), never from a list kept here.
  const exactlyOne = readExactlyOne(zodSchema as z.ZodType);
  if (exactlyOne !== undefined) {
    jsonSchema.oneOf = exactlyOne.map((key) => ({ required: [key] }));
  } else if (OPERATOR_NAMES.every((k) => keys.includes(k))) {
    jsonSchema.anyOf = OPERATOR_NAMES.map((key) => ({ required: [key] }));
  }
}
