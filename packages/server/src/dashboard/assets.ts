/**
 * The dashboard's stylesheet and script, served as files by the server (`/assets/…`): the pages'
 * Content-Security-Policy allows no inline code. The script only enhances server-rendered pages:
 * the live progress of a run page (Server-Sent Events), in-place refresh of the run and agent
 * lists, and confirmation of a deletion. Markup it inserts comes from the server, which escaped it;
 * text it sets goes through `textContent`. Plain ES2017, no dependency, no network but the server.
 */

export const DASHBOARD_STYLE = `
:root{--ok:#2e7d32;--ko:#c62828;--err:#ef6c00;--run:#1565c0;--mute:#757575;--line:#ddd;--bg:#f6f7f9;--bar:#1f2933;font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;font-size:14px;color:#222}
body{margin:0;padding:0;max-width:none;background:#fff}
header.bar{display:flex;align-items:center;gap:1.5rem;background:var(--bar);color:#fff;padding:.6rem 1.5rem}
header.bar a{color:#e4e7eb;text-decoration:none}header.bar a:hover{color:#fff;text-decoration:underline}
.brand{font-weight:700;font-size:1.1rem;letter-spacing:.02em}
nav.top{display:flex;gap:1rem}nav.top a[aria-current=page]{color:#fff;font-weight:600;border-bottom:2px solid #7cc4fa}
.who{margin-left:auto;color:#cbd2d9;display:flex;align-items:center;gap:.5rem}.who strong{color:#fff}
.scope{background:#3e4c59;border-radius:3px;padding:0 .4rem;font-size:.85em}
.page{max-width:1280px;margin:0 auto;padding:1rem 1.5rem}
.page>main>h1{font-size:1.5rem;margin:.3rem 0 .8rem;display:block}
.page>main>h2,#live>h2,section.create>h2{display:block;font-size:1.15rem;margin:1rem 0 .4rem}
.foot{color:var(--mute);font-size:.85em;text-align:center;padding:1rem}
table.list{border-collapse:collapse;width:100%;margin:.3rem 0}
table.list th,table.list td{border:none;border-bottom:1px solid var(--line);padding:.35rem .5rem;text-align:left;vertical-align:middle}
td.name{overflow-wrap:anywhere;min-width:12ch}table.facts td{overflow-wrap:anywhere}
table.list thead th{background:var(--bg);font-weight:600}
table.list tbody tr:hover{background:#fbfbfc}
table.facts{border-collapse:collapse;margin:.5rem 0}table.facts th,table.facts td{border:1px solid var(--line);padding:.25rem .6rem;text-align:left}
table.facts th{background:var(--bg);font-weight:600}
.badge{display:inline-block;border-radius:10px;padding:0 .55rem;font-size:.85em;font-weight:600;color:#fff;background:var(--mute);text-transform:lowercase}
.page span.badge{color:#fff}
.badge.st-passed,.badge.st-live,.badge.st-active{background:var(--ok)}
.badge.st-failed,.badge.st-lost{background:var(--ko)}
.badge.st-error{background:var(--err)}
.badge.st-running,.badge.st-busy{background:var(--run)}
.badge.st-queued{background:#5f6b7a}
.badge.st-interrupted{background:#6a1b9a}
.badge.st-cancelled,.badge.st-paused{background:#9e9e9e}
.n-passed{color:var(--ok)}.n-failed{color:var(--ko)}.n-error{color:var(--err)}
.muted{color:var(--mute)}.empty{color:var(--mute);font-style:italic}
.run-id{margin:-.6rem 0 .6rem;font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.85em}
form.filters{display:flex;flex-wrap:wrap;gap:.8rem;align-items:center;margin:.5rem 0 .8rem}
form.inline{display:inline;margin:0 .3rem 0 0}
form.grid{display:flex;flex-wrap:wrap;gap:.8rem;align-items:center}
button{font:inherit;padding:.2rem .7rem;border:1px solid #9aa5b1;border-radius:4px;background:#fff;cursor:pointer}
button:hover{background:var(--bg)}button.danger{border-color:var(--ko);color:var(--ko)}
button.link{border:none;background:none;color:#cbd2d9;text-decoration:underline;padding:0}button.link:hover{color:#fff}
input,select{font:inherit;padding:.15rem .3rem;max-width:100%}form.grid label{max-width:100%}
.controls{margin:.3rem 0}.controls:empty{display:none}
.paging{display:flex;gap:1rem;margin:.6rem 0;align-items:center}
.error{color:var(--ko);font-weight:600}
ul.pools{margin:.3rem 0 .8rem;padding-left:1.2rem;overflow-wrap:anywhere}
main.login{max-width:32rem;margin:3rem auto}main.login form{display:flex;flex-direction:column;gap:.5rem;margin:1rem 0}
main.login input{padding:.4rem}main.login button{align-self:flex-start;padding:.3rem 1.2rem}.note{color:var(--mute);font-size:.9em}
#live{border:1px solid var(--line);border-radius:6px;padding:.3rem 1rem .8rem;margin:.8rem 0}
.live-state{color:#333}#live-counts{color:var(--mute);margin-left:.8rem}
ol.live li.live-scenario{list-style:none;margin:.6rem 0 .2rem}ol.live li.live-scenario h3{display:inline;font-size:1rem;margin:0}
ol.live li.live-path{color:var(--mute);font-size:.9em;margin:.3rem 0 0}
section.report{margin-top:1rem}
.downloads a{margin:0 .2rem}
@media (max-width:760px){header.bar{flex-wrap:wrap;row-gap:.3rem;padding:.5rem 1rem}.who{flex-wrap:wrap}.page{padding:.8rem 1rem}
table.list,table.facts{display:block;overflow-x:auto;max-width:100%}}
`;

export const DASHBOARD_SCRIPT = `
(function () {
  'use strict';
  document.addEventListener('submit', function (event) {
    var form = event.target;
    var question = form && form.getAttribute ? form.getAttribute('data-confirm') : null;
    if (question && !window.confirm(question)) event.preventDefault();
  });

  function setStatus(status) {
    var badges = document.querySelectorAll('[data-live-status]');
    for (var i = 0; i < badges.length; i++) {
      badges[i].textContent = status;
      badges[i].className = 'badge st-' + status;
    }
  }

  // Retries after a failure wait twice as long each time, up to a minute (they doubled without end:
  // after a server down for a few minutes, the page came back to life only half an hour later).
  var MAX_RETRY_MS = 60000;
  function later(delay) { return Math.min(delay * 2, MAX_RETRY_MS); }

  // Whether the session has ended (expired, signed out in another tab, its token deleted): then the
  // page goes to sign in and comes back here, through the server's /login?next=<page>.
  function signedOut(response) {
    var to = new URL(response.url);
    if (!response.redirected || !/^\\/login$/.test(to.pathname)) return false;
    window.location.href = to.pathname + to.search;
    return true;
  }

  // An open run's duration, counted on in the page from its start (as the server writes durations:
  // format.ts formatDuration), in the server's clock: the browser's may be off.
  var duration = document.getElementById('run-duration');
  var skewMs = duration ? Number(duration.getAttribute('data-now')) - Date.now() : 0;
  function formatDuration(ms) {
    if (Math.round(ms) < 1000) return Math.max(0, Math.round(ms)) + ' ms';
    if (Math.round(ms / 100) < 600) return (Math.round(ms / 100) / 10).toFixed(1) + ' s';
    var seconds = Math.round(ms / 1000);
    var minutes = Math.floor(seconds / 60);
    if (minutes < 60) return minutes + ' min ' + (seconds % 60) + ' s';
    return Math.floor(minutes / 60) + ' h ' + (minutes % 60) + ' min';
  }
  function tick() {
    var since = duration && duration.getAttribute('data-since');
    if (since) duration.textContent = formatDuration(Date.now() + skewMs - Number(since));
  }
  var ticking = duration ? window.setInterval(tick, 1000) : null;

  var live = document.getElementById('live');
  if (live && window.EventSource) {
    var list = document.getElementById('live-steps');
    var current = document.getElementById('live-current');
    var counts = document.getElementById('live-counts');
    var agent = document.getElementById('run-agent');
    var started = document.getElementById('run-started');
    var read = function (event) { return JSON.parse(event.data); };
    var retryMs = 1000;
    var connect = function () {
      var source = new EventSource(live.getAttribute('data-events'));
      source.addEventListener('open', function () { retryMs = 1000; });
      // The browser reconnects by itself after a dropped connection; an answer that is not a stream
      // (401 once signed out, 503 while Redis is away or too many live views are open) closes it for
      // good, and the page stood still, "Running…", for ever. It is opened again (its stream starts
      // over with a reset), or the page goes to sign in.
      source.addEventListener('error', function () {
        if (source.readyState !== EventSource.CLOSED) return;
        var delay = retryMs;
        retryMs = later(retryMs);
        window.setTimeout(function () {
          fetch(window.location.href, { credentials: 'same-origin', headers: { accept: 'text/html' } })
            .then(function (response) { if (!signedOut(response)) connect(); })
            .catch(connect);
        }, delay);
      });
      source.addEventListener('reset', function () {
        list.textContent = '';
        counts.textContent = '';
      });
      source.addEventListener('status', function (event) {
        var data = read(event);
        setStatus(data.status);
        if (data.agent && agent) agent.textContent = data.agent;
        if (data.started && started) started.textContent = data.started;
        // The first start seen (a shard that starts later does not move it back).
        if (typeof data.startedAt === 'number' && duration && !duration.getAttribute('data-since')) {
          duration.setAttribute('data-since', String(data.startedAt));
          tick();
        }
        if (data.status === 'running' && data.agent) current.textContent = 'Running on agent ' + data.agent + '…';
      });
      source.addEventListener('current', function (event) { current.textContent = read(event).text; });
      source.addEventListener('html', function (event) { list.insertAdjacentHTML('beforeend', read(event).html); });
      source.addEventListener('counts', function (event) {
        var c = read(event);
        counts.textContent = c.passed + ' passed, ' + c.failed + ' failed, ' + c.error + ' errored, ' + c.skipped + ' skipped';
      });
      source.addEventListener('end', function (event) {
        source.close();
        if (ticking !== null) window.clearInterval(ticking);
        setStatus(read(event).status);
        current.textContent = 'Finished: loading the report…';
        window.location.reload();
      });
    };
    connect();
  }

  var FOCUSABLE = 'a[href],button,input,select,textarea,[tabindex]';
  // The element of a refreshed region that takes the focus the old one had: the link to the same
  // address, else the control at the same place. Replacing the region dropped a keyboard user's
  // focus to the top of the page every refresh (every 2 s while a run is open).
  function sameControl(old, fresh, focused) {
    var before = old.querySelectorAll(FOCUSABLE);
    var after = fresh.querySelectorAll(FOCUSABLE);
    var href = focused.getAttribute('href');
    if (href !== null) {
      for (var i = 0; i < after.length; i++) if (after[i].getAttribute('href') === href) return after[i];
    }
    var index = Array.prototype.indexOf.call(before, focused);
    return index >= 0 && index < after.length ? after[index] : null;
  }

  function refresh(id, delay) {
    window.setTimeout(function () {
      if (document.hidden) return refresh(id, delay);
      fetch(window.location.href, { credentials: 'same-origin', headers: { accept: 'text/html' } })
        .then(function (response) {
          if (signedOut(response)) return null;
          // A 503 while Redis restarts, a 502 of a proxy while the server does: tried again later
          // (the refresh stopped for good, and the list stood still until a reload).
          if (!response.ok) throw new Error('HTTP ' + response.status);
          return response.text();
        })
        .then(function (text) {
          var old = document.getElementById(id);
          if (text === null || old === null) return;
          var fresh = new DOMParser().parseFromString(text, 'text/html').getElementById(id);
          if (fresh === null) return;
          var focused = document.activeElement && old.contains(document.activeElement) ? document.activeElement : null;
          var node = document.importNode(fresh, true);
          old.replaceWith(node);
          var next = focused === null ? null : sameControl(old, node, focused);
          if (next !== null) next.focus({ preventScroll: true });
          refresh(id, Number(fresh.getAttribute('data-refresh-ms')) || delay);
        })
        .catch(function () { refresh(id, later(delay)); });
    }, delay);
  }
  var regions = document.querySelectorAll('.region[data-refresh-ms]');
  for (var i = 0; i < regions.length; i++) refresh(regions[i].id, Number(regions[i].getAttribute('data-refresh-ms')));
})();
`;
