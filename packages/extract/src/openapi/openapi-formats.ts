/**
 * The formats OpenAPI defines on top of JSON Schema's, for Ajv: `int32`, `int64`, `float`,
 * `double`, `byte` (base64), `binary` and `password` (any string).
 * @see https://spec.openapis.org/oas/v3.1.0#data-types
 */
import type { Ajv2020 } from 'ajv/dist/2020.js';

const INT32 = 2 ** 31;

export function addOpenApiFormats(ajv: Ajv2020): void {
  ajv.addFormat('int32', { type: 'number', validate: (value: number) => Number.isInteger(value) && value >= -INT32 && value < INT32 });
  ajv.addFormat('int64', { type: 'number', validate: (value: number) => Number.isInteger(value) });
  ajv.addFormat('float', { type: 'number', validate: (value: number) => Number.isFinite(value) });
  ajv.addFormat('double', { type: 'number', validate: (value: number) => Number.isFinite(value) });
  ajv.addFormat('byte', /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/);
  ajv.addFormat('binary', true);
  ajv.addFormat('password', true);
}
