// Tests of locators.js and resolve.js against the fake DOM: what each kind
// of runbook locator finds, how found elements are described, and a whole
// target's scopes, order and `nth`.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { load, tags, plain } = require('./harness');

const page = (body) => load({ last: 'resolve', body });
const exact = (value) => ({ kind: 'exact', value });
const text = (value) => ({ kind: 'text', match: exact(value) });

test('exact text finds one element per thing on screen: the innermost interactive one of nested matches', () => {
  const { doc, P } = page(`
    <div id="toolbar"><button id="create"><span>Create Tracker</span></button></div>
    <p id="para"><span><b>Create Tracker</b></span></p>`);
  assert.deepEqual(tags(P.locators.byText(doc, exact('Create Tracker'))), ['button#create', 'b']);
});

test('exact text is the text as read: two stacked lines are two texts', () => {
  const { doc, P } = page('<div id="cell"><div id="l1">Transfer to LTS</div><div id="l2">Traces</div></div>');
  assert.deepEqual(tags(P.locators.byText(doc, exact('Transfer to LTS'))), ['div#l1']);
  assert.deepEqual(tags(P.locators.byText(doc, exact('Transfer to LTS Traces'))), ['div#cell']);
});

test('contained and pattern text find the deepest match, lifted to the interactive element around it', () => {
  const { doc, P } = page(`
    <a id="link" href="/t/1"><span><i>Tracker</i> mtd-1</span></a>
    <p id="note">The tracker mtd-2 is new</p>`);
  assert.deepEqual(tags(P.locators.byText(doc, { kind: 'contains', value: 'mtd-1' })), ['a#link']);
  assert.deepEqual(tags(P.locators.byText(doc, { kind: 'regex', value: 'mtd-\\d' })), ['a#link', 'p#note']);
});

test('a label finds controls named by aria-label, aria-labelledby, <label> and title', () => {
  const { doc, P } = page(`
    <input id="aria" aria-label="Name">
    <span id="lbl">Name</span><input id="labelled" aria-labelledby="lbl">
    <label for="for">* Name:</label><input id="for">
    <label>Name <select id="wrapped"></select></label>
    <button id="titled" title="Name"></button>
    <button id="titled-with-text" title="Name">Other</button>`);
  assert.deepEqual(tags(P.locators.byLabel(doc, 'Name')), ['input#aria', 'input#labelled', 'input#for', 'select#wrapped', 'button#titled']);
});

test('without any label, the text beside a control in a form item names it', () => {
  const { doc, P } = page(`
    <form>
      <div class="form-item"><div class="label">Bucket name</div><div><input id="bucket"></div></div>
      <div class="form-item"><div class="label">Region</div><span class="el-switch" id="region"></span></div>
    </form>`);
  assert.deepEqual(tags(P.locators.byLabel(doc, 'Bucket name')), ['input#bucket']);
  assert.deepEqual(tags(P.locators.byLabel(doc, 'Region')), ['span#region']);
  assert.deepEqual(tags(P.locators.byLabel(doc, 'Nothing')), []);
});

test('a role finds explicit and implicit roles, by name when given', () => {
  const { doc, P } = page(`
    <header id="top"></header>
    <main><header id="inner"></header>
      <button id="save">Save</button><input id="submit" type="submit" value="Save">
      <div id="fake" role="button">Save as</div><a id="link" href="/">Home</a>
      <div id="sw" role="switch custom" aria-label="Notify"></div></main>`);
  const { byRole } = P.locators;
  assert.deepEqual(tags(byRole(doc, 'button', null)), ['div#fake', 'button#save', 'input#submit']);
  assert.deepEqual(tags(byRole(doc, 'button', 'Save')), ['button#save', 'input#submit']);
  assert.deepEqual(tags(byRole(doc, 'button', { kind: 'contains', value: 'as' })), ['div#fake']);
  assert.deepEqual(tags(byRole(doc, 'switch', 'Notify')), ['div#sw']);
  assert.deepEqual(tags(byRole(doc, 'banner', null)), ['header#top']);
  assert.deepEqual(tags(byRole(doc, 'link', 'Home')), ['a#link']);
});

test('an option drawn without role=option is found in the open dropdown', () => {
  const { doc, P } = page(`
    <div class="el-select-dropdown"><ul><li class="el-select-dropdown__item" id="opt"><span>cn-north-4</span></li><li class="el-select-dropdown__item"><span>cn-east-3</span></li></ul></div>
    <div class="el-select-dropdown" style="display:none"><ul><li id="closed"><span>cn-north-4</span></li></ul></div>`);
  assert.deepEqual(tags(P.locators.byRole(doc, 'option', 'cn-north-4')), ['li#opt']);
});

test('placeholder and test id locators compare the normalised attribute', () => {
  const { doc, P } = page('<input id="a" placeholder="  Search   trackers "><div id="b" data-testid="save-btn"></div><input id="c" placeholder="Search">');
  const { resolveIn } = P.locators;
  assert.deepEqual(tags(resolveIn(doc, { kind: 'placeholder', value: 'Search trackers' })), ['input#a']);
  assert.deepEqual(tags(resolveIn(doc, { kind: 'testid', value: 'save-btn' })), ['div#b']);
  assert.deepEqual(tags(resolveIn(doc, { kind: 'css', value: 'input[placeholder]' })), ['input#a', 'input#c']);
});

test('a CSS selector the browser rejects is an invalid target; an unknown locator kind is a bug', () => {
  const { doc, P } = page('');
  assert.throws(() => P.locators.resolveIn(doc, { kind: 'css', value: 'div[' }), (e) => {
    assert.ok(e instanceof P.match.InvalidTarget);
    assert.equal(e.message, '`div[` is not a valid CSS selector');
    return true;
  });
  assert.throws(() => P.locators.resolveIn(doc, { kind: 'sound', value: 'x' }), (e) => !(e instanceof P.match.InvalidTarget) && /unknown locator sound/.test(e.message));
});

test('an element is described by tag, role, first classes, name, and where it is', () => {
  const { doc, P } = page(`
    <button id="b" class="btn primary large extra" style="left:10px;top:20px;width:100px;height:30px">Create Tracker</button>
    <div id="d" role="switch" aria-label="${'x'.repeat(60)}"></div>`);
  const { describe } = P.locators;
  assert.equal(describe(doc.getElementById('b')), '<button.btn.primary.large> "Create Tracker"');
  assert.equal(describe(doc.getElementById('b'), true), '<button.btn.primary.large> "Create Tracker" at (60, 35)');
  assert.equal(describe(doc.getElementById('d')), `<div[role=switch]> "${'x'.repeat(49)}…"`);
});

test('candidates name the table row they sit in, at most eight of them', () => {
  const rows = Array.from({ length: 10 }, (_, i) => `<tr><td>mtd-${i}</td><td><button>Delete</button></td></tr>`).join('');
  const { doc, P } = page(`<table><tbody>${rows}</tbody></table>`);
  const found = P.locators.byText(doc, exact('Delete'));
  assert.equal(found.length, 10);
  const listed = plain(P.locators.candidates(found));
  assert.equal(listed.length, 8);
  assert.equal(listed[0], '<button> "Delete" at (50, 10) in the row of "mtd-0"');
  assert.equal(P.locators.rowName(found[7]), 'mtd-7');
});

test('the open dialog is the last visible one, with its title and visible named buttons', () => {
  const { doc, P } = page(`
    <div role="dialog" aria-label="Old" style="display:none"><button>No</button></div>
    <span id="t">Delete tracker?</span>
    <div role="dialog" aria-labelledby="t"><button>Cancel</button><button>OK</button><button style="display:none">Hidden</button><button></button></div>`);
  assert.deepEqual(plain(P.locators.openDialog(doc)), { title: 'Delete tracker?', buttons: ['Cancel', 'OK'] });
  assert.equal(P.locators.openDialog(load({ last: 'resolve', body: '<p></p>' }).doc), null);
});

const spec = (locator, extra = {}) => ({ locator, row: null, within: null, nth: null, scope: null, label: 'the target', ...extra });

test('a target in a table row is looked for only in the rows that show the row\'s text', () => {
  const { P } = page(`<table>
    <tr id="r1"><td>mtd-1</td><td><button id="d1">Delete</button></td></tr>
    <tr id="r2"><td>mtd-2</td><td><button id="d2">Delete</button></td></tr></table>`);
  const found = P.resolve.resolve(spec(text('Delete'), { row: 'mtd-2' }));
  assert.equal(found.why, null);
  assert.deepEqual(tags(found.visible), ['button#d2']);
  assert.equal(P.resolve.resolve(spec(text('Delete'), { row: 'mtd-3' })).why, 'no table row contains "mtd-3"');
});

test('a target in a dialog needs an open dialog', () => {
  const { P } = page('<button>OK</button>');
  assert.equal(P.resolve.resolve(spec(text('OK'), { scope: 'dialog' })).why, 'no dialog is open');
});

test('within: inside the matches of another target, or the smallest box around a text that holds a match', () => {
  const { P } = page(`
    <div class="card" id="c1"><h3>Alpha</h3><button id="b1">Edit</button></div>
    <div class="card" id="c2"><h3>Beta</h3><button id="b2">Edit</button></div>`);
  const inCard = P.resolve.resolve(spec(text('Edit'), { within: spec({ kind: 'css', value: '#c2' }) }));
  assert.deepEqual(tags(inCard.visible), ['button#b2']);
  const nearTitle = P.resolve.resolve(spec(text('Edit'), { within: spec(text('Alpha')) }));
  assert.deepEqual(tags(nearTitle.visible), ['button#b1']);
  const missing = P.resolve.resolve(spec(text('Edit'), { within: spec(text('Gamma'), { label: '"Gamma"' }) }));
  assert.equal(missing.why, 'nothing matches "Gamma" (to look within)');
});

test('matches come in document order; nth picks among the visible ones', () => {
  const { P } = page('<button id="a">Go</button><button id="h" style="display:none">Go</button><div><button id="b">Go</button></div><button id="c">Go</button>');
  const all = P.resolve.resolve(spec({ kind: 'css', value: 'div button, button' }));
  assert.deepEqual(tags(all.unique), ['button#a', 'button#h', 'button#b', 'button#c']);
  assert.deepEqual(tags(all.visible), ['button#a', 'button#b', 'button#c']);
  assert.deepEqual(tags(P.resolve.resolve(spec(text('Go'), { nth: 2 })).visible), ['button#b']);
  const tooFew = P.resolve.resolve(spec(text('Go'), { nth: 4 }));
  assert.equal(tooFew.why, 'only 3 visible match(es), no 4. one');
  assert.deepEqual(tags(tooFew.visible), []);
});

test('matches found in another order (aria-label before <label>) are counted in document order', () => {
  const { doc, P } = page('<label for="a">Name</label><input id="a"><input id="b" aria-label="Name">');
  assert.deepEqual(tags(P.locators.byLabel(doc, 'Name')), ['input#b', 'input#a']);
  const label = { kind: 'label', value: 'Name' };
  assert.deepEqual(tags(P.resolve.resolve(spec(label)).visible), ['input#a', 'input#b']);
  assert.deepEqual(tags(P.resolve.resolve(spec(label, { nth: 1 })).visible), ['input#a']);
});

test('a hidden checkbox counts as visible through its label', () => {
  const { P } = page('<label id="l" for="c">Agree</label><input id="c" type="checkbox" style="opacity:0">');
  const found = P.resolve.resolve(spec({ kind: 'css', value: '#c' }));
  assert.deepEqual(tags(found.visible), ['label#l']);
  assert.equal(P.controls.controlOf(found.visible[0]).id, 'c');
});
