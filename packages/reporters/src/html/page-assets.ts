/**
 * The inline stylesheet and script of the HTML report. Both only enhance the page: without them
 * (a Content-Security-Policy that blocks inline code, JavaScript turned off) every step and every
 * failure is still in plain HTML. The script adds the filters (failed only, by scenario, text
 * search), "expand/collapse all", and opens the step a `#anchor` points at. Written as ES5-level
 * code with no dependency; it must never contain a closing script tag.
 *
 * Each list of steps after the first 50 of a list (`ol.steps[start]`, see STEPS_PER_LIST) is
 * `content-visibility:auto` (CSS Containment 2 §4): the browser lays out and paints only the steps
 * near the viewport, which took a report of 5,000 steps from seconds of style, layout and paint to
 * a fraction of one. Find in page, anchors and the filters still reach them. The size guessed for
 * one not yet shown is 50 closed steps of 21 px.
 *
 * A name, URL or message without a space (a step named with 10,000 characters, a long query) is
 * broken anywhere (`overflow-wrap:anywhere`, CSS Text 3 §5.5) in step lines, problems, headings and
 * table cells, and the scenario menu is kept within the filters: such a name made the page 100,000 px
 * wide. A table still scrolls sideways on a phone when its words do not fit.
 */

export const PAGE_STYLE = `
:root{--ok:#2e7d32;--ko:#c62828;--err:#ef6c00;--skip:#757575;--line:#ddd;--bg:#fafafa;font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;font-size:14px;color:#222}
body{margin:0 auto;padding:1rem 1.5rem;max-width:1200px;background:#fff}
h1{font-size:1.5rem;margin:.2rem 0}h2{font-size:1.15rem;margin:.4rem 0;display:inline}h3{font-size:1rem}.detail h3{font-size:.95rem;margin:.8rem 0 .3rem}
.tool{color:#666;margin:0 0 .5rem}
table{border-collapse:collapse;margin:.3rem 0}th,td{border:1px solid var(--line);padding:.2rem .5rem;text-align:left;vertical-align:top}
@media (max-width:600px){body{padding:.5rem}table{display:block;max-width:100%;overflow-x:auto}}
caption{text-align:left;font-weight:600;padding:.3rem 0}table.summary th{background:var(--bg)}
#index{margin:1rem 0}#index h2{display:block}
code,pre{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.9em}
pre{background:var(--bg);border:1px solid var(--line);padding:.5rem;overflow:auto;max-height:30rem;white-space:pre-wrap;word-break:break-all;margin:.2rem 0}
.st-passed>.st,.st-passed .st:first-child,strong.st-passed,span.st-passed{color:var(--ok)}
.st-failed>details>summary .st,strong.st-failed,span.st-failed,tr.st-failed td:nth-child(2){color:var(--ko)}
.st-error>details>summary .st,strong.st-error,span.st-error,tr.st-error td:nth-child(2){color:var(--err)}
.st-skipped>details>summary .st{color:var(--skip)}
.st-passed>details>summary .st{color:var(--ok)}
.st{font-weight:600;display:inline-block;min-width:5.5em}
ol.steps{list-style:none;padding-left:1.2rem;margin:.2rem 0;border-left:2px solid var(--line)}
ol.steps[start]{margin-top:-.2rem;content-visibility:auto;contain-intrinsic-size:auto 1050px}
section.scenario{border:1px solid var(--line);border-radius:6px;margin:.8rem 0;padding:.4rem .8rem}
section.scenario>details>summary{cursor:pointer}
li.step{margin:.15rem 0}li.step>details>summary{cursor:pointer;padding:.1rem .2rem;border-radius:3px}
li.step>details>summary:hover{background:var(--bg)}
.timings,.body-label{color:#666;margin:.2rem 0}.kind{color:#555;font-style:italic}.name{font-weight:500}.req{color:#333;margin-left:.3rem}.code,.dur,.ign{color:#666}
.anchor{color:#aaa;text-decoration:none;margin-left:.3rem}.anchor:hover{color:#333}
li.step:target>details>summary,li.step.target>details>summary{background:#fff6d5}
.detail{margin:.2rem 0 .6rem 1.2rem;padding:.3rem .6rem;border-left:3px solid var(--line)}
ul.problems{margin:.1rem 0 .3rem 1.4rem;padding-left:1rem}ul.problems li.failure{color:var(--ko)}ul.problems li.error{color:var(--err)}
tr.ko td:first-child{color:var(--ko)}tr.ok td:first-child{color:var(--ok)}tr.skip td:first-child{color:var(--skip)}
.logs ol{padding-left:1rem}.logs pre{display:inline-block;margin:0;padding:.1rem .3rem;max-height:10rem}.log-warn .level{color:var(--err)}.log-error .level{color:var(--ko)}
.level{font-weight:600;display:inline-block;min-width:3em}
.ignored>details>summary{opacity:.8}
.phase,.flaky{font-size:.8em;padding:0 .35rem;border-radius:3px;margin-right:.3rem}.phase{background:#eceff1;color:#37474f}.flaky{background:#fff3cd;color:#8a5a00}
li.phase-teardown{border-left:2px dashed #b0bec5;padding-left:.3rem}ul.notes{margin:.2rem 0 .4rem 1rem;padding-left:1rem}ul.notes li.ko{color:var(--ko)}
figure.chart{margin:.5rem 0}figure.chart svg{max-width:100%;height:auto;border-radius:3px}
#filters{position:sticky;top:0;background:#fff;padding:.5rem 0;border-bottom:1px solid var(--line);z-index:1;display:flex;flex-wrap:wrap;gap:.8rem;align-items:center}
#filters[hidden]{display:none}#filters output{color:#666}#filters label{min-width:0;max-width:100%}#filters select{max-width:100%}
summary,ul.problems,td,h2{overflow-wrap:anywhere}
li.empty{color:#888;font-style:italic}
`;

export const PAGE_SCRIPT = `
(function () {
  'use strict';
  var form = document.getElementById('filters');
  if (!form) return;
  form.hidden = false;
  var failedBox = form.elements.namedItem('failed');
  var select = form.elements.namedItem('scenario');
  var search = form.elements.namedItem('q');
  var output = form.elements.namedItem('shown');
  var sections = Array.prototype.slice.call(document.querySelectorAll('section.scenario'));
  sections.forEach(function (section) {
    var option = document.createElement('option');
    option.value = section.id;
    option.textContent = section.getAttribute('data-title');
    select.appendChild(option);
  });
  var steps = null;
  function index() {
    if (steps !== null) return steps;
    var items = document.querySelectorAll('li.step');
    var byElement = new Map();
    steps = [];
    for (var i = 0; i < items.length; i++) {
      var el = items[i];
      var parentEl = el.parentElement && el.parentElement.closest('li.step');
      var info = {
        el: el,
        parent: parentEl ? byElement.get(parentEl) || null : null,
        section: el.closest('section.scenario'),
        container: el.classList.contains('container'),
        problem: el.hasAttribute('data-problem'),
        text: null,
        childShown: false
      };
      byElement.set(el, info);
      steps.push(info);
    }
    return steps;
  }
  // Lower-cased, each run of white space one space, as the page shows a name or message with a line
  // break in it (a search for what the reader sees, "newline second", found nothing).
  function squash(text) {
    return text.toLowerCase().replace(/\\s+/g, ' ');
  }
  function ownText(info) {
    if (info.text === null) {
      if (info.container) {
        var summary = info.el.querySelector(':scope > details > summary');
        var problems = info.el.querySelector(':scope > details > ul.problems');
        info.text = squash((summary ? summary.textContent : '') + ' ' + (problems ? problems.textContent : ''));
      } else {
        info.text = squash(info.el.textContent);
      }
    }
    return info.text;
  }
  // The <details> a filter opened to show what it found: closed again when the filters are cleared,
  // so the page reads as it did (a long loop that started collapsed is not left laid out in full).
  var openedByFilter = [];
  function openForFilter(details) {
    if (details === null || details.open) return;
    details.open = true;
    openedByFilter.push(details);
  }
  function apply() {
    var list = index();
    var onlyFailed = failedBox.checked;
    var query = squash(search.value).trim();
    var scenario = select.value;
    var active = onlyFailed || query !== '';
    var sectionShown = new Map();
    var shownCount = 0;
    var i;
    for (i = 0; i < list.length; i++) list[i].childShown = false;
    for (i = list.length - 1; i >= 0; i--) {
      var info = list[i];
      var inScenario = scenario === '' || (info.section !== null && info.section.id === scenario);
      var show = inScenario;
      if (show && active) {
        var own = (!onlyFailed || info.problem) && (query === '' || ownText(info).indexOf(query) >= 0);
        show = own || info.childShown;
      }
      info.el.hidden = !show;
      if (!show) continue;
      if (!info.container) shownCount++;
      if (info.parent !== null) info.parent.childShown = true;
      else if (info.section !== null) sectionShown.set(info.section, true);
      if (active && info.container && info.childShown) openForFilter(info.el.querySelector(':scope > details'));
    }
    sections.forEach(function (section) {
      var inScenario = scenario === '' || section.id === scenario;
      var show = inScenario && (!active || sectionShown.has(section) || (onlyFailed && query === '' && section.hasAttribute('data-problem') && !section.querySelector('li.step')));
      section.hidden = !show;
      if (show && active) openForFilter(section.querySelector(':scope > details'));
    });
    if (!active) {
      for (i = 0; i < openedByFilter.length; i++) openedByFilter[i].open = false;
      openedByFilter = [];
    }
    output.value = active || scenario !== '' ? 'Showing ' + shownCount + ' of ' + list.filter(function (s) { return !s.container; }).length + ' steps' : '';
  }
  var timer = 0;
  failedBox.addEventListener('change', apply);
  select.addEventListener('change', apply);
  search.addEventListener('input', function () {
    clearTimeout(timer);
    timer = setTimeout(apply, 150);
  });
  form.addEventListener('submit', function (event) { event.preventDefault(); apply(); });
  function toggleAll(open) {
    openedByFilter = [];
    var all = document.querySelectorAll('section.scenario > details, li.step.container > details');
    for (var i = 0; i < all.length; i++) all[i].open = open;
  }
  form.elements.namedItem('expand').addEventListener('click', function () { toggleAll(true); });
  form.elements.namedItem('collapse').addEventListener('click', function () { toggleAll(false); });
  function reveal() {
    var id = location.hash.slice(1);
    // A link cut inside a %-escape does not decode: its anchor is then taken as it is.
    try { id = decodeURIComponent(id); } catch (error) { /* not percent-encoding */ }
    var target = id === '' ? null : document.getElementById(id);
    if (target === null) return;
    for (var node = target; node !== null; node = node.parentElement) {
      if (node.tagName === 'DETAILS') node.open = true;
      if (node.hidden) node.hidden = false;
    }
    var own = target.querySelector(':scope > details');
    if (own !== null) own.open = true;
    target.scrollIntoView();
  }
  window.addEventListener('hashchange', reveal);
  reveal();
})();
`;
