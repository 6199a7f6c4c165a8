import { scopeAllows } from '../../api-tokens.js';
import type { TokenScope } from '../../store/store.js';
import { type Html, html } from '../html.js';

/** Who looks at a page: the name and scope of the API token the session signed in with, and the session's form token. */
export interface Viewer {
  tokenName: string;
  scope: TokenScope;
  csrf: string;
}

export type Section = 'runs' | 'agents' | 'schedules';

export interface LayoutOptions {
  title: string;
  version: string;
  viewer?: Viewer;
  active?: Section;
  body: Html;
  /** Extra stylesheets and scripts (served by the dashboard: the HTML report's ones on a run page). */
  styles?: string[];
  scripts?: string[];
}

/** Whether the viewer may use a control that needs `scope`; controls it may not use are left out of the page. */
export function may(viewer: Viewer | undefined, scope: TokenScope): boolean {
  return viewer !== undefined && scopeAllows(viewer.scope, scope);
}

/** The hidden field every POST form of a session carries. */
export function csrfField(viewer: Viewer): Html {
  return html`<input type="hidden" name="_csrf" value="${viewer.csrf}">`;
}

/** A one-button POST form. */
export function postButton(viewer: Viewer, action: string, label: string, options: { className?: string; confirm?: string } = {}): Html {
  return html`<form method="post" action="${action}" class="inline"${options.confirm === undefined ? '' : html` data-confirm="${options.confirm}"`}>${csrfField(viewer)}<button type="submit"${options.className === undefined ? '' : html` class="${options.className}"`}>${label}</button></form>`;
}

const NAV: Array<[Section, string, string]> = [
  ['runs', '/', 'Runs'],
  ['agents', '/agents', 'Agents'],
  ['schedules', '/schedules', 'Schedules'],
];

/** A whole dashboard page. Styles and scripts are files of the server (the Content-Security-Policy allows nothing inline). */
export function renderLayout(options: LayoutOptions): string {
  const { viewer } = options;
  // The dashboard's own style comes last: it wins over the report's where both style the same element.
  const styles = [...(options.styles ?? []), '/assets/dashboard.css'];
  const scripts = ['/assets/dashboard.js', ...(options.scripts ?? [])];
  const nav =
    viewer === undefined
      ? ''
      : html`<nav class="top" aria-label="Dashboard">${NAV.map(
          ([section, href, label]) => html`<a href="${href}"${section === options.active ? html` aria-current="page"` : ''}>${label}</a>`,
        )}</nav><div class="who">Signed in with <strong>${viewer.tokenName}</strong> <span class="scope">${viewer.scope}</span> ${postButton(
          viewer,
          '/logout',
          'Sign out',
          { className: 'link' },
        )}</div>`;
  return html`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="same-origin">
<title>${options.title} · Sortie</title>
${styles.map((href) => html`<link rel="stylesheet" href="${href}">\n`)}</head>
<body>
<header class="bar"><a class="brand" href="/">Sortie</a>${nav}</header>
<div class="page">
${options.body}
</div>
<footer class="foot">sortie server ${options.version}</footer>
${scripts.map((src) => html`<script src="${src}"></script>\n`)}</body>
</html>
`.value;
}
