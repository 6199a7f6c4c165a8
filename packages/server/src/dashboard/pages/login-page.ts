import { html } from '../html.js';
import { renderLayout } from './layout.js';

/** The sign-in page: one password field for an API token, sent by POST (never in a URL). */
/** `next`: the page to go to once signed in (a local path the server checked). */
export function renderLoginPage(options: { version: string; error?: string; next?: string | undefined }): string {
  const body = html`<main class="login">
<h1>Sign in</h1>
<p>Paste an API token of this server. <code>sortie server token create --scope read|submit|admin</code> makes one.</p>
${options.error === undefined ? '' : html`<p class="error" role="alert">${options.error}</p>`}
<form method="post" action="/login">${options.next === undefined ? '' : html`<input type="hidden" name="next" value="${options.next}">`}
<label for="token">API token</label>
<input id="token" name="token" type="password" autocomplete="off" spellcheck="false" required autofocus>
<button type="submit">Sign in</button>
</form>
<p class="note">The token stays on the server: your browser keeps only a session cookie that scripts cannot read, until you sign out or close the browser.</p>
</main>`;
  return renderLayout({ title: 'Sign in', version: options.version, body });
}
