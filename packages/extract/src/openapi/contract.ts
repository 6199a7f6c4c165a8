/**
 * A contract: an OpenAPI description loaded and compiled once per run, that checks a response
 * against the operation it answers — the status is documented, the content type is documented,
 * the body validates against the response schema, and the required response headers are present.
 * @see https://spec.openapis.org/oas/v3.1.0#responses-object
 */
import { getHeaderValues, type HttpResponse } from '@sortie/core';
import type { ValidateFunction } from 'ajv';
import type { Ajv2020 } from 'ajv/dist/2020.js';
import { getSchemaModules } from '../lazy-modules.js';
import { getBodyText, getJsonBody } from '../response-cache.js';
import type { LoadedDocument } from './load-document.js';
import { addOpenApiFormats } from './openapi-formats.js';
import { escapePointer, indexOperations, matchOperation, type OperationEntry, resolveRef } from './operations.js';
import { toResponseDialect } from './schema-dialect.js';
import { describeSchemaErrors } from './schema-errors.js';
import type { ContractViolation } from './violation.js';

export type { ContractViolation } from './violation.js';

export interface ContractOutcome {
  /** The operation checked: its operationId, else `METHOD /path`. */
  operation?: string;
  violations: ContractViolation[];
}

/** The request a response answers: its method and URL. */
export interface ContractRequest {
  method: string;
  url: string;
}

const SCHEMA_ID = 'urn:sortie:openapi';

export class Contract {
  /** The description's file, as shown in messages. */
  readonly file: string;
  private readonly document: Record<string, unknown>;
  private readonly operations: OperationEntry[];
  private readonly ajv: Ajv2020;
  private readonly validators = new Map<string, ValidateFunction>();

  constructor(loaded: LoadedDocument, file: string) {
    this.file = file;
    this.document = toResponseDialect(loaded.document);
    this.operations = indexOperations(this.document);
    const { Ajv2020, addFormats } = getSchemaModules();
    this.ajv = new Ajv2020({
      allErrors: true,
      strict: false,
      logger: false,
      verbose: true,
      validateSchema: false,
      code: { regExp: lenientRegExp },
    });
    addFormats(this.ajv as never);
    addOpenApiFormats(this.ajv);
    this.ajv.addSchema(this.document, SCHEMA_ID);
  }

  /** The operationIds of the description, for suggestions. */
  get operationIds(): string[] {
    return this.operations.flatMap((entry) => (entry.operationId === undefined ? [] : [entry.operationId]));
  }

  /** Whether the description has an operation with this id. */
  hasOperation(operationId: string): boolean {
    return this.operations.some((entry) => entry.operationId === operationId);
  }

  /**
   * Checks a response. `operationId` names the operation; without it the operation is the one the
   * request's method and path match. Never throws for what the response holds.
   */
  check(request: ContractRequest, response: HttpResponse, operationId?: string): ContractOutcome {
    const entry =
      operationId === undefined
        ? matchOperation(this.operations, request.method, response.url || request.url)
        : this.operations.find((candidate) => candidate.operationId === operationId);
    if (entry === undefined) {
      const wanted = operationId === undefined ? `${request.method.toUpperCase()} ${pathOf(request.url)}` : `operationId ${operationId}`;
      return {
        violations: [
          {
            check: 'operation',
            expected: operationId ?? `an operation for ${wanted}`,
            message: `${this.file} has no operation for ${wanted}`,
          },
        ],
      };
    }
    const name = entry.operationId ?? `${entry.method.toUpperCase()} ${entry.path}`;
    return { operation: name, violations: this.checkResponse(entry, response) };
  }

  private checkResponse(entry: OperationEntry, response: HttpResponse): ContractViolation[] {
    const responses = isObject(entry.operation.responses) ? entry.operation.responses : {};
    const key = findResponseKey(responses, response.status);
    if (key === undefined) {
      const documented = Object.keys(responses);
      return [
        {
          check: 'status',
          expected: documented,
          actual: response.status,
          message: `status ${response.status} is not documented (documented: ${documented.join(', ') || 'none'})`,
        },
      ];
    }
    // A response is often shared: a $ref to components/responses.
    const { value: documented, pointer } = resolveRef(this.document, responses[key], `${entry.pointer}/responses/${escapePointer(key)}`);
    if (!isObject(documented)) return [];
    return [...this.checkHeaders(documented, response), ...this.checkBody(documented, pointer, key, response)];
  }

  private checkHeaders(documented: Record<string, unknown>, response: HttpResponse): ContractViolation[] {
    const headers = isObject(documented.headers) ? documented.headers : {};
    const violations: ContractViolation[] = [];
    for (const [name, raw] of Object.entries(headers)) {
      const header = resolveRef(this.document, raw, '').value; // a $ref to components/headers
      if (name.toLowerCase() === 'content-type' || !isObject(header) || header.required !== true) continue;
      if (getHeaderValues(response.headers, name).length === 0) {
        violations.push({
          check: 'header',
          pointer: `/headers/${name.toLowerCase()}`,
          expected: 'present',
          message: `the required header ${name} is missing`,
        });
      }
    }
    return violations;
  }

  private checkBody(documented: Record<string, unknown>, pointer: string, key: string, response: HttpResponse): ContractViolation[] {
    const content = isObject(documented.content) ? documented.content : undefined;
    const hasBody = response.body.byteLength > 0;
    const contentType = (getHeaderValues(response.headers, 'content-type')[0] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
    if (content === undefined || Object.keys(content).length === 0) {
      if (!hasBody) return [];
      return [
        {
          check: 'contentType',
          expected: 'no body',
          actual: contentType || 'a body',
          message: `response ${key} documents no body, but it has one${contentType === '' ? '' : ` (${contentType})`}`,
        },
      ];
    }
    const documentedTypes = Object.keys(content);
    if (!hasBody && contentType === '') return [];
    const mediaType = findMediaType(documentedTypes, contentType);
    if (mediaType === undefined) {
      return [
        {
          check: 'contentType',
          expected: documentedTypes,
          actual: contentType || undefined,
          message: `content type ${contentType === '' ? '(none)' : contentType} is not documented for ${key} (documented: ${documentedTypes.join(', ')})`,
        },
      ];
    }
    const media = content[mediaType];
    if (!isObject(media) || !isObject(media.schema)) return [];
    const isJson = /[/+]json$/.test(contentType) || contentType === '' || /[/+]json$/.test(mediaType);
    let body: unknown;
    if (isJson) {
      try {
        body = getJsonBody(response);
      } catch (error) {
        return [{ check: 'schema', pointer: '', expected: 'JSON', message: `the body is not JSON: ${(error as Error).message}` }];
      }
    } else if (contentType.startsWith('text/')) {
      body = getBodyText(response);
    } else {
      return []; // binary and other bodies: nothing to validate against a JSON Schema
    }
    const schemaPointer = `${pointer}/content/${escapePointer(mediaType)}/schema`;
    let validate: ValidateFunction;
    try {
      validate = this.validator(schemaPointer);
    } catch (error) {
      // A schema Ajv cannot compile (a pattern that is no regular expression): the description's
      // fault, said as such, not a crash of the step.
      return [
        {
          check: 'schema',
          pointer: '',
          expected: 'a schema that can be compiled',
          message: `${this.file} #${schemaPointer} cannot be used to check a response: ${(error as Error).message}`,
        },
      ];
    }
    if (validate(body)) return [];
    return describeSchemaErrors(validate.errors ?? [], body);
  }

  /** The compiled validator of a schema of the description, by its JSON pointer (compiled once). */
  private validator(pointer: string): ValidateFunction {
    let validate = this.validators.get(pointer);
    if (validate === undefined) {
      validate = this.ajv.compile({ $ref: `${SCHEMA_ID}#${encodeURI(pointer)}` });
      this.validators.set(pointer, validate);
    }
    return validate;
  }
}

/**
 * Patterns as Unicode regular expressions (JSON Schema's), else as plain ones: descriptions escape
 * characters that need no escaping (`\:` in DigitalOcean's), which only the Unicode flag refuses.
 */
const lenientRegExp = Object.assign(
  (pattern: string, flags: string): RegExp => {
    try {
      return new RegExp(pattern, flags);
    } catch (error) {
      if (!flags.includes('u')) throw error;
      return new RegExp(pattern, flags.replace('u', ''));
    }
  },
  { code: 'new RegExp' },
);

/** The response a status answers: the exact code, then its range (`4XX`), then `default`. */
function findResponseKey(responses: Record<string, unknown>, status: number): string | undefined {
  const keys = Object.keys(responses);
  return (
    keys.find((key) => key === String(status)) ??
    keys.find((key) => key.toUpperCase() === `${String(status)[0]}XX`) ??
    keys.find((key) => key === 'default')
  );
}

/** The documented media type a content type falls under: exact, then `type/*`, then `*\/*`. */
function findMediaType(documented: readonly string[], contentType: string): string | undefined {
  const lower = documented.map((type) => type.toLowerCase().split(';')[0]?.trim() ?? '');
  const at = (wanted: string) => {
    const index = lower.indexOf(wanted);
    return index === -1 ? undefined : documented[index];
  };
  if (contentType === '') return documented.length === 1 ? documented[0] : undefined;
  const [type] = contentType.split('/');
  return at(contentType) ?? at(`${type}/*`) ?? at('*/*');
}

function pathOf(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return url;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
