/** One way a response breaks the contract. */
export interface ContractViolation {
  /** What was checked: `operation`, `status`, `contentType`, `schema`, `header`. */
  check: 'operation' | 'status' | 'contentType' | 'schema' | 'header';
  /** JSON pointer into the response body (schema), or the header (`/headers/x-rate-limit`). */
  pointer?: string;
  expected?: unknown;
  actual?: unknown;
  message: string;
}
