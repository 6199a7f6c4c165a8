/**
 * @sortie/extract — selectors (status, header, cookie, JSONPath, XPath, regex, body, response
 * time, variable) shared by assertions and extractions, and the assertion operators. Pure
 * functions over an HttpResponse; the body is decoded and parsed at most once per response.
 */
export {
  compareOperands,
  EXPRESSION_OPERATORS,
  type ExpressionOperator,
  isQuotedOperand,
  type ParsedCondition,
  parseCondition,
  readLiteralOperand,
  unquoteOperand,
} from './condition-expression.js';
export { evaluateAssertion, findSelector } from './evaluate-assertion.js';
export { evaluateExtraction } from './evaluate-extraction.js';
export { loadSelectorSupport, type SelectorNeeds } from './lazy-modules.js';
export { Contract, type ContractOutcome, type ContractRequest, type ContractViolation } from './openapi/contract.js';
export type { ConversionWarning } from './openapi/conversion-warnings.js';
export { evaluateContract } from './openapi/evaluate-contract.js';
export { loadContract } from './openapi/load-contract.js';
export {
  type LoadDocumentOptions,
  type LoadedDocument,
  loadOpenApiDocument,
  type ParseSpecText,
  type ReadSpecFile,
  type SpecVersion,
} from './openapi/load-document.js';
export { HTTP_METHODS, indexOperations } from './openapi/operations.js';
export { applyOperator, type OperatorOutcome } from './operators.js';
export { execPattern, PATTERN_TIME_LIMIT_MS } from './run-pattern.js';
export { describeSelector, inexactNumberError, select } from './select.js';
export { type JsonNode, selectFirstJsonNode } from './select-json-node.js';
export { isDefinitePath } from './select-jsonpath.js';
export type { Selection, SelectionContext, SelectorArgument } from './types.js';
