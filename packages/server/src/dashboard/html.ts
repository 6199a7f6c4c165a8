/**
 * Markup that is safe by construction: `html` is a tagged template whose interpolated values are
 * escaped unless they already are `Html` (made by `html` itself, or by `trusted` for markup that
 * the reporters' renderers escaped). A page is built only from these, so a scenario name such as
 * `<img src=x onerror=…>` is text wherever it shows.
 */
import { escapeHtml } from '@sortie/reporters';

export class Html {
  readonly value: string;
  constructor(value: string) {
    this.value = value;
  }
  toString(): string {
    return this.value;
  }
}

export type HtmlPart = Html | string | number | undefined | null | false | readonly HtmlPart[];

function render(part: HtmlPart): string {
  if (part === undefined || part === null || part === false) return '';
  if (part instanceof Html) return part.value;
  if (Array.isArray(part)) return part.map(render).join('');
  return escapeHtml(String(part));
}

export function html(strings: TemplateStringsArray, ...values: HtmlPart[]): Html {
  let out = strings[0] ?? '';
  for (let i = 0; i < values.length; i++) out += render(values[i] as HtmlPart) + (strings[i + 1] ?? '');
  return new Html(out);
}

/** Markup escaped elsewhere: the HTML report's renderers (which escape every result string) and the agents' step views. */
export function trusted(markup: string): Html {
  return new Html(markup);
}
