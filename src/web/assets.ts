import { sha256Hex } from '../core/hash';

/**
 * The pages' only stylesheet and script, served from `/static/` (CSP: `script-src 'self'`, `style-src 'self'`; no
 * inline script or style anywhere). Kept as strings in a module so every runtime (tsx, vitest, the Lambda bundle)
 * serves them without copying files. The script is progressive: every form works without it.
 */
export const stylesheet = `
:root { --ink:#1d2330; --muted:#5b6475; --line:#d9dee7; --bg:#f6f7fa; --card:#fff; --accent:#2454c5;
  --ok:#17794a; --warn:#9a5b00; --bad:#b3261e; --mark:#fff1a8; --mark-active:#ffd54a; --flag:#ffd9d6; }
* { box-sizing: border-box; }
body { margin:0; font:16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color:var(--ink); background:var(--bg); }
a { color:var(--accent); }
a:focus-visible, button:focus-visible, input:focus-visible, select:focus-visible, textarea:focus-visible, summary:focus-visible
  { outline:3px solid #8fb0ff; outline-offset:2px; }
.skip { position:absolute; left:-999px; top:0; background:#fff; padding:.5rem 1rem; z-index:10; }
.skip:focus { left:.5rem; }
header.top { display:flex; flex-wrap:wrap; gap:.5rem 1.5rem; align-items:center; padding:.6rem 1rem; background:#1d2330; color:#fff; }
header.top a { color:#fff; text-decoration:none; }
header.top nav { display:flex; flex-wrap:wrap; gap:.25rem 1rem; }
header.top nav a[aria-current="page"] { text-decoration:underline; }
header.top .who { margin-left:auto; display:flex; gap:.75rem; align-items:center; font-size:.9rem; }
header.top .who button { background:none; border:1px solid #fff8; color:#fff; border-radius:4px; padding:.15rem .6rem; cursor:pointer; }
.brand { font-weight:700; letter-spacing:.02em; }
main { max-width:1280px; margin:0 auto; padding:1rem; }
h1 { font-size:1.5rem; margin:.25rem 0 1rem; } h2 { font-size:1.2rem; margin:1.5rem 0 .5rem; } h3 { font-size:1.05rem; margin:.75rem 0 .25rem; }
.card { background:var(--card); border:1px solid var(--line); border-radius:8px; padding:1rem; margin-bottom:1rem; }
.muted { color:var(--muted); } .small { font-size:.875rem; }
.notice { border-left:4px solid var(--accent); background:#eef3ff; padding:.75rem 1rem; margin:0 0 1rem; border-radius:4px; }
.notice.error { border-color:var(--bad); background:#fdeceb; } .notice.ok { border-color:var(--ok); background:#e9f6ef; }
.notice.warn { border-color:var(--warn); background:#fff4e0; }
table { width:100%; border-collapse:collapse; background:var(--card); }
th, td { text-align:left; padding:.5rem; border-bottom:1px solid var(--line); vertical-align:top; }
th { font-size:.85rem; color:var(--muted); font-weight:600; }
.badge { display:inline-block; padding:.05rem .5rem; border-radius:999px; font-size:.8rem; border:1px solid var(--line); background:#fff; margin:0 .25rem .25rem 0; white-space:nowrap; }
.badge.critical, .badge.rejected, .badge.failed { border-color:var(--bad); color:var(--bad); }
.badge.warning, .badge.changes_requested { border-color:var(--warn); color:var(--warn); }
.badge.approved, .badge.drafted { border-color:var(--ok); color:var(--ok); }
.filters { display:flex; flex-wrap:wrap; gap:.75rem; align-items:end; margin-bottom:1rem; }
.filters > div { max-width:100%; } .filters select { max-width:min(24rem, 85vw); }
.card > h2:first-child { margin-top:0; }
.review-controls { display:grid; grid-template-columns:minmax(0,1fr); gap:.25rem 1rem; background:#f3f7ff; border:1px solid #cfdcff; border-radius:6px; padding:.6rem; }
@media (min-width: 640px) { .review-controls { grid-template-columns:max-content minmax(0,1fr); } }
label { font-weight:600; font-size:.9rem; display:block; margin-bottom:.2rem; }
input[type=text], input[type=email], input[type=url], select, textarea, input[type=file]
  { font:inherit; padding:.4rem .5rem; border:1px solid #aab2c0; border-radius:4px; background:#fff; max-width:100%; }
textarea { width:100%; min-height:4.5rem; }
.field { margin-bottom:.8rem; } .field .hint { font-size:.85rem; color:var(--muted); margin:.15rem 0 0; }
.field .error-text { color:var(--bad); font-size:.9rem; margin:.2rem 0 0; font-weight:600; }
.field.invalid textarea, .field.invalid input, .field.invalid select { border-color:var(--bad); border-width:2px; }
button, .button { font:inherit; padding:.45rem 1rem; border-radius:4px; border:1px solid var(--accent); background:var(--accent); color:#fff; cursor:pointer; text-decoration:none; display:inline-block; }
button.secondary { background:#fff; color:var(--accent); } button.danger { background:var(--bad); border-color:var(--bad); }
button.warn { background:var(--warn); border-color:var(--warn); }
.actions { display:flex; flex-wrap:wrap; gap:.5rem; margin-top:.75rem; }
meter { width:6rem; height:.9rem; vertical-align:middle; }
.layout { display:grid; grid-template-columns:minmax(0,1fr); gap:1rem; }
@media (min-width: 960px) { .layout { grid-template-columns:minmax(0,5fr) minmax(0,6fr); } .layout .sticky { position:sticky; top:.5rem; max-height:calc(100vh - 1rem); overflow:auto; } }
.resume { white-space:pre-wrap; overflow-wrap:anywhere; font:14px/1.55 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
mark { background:var(--mark); padding:0 .05em; border-radius:2px; }
mark.flagged { background:var(--flag); } mark:target, mark.active { background:var(--mark-active); outline:2px solid #c99a00; }
sup.ref a { text-decoration:none; font-size:.75em; }
dl.kv { display:grid; grid-template-columns:max-content minmax(0,1fr); gap:.2rem 1rem; margin:0; font-size:.9rem; }
dl.kv dt { color:var(--muted); } dl.kv dd { margin:0; overflow-wrap:anywhere; }
.competency { border-top:1px solid var(--line); padding-top:.75rem; margin-top:.75rem; }
.competency:target { background:#f3f7ff; }
.levels { display:flex; flex-wrap:wrap; gap:.5rem 1.5rem; font-size:.95rem; }
ul.evidence { padding-left:1.1rem; margin:.25rem 0; } ul.evidence li { margin-bottom:.25rem; }
blockquote { margin:.1rem 0; padding-left:.6rem; border-left:3px solid var(--line); color:#333; overflow-wrap:anywhere; }
.events { list-style:none; padding:0; margin:0; } .events li { border-bottom:1px solid var(--line); padding:.4rem 0; font-size:.9rem; }
pre.change { white-space:pre-wrap; overflow-wrap:anywhere; font-size:.8rem; background:#f3f4f7; padding:.4rem; border-radius:4px; margin:.25rem 0 0; }
progress { width:100%; height:1rem; }
details.code-file { border-top:1px solid var(--line); padding:.35rem 0; }
details.code-file > summary { cursor:pointer; overflow-wrap:anywhere; }
ol.code { margin:.35rem 0 0; padding-left:3.6em; font:13px/1.5 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
ol.code li { white-space:pre-wrap; overflow-wrap:anywhere; min-height:1.5em; }
ol.code li::marker { color:var(--muted); font-size:.85em; }
ol.code li.hl mark { display:block; min-height:1.5em; } ol.code sup.ref { float:right; margin-left:.4rem; }
ol.code li:target { background:#f3f7ff; }
blockquote.code-quote { white-space:pre-wrap; font:13px/1.45 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
code { overflow-wrap:anywhere; } code.snippet { white-space:pre-wrap; color:#333; }
ul.files, ul.signals, ul.related { padding-left:1.1rem; margin:.25rem 0; } ul.files li { overflow-wrap:anywhere; }
ul.related { list-style:none; padding:0; }
.pager { display:flex; gap:1rem; margin-top:1rem; }
.table-wrap { overflow-x:auto; }
@media (max-width: 640px) {
  main { padding:.5rem; } .card { padding:.75rem; }
  table.queue thead { display:none; } table.queue tr { display:block; border-bottom:1px solid var(--line); padding:.5rem 0; }
  table.queue td { display:block; border:0; padding:.1rem .5rem; } table.queue td[data-label]::before { content:attr(data-label) ": "; color:var(--muted); font-size:.85rem; }
}
`;

export const script = `
'use strict';
(function () {
  // Upload with progress: the form posts by itself without this script; with it, the bytes go by XHR so the page
  // can show how far they are, then it opens the screening page, which follows the status live.
  var form = document.getElementById('upload-form');
  if (form && window.FormData && window.XMLHttpRequest) {
    form.addEventListener('submit', function (event) {
      event.preventDefault();
      var bar = document.getElementById('upload-progress');
      var text = document.getElementById('upload-progress-text');
      var error = document.getElementById('upload-error');
      var button = form.querySelector('button[type=submit]');
      error.textContent = '';
      error.hidden = true;
      bar.hidden = false;
      bar.value = 0;
      button.disabled = true;
      var xhr = new XMLHttpRequest();
      xhr.open('POST', form.action);
      xhr.setRequestHeader('Accept', 'application/json');
      xhr.setRequestHeader('X-CSRF-Token', form.elements._csrf.value);
      xhr.upload.addEventListener('progress', function (e) {
        if (!e.lengthComputable) return;
        bar.value = Math.round((e.loaded / e.total) * 100);
        text.textContent = 'Uploading: ' + bar.value + '%';
      });
      xhr.addEventListener('load', function () {
        var body = null;
        try { body = JSON.parse(xhr.responseText); } catch (e) { body = null; }
        if (xhr.status === 202 && body && body.page) {
          text.textContent = 'Uploaded. Opening the screening...';
          window.location.assign(body.page);
          return;
        }
        button.disabled = false;
        bar.hidden = true;
        text.textContent = '';
        error.textContent = (body && body.error && body.error.message) || 'The upload failed (' + xhr.status + ').';
        if (body && body.error && body.error.details && body.error.details.page) {
          error.textContent += ' The file was kept: see ' + body.error.details.page;
        }
        error.hidden = false;
        error.focus();
      });
      xhr.addEventListener('error', function () {
        button.disabled = false;
        error.textContent = 'The connection failed; nothing was lost on your side. Try again.';
        error.hidden = false;
      });
      text.textContent = 'Uploading: 0%';
      xhr.send(new FormData(form));
    });
  }

  // Live status: while a screening is being worked on, ask for its status and reload once it has moved on.
  var live = document.querySelector('[data-live-status]');
  if (live) {
    var url = live.getAttribute('data-live-status');
    var shown = live.getAttribute('data-status');
    var statusText = document.getElementById('live-status-text');
    var poll = function () {
      fetch(url, { headers: { Accept: 'application/json' }, credentials: 'same-origin' })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (body) {
          if (body && body.status !== shown) { window.location.reload(); return; }
          if (body && statusText) statusText.textContent = body.label;
          window.setTimeout(poll, 1000);
        })
        .catch(function () { window.setTimeout(poll, 3000); });
    };
    window.setTimeout(poll, 1000);
  }

  // Evidence links: following a quote link marks every piece of that quote, not only the first.
  document.addEventListener('click', function (event) {
    var link = event.target && event.target.closest ? event.target.closest('a[data-quote]') : null;
    if (!link) return;
    var quote = link.getAttribute('data-quote');
    document.querySelectorAll('mark.active').forEach(function (m) { m.classList.remove('active'); });
    document.querySelectorAll('mark[data-quote~="' + quote + '"]').forEach(function (m) { m.classList.add('active'); });
  });
})();
`;

/** Content hashes, so the URLs change when the content does and can be cached for good. */
export const assetVersion = sha256Hex(stylesheet + script).slice(0, 12);
