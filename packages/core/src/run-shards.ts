/**
 * Most shards a remote run may be split into (`sortie run --remote --shards`, a submission's
 * `options.shards`): the CLI and the server's check of a submission say the same.
 */
export const MAX_SHARDS = 64;
