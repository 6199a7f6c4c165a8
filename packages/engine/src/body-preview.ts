import { type BodyPreview, decodeBodyText, type Redactor } from '@sortie/core';

const TEXT_TYPE = /^(text\/|application\/(json|xml|javascript|x-www-form-urlencoded|graphql|soap\+xml|[\w.+-]+\+(json|xml)))/i;
const decoder = new TextDecoder('utf-8', { fatal: true });

/**
 * Builds the report form of a body: text when it is text (in the charset its Content-Type names, else
 * UTF-8), base64 otherwise, cut at `limit` bytes,
 * with every registered secret redacted (in the base64 too), also the first part of one the cut split.
 */
export function previewBody(
  bytes: Uint8Array | string | undefined,
  contentType: string | undefined,
  limit: number,
  redactor: Redactor,
): BodyPreview | undefined {
  if (bytes === undefined) return undefined;
  if (typeof bytes === 'string') {
    const size = Buffer.byteLength(bytes);
    const truncated = size > limit;
    const text = truncated ? decodeBodyText(Buffer.from(bytes).subarray(0, limit), undefined, true) : bytes;
    return { text: redactor.redact(text, truncated), size, truncated };
  }
  const size = bytes.byteLength;
  if (size === 0) return { text: '', size: 0, truncated: false };
  const truncated = size > limit;
  const kept = truncated ? bytes.subarray(0, limit) : bytes;
  if (isText(kept, contentType, truncated)) {
    // A cut text may end in the first part of a secret: redact(…, truncated) takes that too.
    return {
      text: redactor.redact(decodeBodyText(kept, contentType, truncated), truncated),
      size,
      truncated,
    };
  }
  // Binary bytes may hold a secret as text (a token inside a protobuf or a multipart file): its
  // base64 forms, registered at each byte alignment, find it in the base64 (the reports' last pass
  // did, but the events an agent streams to Redis carried it as it was).
  const base64 = Buffer.from(kept.buffer, kept.byteOffset, kept.byteLength).toString('base64');
  return { text: redactor.redact(base64, truncated), encoding: 'base64', size, truncated };
}

function isText(bytes: Uint8Array, contentType: string | undefined, truncated: boolean): boolean {
  if (contentType !== undefined && TEXT_TYPE.test(contentType)) return true;
  try {
    // A cut body may end inside a character: a stream decode of its own holds those bytes back.
    (truncated ? new TextDecoder('utf-8', { fatal: true }) : decoder).decode(bytes, { stream: truncated });
    return !bytes.includes(0);
  } catch {
    return false;
  }
}
