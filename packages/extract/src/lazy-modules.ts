/**
 * XML and JSON Schema support are heavy (xmldom + xpath, ajv) and most scenarios use neither, so
 * they are loaded with import() only when a scenario needs them: the engine calls
 * `loadSelectorSupport()` before the run, and selectors then use them synchronously.
 */
import { ErrorCode, SortieError } from '@sortie/core';

type XmlModules = { xmldom: typeof import('@xmldom/xmldom'); xpath: typeof import('./xpath-engine.cjs') };
type SchemaModules = {
  Ajv: typeof import('ajv').Ajv;
  Ajv2019: typeof import('ajv/dist/2019.js').Ajv2019;
  Ajv2020: typeof import('ajv/dist/2020.js').Ajv2020;
  AjvDraft04: typeof import('ajv-draft-04').default;
  draft06MetaSchema: Record<string, unknown>;
  addFormats: typeof import('ajv-formats').default;
};

let xml: XmlModules | undefined;
let schema: SchemaModules | undefined;

export interface SelectorNeeds {
  /** xpath selectors, or XML bodies (default true). */
  xml?: boolean;
  /** the `schema` operator (default true). */
  schema?: boolean;
}

/** Loads the libraries the given selectors need; cheap when they are loaded already. */
export async function loadSelectorSupport(needs: SelectorNeeds = {}): Promise<void> {
  const loads: Promise<void>[] = [];
  if (needs.xml !== false && xml === undefined) {
    loads.push(
      Promise.all([import('@xmldom/xmldom'), import('./xpath-engine.cjs')]).then(([xmldom, xpath]) => {
        xml = { xmldom: interop(xmldom, 'DOMParser'), xpath: interop(xpath, 'select') };
      }),
    );
  }
  if (needs.schema !== false && schema === undefined) {
    loads.push(
      Promise.all([
        import('ajv'),
        import('ajv/dist/2019.js'),
        import('ajv/dist/2020.js'),
        import('ajv-draft-04'),
        import('ajv/dist/refs/json-schema-draft-06.json', { with: { type: 'json' } }),
        import('ajv-formats'),
      ]).then(([a, b, c, d4, m6, f]) => {
        schema = {
          Ajv: interop(a, 'Ajv').Ajv,
          Ajv2019: interop(b, 'Ajv2019').Ajv2019,
          Ajv2020: interop(c, 'Ajv2020').Ajv2020,
          AjvDraft04: interop(d4, 'default').default,
          draft06MetaSchema: m6.default as Record<string, unknown>,
          addFormats:
            typeof f.default === 'function' ? f.default : (f.default as unknown as { default: SchemaModules['addFormats'] }).default,
        };
      }),
    );
  }
  await Promise.all(loads);
}

/** A CommonJS module imported dynamically: its exports are the namespace or its `default`, depending on the loader. */
function interop<T extends object>(namespace: T, expected: string): T {
  if (expected in namespace) return namespace;
  const fallback = (namespace as { default?: T }).default;
  return fallback !== undefined && expected in fallback ? fallback : namespace;
}

function notLoaded(what: string): SortieError {
  return new SortieError(ErrorCode.INTERNAL, 'Selector support not loaded', `${what} support was not loaded before the run`, {
    hint: 'call loadSelectorSupport() before evaluating selectors',
  });
}

export function getXmlModules(): XmlModules {
  if (xml === undefined) throw notLoaded('XML/XPath');
  return xml;
}

export function getSchemaModules(): SchemaModules {
  if (schema === undefined) throw notLoaded('JSON Schema');
  return schema;
}
