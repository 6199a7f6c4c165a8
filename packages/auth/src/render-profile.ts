/**
 * Rendering a profile's templates. Every field of a profile is text (a token, a key, a user name, a URL), so a
 * template that is exactly one `{{x}}` gives the variable as text, whatever its type: a key read from a JSON
 * environment as a number is sent, signed and redacted as the string it is. Only the free-form JSON of a profile
 * (JWT claims and JOSE header, a login's JSON body) keeps the variable's type, as a request body does.
 */
import { type RenderOptions, renderString, renderValue, type Variables } from '@sortie/template';

/** Fields whose value is free-form JSON: `payload`, `header` (jwt), `claims` (jwt_bearer), `json` (customToken). */
const TYPED_JSON_FIELDS: ReadonlySet<string> = new Set(['payload', 'header', 'claims', 'json']);

/** The profile with every template rendered: text fields as strings, free-form JSON with its types. */
export function renderProfile<T>(profile: T, vars: Variables, options?: RenderOptions): T {
  return renderText(profile, vars, options) as T;
}

function renderText(value: unknown, vars: Variables, options: RenderOptions | undefined): unknown {
  if (typeof value === 'string') return renderString(value, vars, options);
  if (Array.isArray(value)) return value.map((item) => renderText(item, vars, options));
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    Object.defineProperty(out, renderString(key, vars, options), {
      value: TYPED_JSON_FIELDS.has(key) ? renderValue(item, vars, options) : renderText(item, vars, options),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return out;
}
