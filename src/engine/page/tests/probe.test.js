// Tests of probe.js and guard.js: the strictness rules and one poll's
// answers through the whole helper in the fake DOM, and the click guard.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { load, plain } = require('./harness');
const { fill } = require('./fake-dom');

const spec = (locator, extra = {}) => ({
  locator, row: null, within: null, nth: null, scope: null, label: 'the target', mode: 'action', pace: 0, editable: false, ...extra,
});
const text = (value) => ({ kind: 'text', match: { kind: 'exact', value } });
// `left top width height`, so that nothing overlaps by accident.
const at = (x, y, w = 100, h = 20) => `style="left:${x}px;top:${y}px;width:${w}px;height:${h}px"`;

test('of several matches, an action takes the only interactive one, else the only usable one', () => {
  const { P } = load({ last: 'probe' });
  const { narrow } = P.probe;
  const yes = () => true;
  const no = () => false;
  const is = (...names) => (el) => names.includes(el);
  assert.deepEqual(Array.from(narrow(['label', 'button'], is('button'), no)), ['button']);
  assert.deepEqual(Array.from(narrow(['b1', 'b2', 'b3'], yes, is('b2'))), ['b2']);
  assert.deepEqual(Array.from(narrow(['b1', 'b2'], yes, yes)), ['b1', 'b2']);
  // Two interactive ones narrow nothing: the usable step then looks at all three.
  assert.deepEqual(Array.from(narrow(['t1', 'b1', 'b2'], is('b1', 'b2'), is('t1'))), ['t1']);
  assert.deepEqual(Array.from(narrow(['t1', 'b1', 'b2'], is('b1', 'b2'), is('b2', 't1'))), ['t1', 'b1', 'b2']);
  assert.deepEqual(Array.from(narrow(['only'], no, no)), ['only']);
});

test('a visible target is there; a missing one is not found, and gone when it should be', async () => {
  const { win } = load({ body: `<button ${at(0, 0)}>Save</button>` });
  const probe = (s) => win.__docent.probe(s).then(plain);
  assert.deepEqual(await probe(spec(text('Save'), { mode: 'visible' })), { status: 'ok', count: 1, state: null });
  assert.deepEqual(await probe(spec(text('Nope'), { mode: 'visible' })), { status: 'wait', reason: 'not found', hidden: [], dialog: null });
  assert.deepEqual(await probe(spec(text('Nope'), { mode: 'gone' })), { status: 'ok' });
  assert.deepEqual(await probe(spec(text('Save'), { mode: 'gone' })), {
    status: 'wait', reason: 'still visible', candidates: ['<button> "Save" at (50, 10)'],
  });
});

test('an action on text that several buttons show is ambiguous, with the candidates listed', async () => {
  const { win } = load({ body: `<button ${at(0, 0)}>Delete</button><button ${at(0, 100)}>Delete</button>` });
  assert.deepEqual(plain(await win.__docent.probe(spec(text('Delete')))), {
    status: 'ambiguous', count: 2, candidates: ['<button> "Delete" at (50, 10)', '<button> "Delete" at (50, 110)'],
  });
});

test('an action waits for a disabled button, saying what is written beside it', async () => {
  const { win } = load({ body: `<div class="field"><button ${at(0, 0)} disabled>Create</button> Quota used up</div>` });
  assert.deepEqual(plain(await win.__docent.probe(spec(text('Create')))), {
    status: 'wait', reason: '<button> "Create" is disabled', context: 'Create Quota used up',
  });
});

test('an action aims at the centre of the one element the pointer reaches there', async () => {
  const { win } = load({ body: `<button ${at(100, 40, 80, 30)}>Save</button>` });
  assert.deepEqual(plain(await win.__docent.probe(spec(text('Save')))), {
    status: 'ok', x: 140, y: 55, desc: '<button> "Save"', state: null,
  });
});

test('an action waits while something else covers the target\'s centre', async () => {
  const { win } = load({ body: `<button ${at(0, 0)}>Save</button><div class="mask" ${at(0, 0, 500, 500)}></div>` });
  assert.deepEqual(plain(await win.__docent.probe(spec(text('Save')))), {
    status: 'wait', reason: '<button> "Save" is covered by <div.mask>',
  });
});

test('typing needs a text field: a checkbox is refused at once, a read-only field is waited for', async () => {
  const { win } = load({ body: `<input ${at(0, 0)} type="checkbox" aria-label="Agree"><input ${at(0, 50)} aria-label="Name" readonly>` });
  const label = (value) => ({ kind: 'label', value });
  assert.deepEqual(plain(await win.__docent.probe(spec(label('Agree'), { editable: true }))), {
    status: 'invalid', reason: '<input> "Agree" is an <input type=checkbox>, not a text field',
  });
  const readOnly = plain(await win.__docent.probe(spec(label('Name'), { editable: true })));
  assert.equal(readOnly.status, 'wait');
  assert.equal(readOnly.reason, '<input> "Name" is read-only');
});

test('a switch that is disabled at rest is refused at once, with the tooltip that explains it', async () => {
  const { win, doc } = load({ body: `<span class="el-switch is-disabled" role="switch" aria-checked="false" aria-label="Versioning" ${at(0, 0, 40, 20)}></span>` });
  const sw = doc.querySelector('.el-switch');
  // The console shows its explanation in a tooltip while the pointer is on the switch.
  sw.dispatchEvent = (event) => {
    if (event.type === 'mouseenter') fill(doc.body, '<div role="tooltip">Not available in this region</div>');
    return true;
  };
  assert.deepEqual(plain(await win.__docent.probe(spec({ kind: 'label', value: 'Versioning' }, { mode: 'state', before: true }))), {
    status: 'invalid', reason: '<span[role=switch].el-switch.is-disabled> "Versioning" is disabled; its tooltip says "Not available in this region"',
    // Marked, so the engine reports the failure's kind as `disabled` without reading the text.
    disabled: true,
  });
});

test('a selector the browser rejects is an invalid answer, not an error', async () => {
  const { win } = load();
  assert.deepEqual(plain(await win.__docent.probe(spec({ kind: 'css', value: 'a[' }))), {
    status: 'invalid', reason: '`a[` is not a valid CSS selector',
  });
});

// A trusted press or click as the browser delivers it to the guard.
const press = (win, type, target) => {
  const event = { type, isTrusted: true, composedPath: () => [target], stopped: false };
  event.preventDefault = () => { event.stopped = true; };
  event.stopImmediatePropagation = () => {};
  for (const l of win.listeners) if (l.type === type) l.fn(event);
  return event;
};

test('the click guard lets a press through to the element it was armed with', async () => {
  const { win, doc } = load({ body: `<button id="save" ${at(0, 0)}>Save</button>` });
  const answer = plain(await win.__docent.probe(spec(text('Save'), { arm: true })));
  assert.equal(answer.status, 'ok');
  const save = doc.getElementById('save');
  assert.equal(press(win, 'pointerdown', save).stopped, false);
  assert.equal(press(win, 'click', save).stopped, false);
  assert.deepEqual(plain(win.__docent.afterClick({}).click), { ok: true, hit: '<button> "Save"', clicked: true });
  // Taken once.
  assert.equal(win.__docent.afterClick({}).click, null);
});

test('the click guard stops a press that would reach another row, and says what it reached', async () => {
  const { win, doc } = load({ body: `<table>
    <tr><td>mtd-1</td><td><button id="d1" ${at(0, 0)}>Delete</button></td></tr>
    <tr><td>mtd-2</td><td><button id="d2" ${at(0, 100)}>Delete</button></td></tr></table>` });
  win.__docent.arm(doc.getElementById('d1'));
  const down = press(win, 'pointerdown', doc.getElementById('d2'));
  const click = press(win, 'click', doc.getElementById('d2'));
  assert.equal(down.stopped, true);
  assert.equal(click.stopped, true);
  assert.deepEqual(plain(win.__docent.takeClick()), { ok: false, hit: '<button> "Delete" in the row of "mtd-2"', clicked: false });
});

test('presses the page makes up itself are not judged', async () => {
  const { win, doc } = load({ body: '<button id="a">A</button><button id="b">B</button>' });
  win.__docent.arm(doc.getElementById('a'));
  for (const l of win.listeners) if (l.type === 'pointerdown') l.fn({ type: 'pointerdown', isTrusted: false });
  assert.equal(win.__docent.takeClick(), null);
});

test('a click\'s own loading state shows through a spinner that was already turning elsewhere', async () => {
  const { win, doc } = load({ body: `<div class="loading-mask" ${at(0, 300)}>Loading</div><button id="go" ${at(0, 0)}>Configure</button>` });
  const go = doc.getElementById('go');
  win.__docent.arm(go);
  const busy = async () => plain(await win.__docent.answering({}, 0, false)).busy;
  assert.equal(await busy(), null, 'the spinner was there before the click: not its doing');
  // The click sets the button working: its answer is awaited, spinner or not.
  go.setAttribute('aria-busy', 'true');
  assert.equal(await busy(), '<button> "Configure" is loading');
  go.removeAttribute('aria-busy');
  assert.equal(await busy(), null);
});
