/**
 * A short one-line excerpt of an error response that carries no OAuth error fields (RFC 6749 §5.2): the HTML
 * page or plain text a proxy, a gateway or a crashed server answers a token request with. Only the `<title>` of
 * an HTML page (or its text without markup), whitespace folded, at most 200 characters. Long token-like runs are
 * masked: a body that is no token response was never parsed for tokens, so none of its values is registered
 * with the redactor (registered secrets, like an echoed client secret, are redacted later as in any message).
 */

/** Longest excerpt, in characters (as curl's and Newman's one-line summaries). */
const MAX_EXCERPT = 200;

/** A run that looks like a token, a key or a JWT: 32 or more characters with no space. */
const TOKEN_LIKE = /[A-Za-z0-9._~+/=-]{32,}/g;

function decodeEntities(text: string): string {
  return text
    .replace(/&nbsp;/gi, ' ')
    .replace(/&lt;/gi, '<')
    .replace(/&gt;/gi, '>')
    .replace(/&quot;/gi, '"')
    .replace(/&#39;|&apos;/gi, "'")
    .replace(/&amp;/gi, '&');
}

/** The excerpt of `text`, or undefined when it has no readable text. */
export function excerptBody(text: string, contentType: string | undefined): string | undefined {
  let readable = text;
  if ((contentType ?? '').includes('html') || /^\s*</.test(text)) {
    const title = /<title[^>]*>([\s\S]*?)<\/title>/i.exec(text)?.[1];
    readable =
      title !== undefined && title.trim() !== ''
        ? title
        : text.replace(/<(script|style)[^>]*>[\s\S]*?<\/\1>/gi, ' ').replace(/<[^>]*>/g, ' ');
    readable = decodeEntities(readable);
  }
  // One line: control characters and runs of whitespace become one space.
  readable = readable.replace(/[\u0000-\u001f\u007f\s]+/g, ' ').trim();
  readable = readable.replace(TOKEN_LIKE, '[…]');
  if (readable === '') return undefined;
  return readable.length > MAX_EXCERPT ? `${readable.slice(0, MAX_EXCERPT - 1)}…` : readable;
}
