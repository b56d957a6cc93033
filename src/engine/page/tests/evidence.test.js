// Tests of evidence.js: what is taken out of a page before it is saved
// as failure.html, and how inlined CSS keeps finding its images. The
// whole snapshot (an inert document, shadow roots, stylesheets) needs a
// real browser; tests/browser/pages.rs opens a saved hostile page.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { load } = require('./harness');

const page = (body) => load({ last: 'evidence', body });

test('script URLs are recognised however they are spelled', () => {
  const { P } = page('');
  for (const url of ['javascript:alert(1)', ' JavaScript:x', 'java\tscript:x', 'jav\u0000ascript:x',
    'vbscript:x', 'data:text/html,<script>x</script>', 'DATA:image/svg+xml,<svg onload=x>']) {
    assert.equal(P.evidence.scriptUrl(url), true, url);
  }
  for (const url of ['https://example.com/javascript:', '/lab/form', 'data:image/png;base64,AAAA', '#top', 'mailto:a@b.c']) {
    assert.equal(P.evidence.scriptUrl(url), false, url);
  }
});

test('scripts, handlers, script URLs and frame sources are taken out; the rest stays', () => {
  const { doc, P } = page(
    '<div id="card" onclick="steal()" class="card" title="Audit">' +
    '<script>steal()</script>' +
    '<img id="pic" src="/a.png" onerror="steal()" alt="chart">' +
    '<a id="safe" href="/lab/docs">Docs</a><a id="bad" href=" javascript:steal()">Export</a>' +
    '<iframe id="frame" src="/lab/frame" srcdoc="<script>steal()</script>"></iframe>' +
    '<form id="form" action="javascript:steal()"><button id="go" formaction="javascript:steal()">Go</button></form>' +
    '<object data="x.swf"></object><link rel="preload" href="/x.js"><link rel="stylesheet" href="/lab.css">' +
    '</div>');
  P.evidence.defuse(doc);
  const card = doc.getElementById('card');
  assert.equal(card.hasAttribute('onclick'), false);
  assert.equal(card.getAttribute('class'), 'card');
  assert.equal(card.getAttribute('title'), 'Audit');
  assert.equal(doc.querySelectorAll('script').length, 0);
  assert.equal(doc.querySelectorAll('object').length, 0);
  const pic = doc.getElementById('pic');
  assert.deepEqual([pic.getAttribute('src'), pic.getAttribute('alt'), pic.hasAttribute('onerror')], ['/a.png', 'chart', false]);
  assert.equal(doc.getElementById('safe').getAttribute('href'), '/lab/docs');
  assert.equal(doc.getElementById('bad').hasAttribute('href'), false);
  const frame = doc.getElementById('frame');
  assert.deepEqual([frame.hasAttribute('src'), frame.hasAttribute('srcdoc'), frame.getAttribute('sandbox')], [false, false, '']);
  assert.equal(doc.getElementById('form').hasAttribute('action'), false);
  assert.equal(doc.getElementById('go').hasAttribute('formaction'), false);
  const links = doc.querySelectorAll('link');
  assert.deepEqual(Array.from(links, (l) => l.getAttribute('rel')), ['stylesheet']);
});

test("inlined CSS finds its images and fonts from the sheet's own address", () => {
  const { P, win } = page('');
  // The fake window has no URL parser of its own; a browser's is the same.
  win.URL = URL;
  const css = 'a { background: url(img/bg.png) } b { src: url("../fonts/x.woff2") } i { background: url(data:image/png;base64,AA) }';
  assert.equal(P.evidence.absoluteUrls(css, 'http://127.0.0.1:8480/assets/css/app.css'),
    'a { background: url("http://127.0.0.1:8480/assets/css/img/bg.png") } ' +
    'b { src: url("http://127.0.0.1:8480/assets/fonts/x.woff2") } ' +
    'i { background: url(data:image/png;base64,AA) }');
});
