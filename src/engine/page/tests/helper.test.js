// Tests of the helper as a whole (api.js, with toasts.js): the
// `window.__docent` functions the engine calls, installing once, and the
// toast recorder fed with the mutations a browser would report.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { load, plain, PAGE_DIR } = require('./harness');
const { fill, FakeStorage, makeWindow } = require('./fake-dom');

// What protocol.rs calls: `window.__docent.<name>(`.
const calledByEngine = () => {
  const source = fs.readFileSync(path.join(PAGE_DIR, '..', 'protocol.rs'), 'utf8');
  return [...new Set([...source.matchAll(/window\.__docent\.(\w+)\(/g)].map((m) => m[1]))].sort();
};

const API = ['afterClick', 'answering', 'arm', 'decorate', 'docRect', 'document', 'element', 'focusForFill', 'location', 'ownToasts',
  'pageRect', 'probe', 'selectNative', 'settled', 'snapshot', 'takeClick', 'toasts', 'undecorate', 'valueOf', 'version',
  'visibleTexts', 'waitToasts'];

test('the helper installs window.__docent with its functions and removes the parts\' namespace', () => {
  const { win } = load();
  assert.deepEqual(Object.keys(win.__docent).sort(), API);
  assert.equal(win.__docent.version, 2);
  assert.equal('__docentParts' in win, false);
});

test('every function the engine calls is there', () => {
  const { win } = load();
  const called = calledByEngine();
  assert.ok(called.length >= 15, `found only ${called} in protocol.rs`);
  for (const name of called) assert.equal(typeof win.__docent[name], 'function', name);
});

test('a document that has the helper keeps it when the script runs again', () => {
  const { win } = load();
  const api = win.__docent;
  const listeners = win.listeners.length;
  const observers = win.observers.length;
  load({ win });
  assert.equal(win.__docent, api);
  assert.equal(win.listeners.length, listeners);
  assert.equal(win.observers.length, observers);
  assert.equal('__docentParts' in win, false);
});

test('a helper left in the window by another document is replaced, not kept', () => {
  // A frame's first, empty document hands its window on to the page the
  // frame loads, helper and all (Firefox then runs no preload script).
  const { win } = load();
  const stale = win.__docent;
  assert.equal(stale.document, win.document);
  const next = makeWindow('<p>The page the frame loaded</p>').document;
  win.document = next;
  load({ win });
  assert.notEqual(win.__docent, stale);
  assert.equal(win.__docent.document, next);
  assert.equal('__docentParts' in win, false);
});

const toastsOf = (win, cursors = {}) => plain(win.__docent.toasts(cursors).stores[0].items).map(({ text, kind }) => ({ text, kind }));
const fixed = 'style="position:fixed;left:1000px;top:20px;width:200px;height:40px"';

test('a toast showing when the helper arrives is recorded; an alert in the page\'s content is not', () => {
  const { win } = load({
    body: `<div role="alert">Maintenance on Sunday</div><div class="el-message el-message--error" ${fixed}><p>Could not save</p></div>`,
  });
  assert.deepEqual(toastsOf(win), [{ text: 'Could not save', kind: 'error' }]);
  const [store] = plain(win.__docent.toasts({}).stores);
  assert.equal(store.items[0].seq, 1);
  assert.deepEqual(store.items[0].place, { x: 1100 / 1280, y: 40 / 800 });
  assert.deepEqual(plain(win.__docent.toasts({ [store.id]: 1 }).stores[0].items), []);
});

test('a toast inserted later is recorded when its text is filled in, and a new message in it is a new toast', () => {
  const { win, doc } = load({ body: `<div class="stack" ${fixed}></div>` });
  const [observer] = win.observers;
  const stack = doc.querySelector('.stack');
  fill(stack, '<div class="el-notification"><h2></h2><p></p></div>');
  const toast = stack.querySelector('.el-notification');
  observer.callback([{ type: 'childList', target: stack, addedNodes: [toast], removedNodes: [] }]);
  assert.deepEqual(toastsOf(win), []);
  const title = toast.querySelector('h2');
  title.textContent = 'Tracker created';
  observer.callback([{ type: 'childList', target: title, addedNodes: [title.firstChild], removedNodes: [] }]);
  const message = toast.querySelector('p');
  message.textContent = 'mtd-1 is ready';
  observer.callback([{ type: 'childList', target: message, addedNodes: [message.firstChild], removedNodes: [] }]);
  assert.deepEqual(toastsOf(win), [{ text: 'Tracker created mtd-1 is ready', kind: 'success' }]);
  title.textContent = 'Bucket deleted';
  message.textContent = '';
  observer.callback([{ type: 'childList', target: title, addedNodes: [title.firstChild], removedNodes: [] }]);
  assert.deepEqual(toastsOf(win), [{ text: 'Tracker created mtd-1 is ready', kind: 'success' }, { text: 'Bucket deleted', kind: 'success' }]);
});

test('a live region already on the page announces by changing its text', () => {
  const { win, doc } = load({ body: '<div aria-live="polite" id="live"></div>' });
  const live = doc.getElementById('live');
  live.textContent = '3 trackers found';
  win.observers[0].callback([{ type: 'childList', target: live, addedNodes: [live.firstChild], removedNodes: [] }]);
  assert.deepEqual(toastsOf(win), [{ text: '3 trackers found', kind: 'info' }]);
  live.textContent = 'Could not load the trackers';
  win.observers[0].callback([{ type: 'childList', target: live, addedNodes: [live.firstChild], removedNodes: [] }]);
  assert.deepEqual(toastsOf(win), [{ text: '3 trackers found', kind: 'info' }, { text: 'Could not load the trackers', kind: 'error' }]);
});

test('a runbook\'s toast selectors: its own toasts, errors and ignored ones; selectors the browser rejects are reported', () => {
  const { win } = load({
    config: { toasts: ['.my-toast'], errors: ['.my-toast .bad'], ignore: ['.noise', 'div['] },
    body: `<div class="my-toast"><span class="bad"></span>Tracker limit reached</div><div class="toast noise">Autosaved</div>`,
  });
  assert.deepEqual(toastsOf(win), [{ text: 'Tracker limit reached', kind: 'error' }]);
  assert.deepEqual(plain(win.__docent.toasts({}).bad), ['div[']);
});

test('toasts outlive a page load in the session\'s storage', () => {
  const sessionStorage = new FakeStorage();
  const first = load({ window: { sessionStorage }, body: `<div class="toast" ${fixed}>Saved</div>` });
  const { id } = first.win.__docent.toasts({}).stores[0];
  const next = load({ window: { sessionStorage }, body: `<div class="toast" ${fixed}>Deleted</div>` });
  const [store] = plain(next.win.__docent.toasts({}).stores);
  assert.equal(store.id, id);
  assert.deepEqual(store.items.map((t) => [t.seq, t.text]), [[1, 'Saved'], [2, 'Deleted']]);
});

test('the page\'s visible texts are offered for "did you mean"', () => {
  const { win } = load({ body: '<h1>Trackers</h1><button aria-label="Create tracker"><i></i></button><p style="display:none">Hidden</p><script>x</script>' });
  assert.deepEqual(plain(win.__docent.visibleTexts()), ['Trackers', 'Create tracker']);
});

test('a field\'s value is read through the label that names it', () => {
  const { win, doc } = load({ body: '<label for="n">Name</label><input id="n" value="mtd-1"><div id="d" data-testid="d">Text</div>' });
  const spec = (locator) => ({ locator, row: null, within: null, nth: null, scope: null, label: 'x' });
  assert.equal(win.__docent.valueOf(spec({ kind: 'label', value: 'Name' })), 'mtd-1');
  assert.equal(win.__docent.valueOf(spec({ kind: 'testid', value: 'd' })), 'Text');
  assert.equal(win.__docent.valueOf(spec({ kind: 'testid', value: 'none' })), null);
  assert.equal(win.__docent.focusForFill(spec({ kind: 'label', value: 'Name' })), true);
  assert.equal(doc.activeElement.id, 'n');
});

// Masks and highlights for a figure (`decorate`), and the page put back
// (`undecorate`).
const locate = (locator) => ({ locator, row: null, within: null, nth: null, label: JSON.stringify(locator) });
const at = (x, y, w, h, more = '') => `style="left:${x}px;top:${y}px;width:${w}px;height:${h}px${more}"`;
const MASK_PAGE = `<p id="t1" ${at(10, 20, 120, 16)}>2026/12/07 14:00:01</p>` +
  `<p id="t2" ${at(10, 40, 120, 16)}>2026/12/07 13:59:44</p>` +
  `<div id="ad" class="ad" ${at(0, 100, 300, 50, ';display: flex')}>Advert <span class="inner">inside</span></div>` +
  `<div id="banner" class="banner">Welcome</div>` +
  `<span id="user" data-testid="user" ${at(500, 5, 80, 20)}>Jane Doe</span>`;
const layerBoxes = (doc) => {
  const layer = doc.getElementById('__docent_decorations');
  return layer ? layer.children.map((b) => b.getAttribute('style')) : null;
};

test('decorate: every match of a mask counts, ignore masks give their document boxes, and one that matches nothing is named', () => {
  const { win, doc } = load({ body: MASK_PAGE });
  win.scrollY = 40;
  const done = plain(win.__docent.decorate([], [
    { locate: locate({ kind: 'text', match: { kind: 'contains', value: '2026/' } }), mode: 'ignore' },
    { locate: locate({ kind: 'testid', value: 'user' }), mode: 'hide' },
    { locate: locate({ kind: 'testid', value: 'nobody' }), mode: 'hide' },
  ]));
  assert.deepEqual(done, {
    missing: [],
    unmatched: [2],
    ignored: [{ x: 10, y: 60, width: 120, height: 16 }, { x: 10, y: 80, width: 120, height: 16 }],
    scroll_x: 0,
    scroll_y: 40,
  });
  // The hidden one is painted over (3 px round its box); the ignored ones are not.
  const boxes = layerBoxes(doc);
  assert.equal(boxes.length, 1);
  assert.match(boxes[0], /left:497px;top:42px;width:86px;height:26px;.*background:#8a8f98/);
  win.__docent.undecorate();
  assert.equal(layerBoxes(doc), null);
});

test('decorate: a removed mask leaves the layout until undecorate puts its own display back, exactly', () => {
  const { win, doc } = load({ body: MASK_PAGE });
  const ad = doc.getElementById('ad');
  const banner = doc.getElementById('banner');
  const before = [ad.getAttribute('style'), banner.hasAttribute('style')];
  const done = plain(win.__docent.decorate([], [
    { locate: locate({ kind: 'css', value: '.ad' }), mode: 'remove' },
    { locate: locate({ kind: 'css', value: '.banner' }), mode: 'remove' },
    // Inside a removed mask: matched, but nothing of it is left to paint.
    { locate: locate({ kind: 'css', value: '.inner' }), mode: 'hide' },
  ]));
  assert.deepEqual(done.unmatched, []);
  assert.deepEqual(layerBoxes(doc), []);
  assert.equal(ad.style.getPropertyValue('display'), 'none');
  assert.equal(ad.style.getPropertyPriority('display'), 'important');
  assert.equal(ad.getBoundingClientRect().width, 0);
  assert.equal(banner.getBoundingClientRect().width, 0);
  win.__docent.undecorate();
  assert.equal(ad.style.getPropertyValue('display'), 'flex');
  assert.equal(ad.style.getPropertyPriority('display'), '');
  assert.equal(ad.getBoundingClientRect().width, 300);
  assert.deepEqual([ad.style.left, banner.hasAttribute('style')], ['0px', before[1]]);
  assert.equal(banner.hasAttribute('style'), false, 'a style attribute it did not have is gone again');
  // A second undecorate has nothing left to put back.
  win.__docent.undecorate();
  assert.equal(ad.style.getPropertyValue('display'), 'flex');
});

test('decorate: a highlight that matches nothing is named, the others are outlined under the masks', () => {
  const { win, doc } = load({ body: MASK_PAGE });
  const done = plain(win.__docent.decorate(
    [locate({ kind: 'testid', value: 'user' }), locate({ kind: 'testid', value: 'gone' })],
    [{ locate: locate({ kind: 'testid', value: 'user' }), mode: 'hide' }],
  ));
  assert.deepEqual(done.missing, [JSON.stringify({ kind: 'testid', value: 'gone' })]);
  const boxes = layerBoxes(doc);
  assert.equal(boxes.length, 2);
  assert.match(boxes[0], /border:3px solid #e02020/);
  assert.match(boxes[1], /background:#8a8f98/, 'the mask is drawn last, over the outline');
  win.__docent.undecorate();
});

test('decorate: holding still reaches inside shadow roots with a constructed sheet, and letting go takes it out', () => {
  const { win, doc } = load({
    body: '<div id="host"><template shadowrootmode="open"><button id="inner">Save</button></template></div>',
  });
  const root = doc.getElementById('host').shadowRoot;
  const own = { text: 'the component\'s own sheet' };
  root.adoptedStyleSheets = [own];
  plain(win.__docent.decorate([], [], true));
  assert.equal(root.adoptedStyleSheets.length, 2, 'the root keeps its own sheet and gets one more');
  assert.equal(root.adoptedStyleSheets[0], own);
  assert.match(root.adoptedStyleSheets[1].text, /transition:none!important/);
  assert.equal(root.childNodes.filter((n) => n.tagName === 'STYLE').length, 0, 'no <style> child added to the root');
  win.__docent.undecorate();
  assert.equal(root.adoptedStyleSheets.length, 1);
  assert.equal(root.adoptedStyleSheets[0], own);
});

test('decorate: a compared figure holds the page still, and undecorate lets it go', () => {
  const { win, doc } = load({ body: MASK_PAGE });
  const calls = [];
  // A transition half-way (finite), and a spinner (endless) 300 ms in.
  const animation = (name, endTime) => ({
    effect: { getComputedTiming: () => ({ endTime }) },
    playState: 'running',
    currentTime: 300,
    finish() { calls.push(`${name} finished`); },
    pause() { calls.push(`${name} paused at ${this.currentTime}`); },
    play() { calls.push(`${name} plays from ${this.currentTime}`); },
  });
  const fade = animation('fade', 200);
  const spinner = animation('spinner', Infinity);
  doc.getAnimations = () => [fade, spinner];
  plain(win.__docent.decorate([], [], true));
  const style = doc.getElementById('__docent_steady');
  assert.ok(style, 'a style that turns transitions off and hides the caret');
  assert.match(style.textContent, /transition:none!important/);
  assert.match(style.textContent, /caret-color:transparent!important/);
  assert.equal(spinner.currentTime, 0, 'an endless animation is held at its start');
  assert.deepEqual(calls, ['fade finished', 'spinner paused at 300']);
  win.__docent.undecorate();
  assert.equal(doc.getElementById('__docent_steady'), null);
  assert.deepEqual(calls.slice(2), ['spinner plays from 300']);
  // A figure that is not compared leaves the page's motion alone.
  calls.length = 0;
  plain(win.__docent.decorate([], [{ locate: locate({ kind: 'testid', value: 'user' }), mode: 'hide' }], false));
  assert.equal(doc.getElementById('__docent_steady'), null);
  assert.deepEqual(calls, []);
  win.__docent.undecorate();
});
