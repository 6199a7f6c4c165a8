import { ErrorCode, SortieError } from '@sortie/core';
import type { Attr, Node, Document as XmlDocument } from '@xmldom/xmldom';
import { getXmlModules } from './lazy-modules.js';
import type * as xpath from './xpath-engine.cjs';

/** DOM nodeType of an attribute. */
const ATTRIBUTE_NODE = 2;

/** DOM nodeType of the document (the root node of XPath). */
const DOCUMENT_NODE = 9;

/**
 * Text of a node, its XPath string-value: an attribute's value, an element's text content, a text
 * node's data; for the root node (`/`), the text of the document element (xmldom gives none).
 * @see https://www.w3.org/TR/1999/REC-xpath-19991116/#root-node
 */
function getNodeText(node: Node): string {
  if (node.nodeType === ATTRIBUTE_NODE) return (node as Attr).value;
  if (node.nodeType === DOCUMENT_NODE) return (node as XmlDocument).documentElement?.textContent ?? '';
  return node.textContent ?? node.nodeValue ?? '';
}

/**
 * Evaluates an XPath 1.0 expression over a parsed XML document, with `namespaces` mapping the
 * prefixes used in the expression (e.g. `soap`) to namespace URIs. A node-set gives the text of its
 * first node (or, with `all`, the texts of every node) and is found when not empty; an expression of
 * another type (`count()`, `string()`, a comparison) gives that number, string or boolean.
 * @see https://www.w3.org/TR/1999/REC-xpath-19991116/#section-Expressions
 * @throws SortieError(SELECTOR) when the expression is invalid or uses an unknown prefix.
 */
export function selectXPath(
  document: XmlDocument,
  path: string,
  namespaces: Record<string, string> | undefined,
  all: boolean,
): { found: boolean; value: unknown } {
  let result: xpath.SelectReturnType;
  try {
    const engine = getXmlModules().xpath;
    const select = namespaces === undefined ? engine.select : engine.useNamespaces(namespaces);
    result = select(path, document);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new SortieError(ErrorCode.SELECTOR, 'Invalid XPath', `Cannot evaluate XPath ${path}: ${detail}`, { cause: error });
  }
  if (Array.isArray(result)) {
    const nodes = result;
    if (nodes.length === 0) return { found: false, value: undefined };
    return { found: true, value: all ? nodes.map(getNodeText) : getNodeText(nodes[0]!) };
  }
  if (result !== null && typeof result === 'object') return { found: true, value: getNodeText(result) };
  return { found: result !== null && result !== undefined, value: result };
}
