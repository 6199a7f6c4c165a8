/**
 * Most reruns `--retry-failed N` may ask for (the CLI, a submission's `options.retryFailed`, the
 * library's `retryFailed`). Each rerun runs the whole scenario run again and keeps a record of every
 * earlier attempt in the reports, so N must stay small: a scenario that fails for good with
 * `--retry-failed 1e9` would otherwise run for ever and grow its attempts without end.
 */
export const MAX_RETRY_FAILED = 100;
