// Tests of dom.js and geometry.js against the fake DOM: shadow roots
// (closed ones too), crossing them upwards, visibility, reading text as
// it is laid out, and what a point hits.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { load, plain, tags } = require('./harness');
const { fill } = require('./fake-dom');

const page = (body) => load({ last: 'geometry', body });

test('deepAll walks open shadow roots and closed ones attached after the helper arrived', () => {
  const { doc, P } = page('<div id="open"><template shadowrootmode="open"><span id="a"></span></template></div><div id="closed"></div>');
  const closed = doc.getElementById('closed');
  const root = closed.attachShadow({ mode: 'closed' });
  fill(root, '<b id="b"></b>');
  assert.equal(closed.shadowRoot, null);
  assert.deepEqual(tags(P.dom.deepAll(doc.body)), ['div#open', 'div#closed', 'span#a', 'b#b']);
  assert.equal(P.dom.deepQueryAll(doc, 'b').length, 1);
  assert.equal(P.dom.deepRoots(doc).length, 3);
});

test('a closed root attached before the helper arrived stays unseen, as it would to a script', () => {
  const { makeWindow } = require('./fake-dom');
  const win = makeWindow('<div id="host"></div>');
  fill(win.document.getElementById('host').attachShadow({ mode: 'closed' }), '<b></b>');
  const { P, doc } = load({ last: 'geometry', win });
  assert.equal(P.dom.deepQueryAll(doc, 'b').length, 0);
});

test('parts that watch roots hear of each shadow root attached later', () => {
  const { doc, P } = page('<div id="host"></div>');
  const heard = [];
  P.dom.onShadowRoot((root) => heard.push(root));
  const root = doc.getElementById('host').attachShadow({ mode: 'open' });
  assert.deepEqual(heard, [root]);
});

test('parentOf and contains cross from a shadow root to its host', () => {
  const { doc, P } = page('<section id="card"><div id="host"><template shadowrootmode="open"><button id="inner">Go</button></template></div></section>');
  const inner = doc.getElementById('host').shadowRoot.getElementById('inner');
  assert.equal(P.dom.parentOf(inner).id, 'host');
  assert.equal(P.dom.contains(doc.getElementById('card'), inner), true);
  assert.equal(doc.getElementById('card').contains(inner), false);
});

test('text is read as laid out: blocks and line breaks separate words, inline elements do not, scripts are not read', () => {
  const { doc, P } = page('<div id="t"><div>Transfer to LTS</div><div>Traces</div><span>Tra</span><b>ces</b> a<br>b<script>var x;</script><style>p{}</style></div>');
  assert.equal(P.dom.readText(doc.getElementById('t')), 'Transfer to LTS Traces Traces a b');
  assert.equal(doc.getElementById('t').textContent.startsWith('Transfer to LTSTraces'), true);
});

test('within reading() each element is read once; afterwards the page is read as it is then', () => {
  const { doc, P } = page('<p id="p">before</p>');
  const p = doc.getElementById('p');
  const seen = P.dom.reading(() => {
    const first = P.dom.readText(p);
    p.textContent = 'after';
    return [first, P.dom.readText(p)];
  });
  assert.deepEqual(plain(seen), ['before', 'before']);
  assert.equal(P.dom.readText(p), 'after');
});

test('visible means connected, displayed with its ancestors, not transparent, and with a box', () => {
  const { doc, P } = page(`
    <div id="shown"></div>
    <div style="display:none"><span id="under-hidden">x</span></div>
    <div id="transparent" style="opacity:0"></div>
    <div style="visibility:hidden"><i id="invisible"></i></div>
    <div id="empty" style="width:0px"></div>`);
  const visible = (id) => P.dom.isVisible(doc.getElementById(id));
  assert.equal(visible('shown'), true);
  assert.equal(visible('under-hidden'), false);
  assert.equal(visible('transparent'), false);
  assert.equal(visible('invisible'), false);
  assert.equal(visible('empty'), false);
  const gone = doc.getElementById('shown');
  gone.remove();
  assert.equal(P.dom.isVisible(gone), false);
});

test('class tokens of an element, also when className is not a string (SVG)', () => {
  const { doc, P } = page('<div id="d" class=" el-switch  is-checked "></div><svg id="s" class="icon icon-close"></svg>');
  assert.deepEqual(plain(P.dom.classTokens(doc.getElementById('d'))), ['el-switch', 'is-checked']);
  const svg = doc.getElementById('s');
  Object.defineProperty(svg, 'className', { value: { baseVal: 'icon icon-close' } });
  assert.deepEqual(plain(P.dom.classTokens(svg)), ['icon', 'icon-close']);
});

test('ids named by aria attributes are looked up in the element\'s own shadow root', () => {
  const { doc, P } = page('<span id="n">Outside</span><div id="host"><template shadowrootmode="open"><span id="n">Inside</span><span id="m">name</span><input id="f" aria-labelledby="n m"></template></div>');
  const field = doc.getElementById('host').shadowRoot.getElementById('f');
  assert.equal(P.dom.textOfIds(field, 'n m missing'), 'Inside name');
});

test('what a point hits is found through open and closed shadow roots', () => {
  const { doc, P } = page('<div id="host" style="left:0px;top:0px;width:200px;height:100px"></div>');
  const root = doc.getElementById('host').attachShadow({ mode: 'closed' });
  fill(root, '<button id="b" style="left:10px;top:10px;width:50px;height:20px">OK</button>');
  assert.equal(P.geometry.hitAt(doc, 20, 20).id, 'b');
  assert.equal(P.geometry.hitAt(doc, 150, 50).id, 'host');
});

test('a control receives the pointer through its label and what names it', () => {
  const { doc, P } = page('<label id="l" for="c" style="left:0px;top:0px;width:50px;height:20px">Agree</label><input id="c" type="checkbox" aria-labelledby="t"><span id="t">Terms</span><span id="other"></span>');
  const { receivesPointer } = P.geometry;
  const box = doc.getElementById('c');
  assert.equal(receivesPointer(box, box), true);
  assert.equal(receivesPointer(box, doc.getElementById('l')), true);
  assert.equal(receivesPointer(box, doc.getElementById('t')), true);
  assert.equal(receivesPointer(box, doc.getElementById('other')), false);
  assert.equal(receivesPointer(box, null), false);
});

test('an element is plainly covered when something else is hit at its centre, not when it is off-screen', () => {
  const { doc, P } = page(`
    <button id="under" style="left:0px;top:0px;width:100px;height:40px">Save</button>
    <div id="mask" style="left:0px;top:0px;width:400px;height:400px"></div>
    <button id="free" style="left:500px;top:0px;width:100px;height:40px">Free</button>
    <button id="far" style="left:0px;top:5000px;width:100px;height:40px">Far</button>`);
  const { plainlyCovered, sameRect } = P.geometry;
  assert.equal(plainlyCovered(doc.getElementById('under')), true);
  assert.equal(plainlyCovered(doc.getElementById('free')), false);
  assert.equal(plainlyCovered(doc.getElementById('far')), false);
  assert.equal(sameRect({ x: 1, y: 1, w: 10, h: 10 }, { x: 1.4, y: 0.6, w: 10.2, h: 10 }), true);
  assert.equal(sameRect({ x: 1, y: 1, w: 10, h: 10 }, { x: 1.6, y: 1, w: 10, h: 10 }), false);
});
