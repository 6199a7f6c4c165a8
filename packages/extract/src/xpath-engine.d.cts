import type { Node } from '@xmldom/xmldom';

/** What an XPath expression evaluates to: a node-set, or a string, number or boolean. */
export type SelectReturnType = Node[] | Node | string | number | boolean | null;

/** Evaluates `expression` against `node`. */
export type XPathSelect = (expression: string, node: Node) => SelectReturnType;

/** Evaluates an XPath 1.0 expression against a node (no namespace prefixes). */
export declare const select: XPathSelect;

/** Returns a `select` that resolves the given prefix → namespace URI map. */
export declare function useNamespaces(namespaceMap: Record<string, string>): XPathSelect;
