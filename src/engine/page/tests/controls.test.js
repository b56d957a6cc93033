// Tests of names.js and controls.js against the fake DOM: roles and
// accessible names (also those learned from tooltips), and form controls,
// native and drawn — their state, why one is disabled, loading or not
// editable.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { load, tags } = require('./harness');
const { fill } = require('./fake-dom');

const page = (body) => load({ last: 'controls', body });
const byId = (doc, id) => doc.getElementById(id);

test('interactive elements are controls, links with an address and elements with an interactive role', () => {
  const { doc, P } = page('<button id="b"></button><a id="a1" href="/x"></a><a id="a2"></a><div id="d1" role="button"></div><div id="d2" role="region"></div><div id="d3"></div><summary id="s"></summary>');
  const interactive = ['b', 'a1', 'a2', 'd1', 'd2', 'd3', 's'].filter((id) => P.names.isInteractive(byId(doc, id)));
  assert.deepEqual(interactive, ['b', 'a1', 'd1', 's']);
});

test('an accessible name comes from aria-labelledby, aria-label, a label, a button value, alt, text, then title', () => {
  const { doc, P } = page(`
    <span id="n">From id</span>
    <button id="by-id" aria-labelledby="n" aria-label="Not this">Text</button>
    <button id="by-aria" aria-label=" From  aria ">Text</button>
    <label for="f">* Field name:</label><input id="f">
    <input id="submit" type="submit" value="Send">
    <img id="img" alt="Logo">
    <button id="text"><i></i> Create <b>Tracker</b></button>
    <button id="title" title="Delete"><i></i></button>
    <button id="none"></button>`);
  const name = (id) => P.names.accessibleName(byId(doc, id));
  assert.equal(name('by-id'), 'From id');
  assert.equal(name('by-aria'), 'From aria');
  assert.equal(name('f'), '* Field name:');
  assert.equal(name('submit'), 'Send');
  assert.equal(name('img'), 'Logo');
  assert.equal(name('text'), 'Create Tracker');
  assert.equal(name('title'), 'Delete');
  assert.equal(name('none'), '');
});

test('an icon-only button is named by the tooltip it shows when hovered', () => {
  const { doc, P } = page('<button id="named">Save</button><button id="icon"><i class="icon-trash"></i></button>');
  const { discoverTooltips, accessibleName, byTooltip } = P.names;
  const icon = byId(doc, 'icon');
  // The search hovers the first unnamed button, then waits for its tooltip.
  assert.equal(discoverTooltips(), true);
  assert.deepEqual(icon.events, ['pointerover', 'pointerenter', 'mouseover', 'mouseenter']);
  assert.deepEqual(byId(doc, 'named').events, []);
  fill(doc.body, '<div class="el-popper" role="tooltip"><span>Delete tracker</span></div>');
  assert.equal(discoverTooltips(), true);
  assert.deepEqual(icon.events.slice(4), ['pointerout', 'pointerleave', 'mouseout', 'mouseleave']);
  assert.equal(accessibleName(icon), 'Delete tracker');
  assert.deepEqual(tags(byTooltip(doc, 'Delete tracker')), ['button#icon']);
  // Every unnamed button has been read: nothing more to look at.
  assert.equal(discoverTooltips(), false);
});

test('drawn controls are recognised by their root class, not by their parts', () => {
  const { doc, P } = page('');
  const drawn = (cls) => { const el = doc.createElement('span'); el.setAttribute('class', cls); return P.controls.isDrawnControl(el); };
  for (const cls of ['el-switch', 'tiny-switch is-checked', 'ant-checkbox', 'n-radio', 'MuiSwitch-root', 'checkbox']) assert.ok(drawn(cls), cls);
  for (const cls of ['el-switch__core', 'switcher', 'ant-checkbox-inner', 'MuiSwitch-thumb']) assert.ok(!drawn(cls), cls);
});

test('the state of a switch or checkbox, however it is drawn', () => {
  const { doc, P } = page(`
    <div id="aria-on" role="switch" aria-checked="true"></div>
    <input id="box-off" type="checkbox">
    <input id="box-on" type="checkbox" checked>
    <button id="pressed" aria-pressed="true">Bold</button>
    <span id="wraps" class="el-switch"><input type="checkbox" checked></span>
    <span id="class-on" class="el-switch is-checked"></span>
    <span id="class-active" class="n-switch n-switch--active"></span>
    <span id="class-off" class="ant-switch ant-switch-unchecked"></span>
    <label id="label">Send email <input type="checkbox" checked></label>
    <div id="plain">Text</div>`);
  const state = (id) => P.controls.stateOf(byId(doc, id));
  assert.equal(state('aria-on'), true);
  assert.equal(state('box-off'), false);
  assert.equal(state('box-on'), true);
  assert.equal(state('pressed'), true);
  assert.equal(state('wraps'), true);
  assert.equal(state('class-on'), true);
  assert.equal(state('class-active'), true);
  assert.equal(state('class-off'), false);
  assert.equal(state('label'), true);
  assert.equal(state('plain'), null);
});

test('why a control is disabled: its own flag, ARIA or a disabled fieldset around it, inert, or a drawn control\'s class', () => {
  const { doc, P } = page(`
    <button id="own" disabled>A</button>
    <div aria-disabled="true"><button id="aria">B</button></div>
    <fieldset disabled><input id="fieldset"></fieldset>
    <div inert><button id="inert">C</button></div>
    <span id="drawn" class="ant-switch ant-switch-disabled"></span>
    <span class="el-switch is-disabled"><input id="hidden-input" type="checkbox"></span>
    <label id="label">Agree <input type="checkbox" disabled></label>
    <button id="fine">D</button>`);
  const why = (id) => P.controls.disabledReason(byId(doc, id));
  assert.equal(why('own'), 'disabled');
  assert.equal(why('aria'), 'disabled (aria-disabled)');
  assert.equal(why('fieldset'), 'inside a disabled fieldset');
  assert.equal(why('inert'), 'inert');
  assert.equal(why('drawn'), 'disabled');
  assert.equal(why('hidden-input'), 'disabled');
  assert.equal(why('label'), 'disabled');
  assert.equal(why('fine'), null);
});

test('what can be typed into: text fields now, read-only ones later, never a checkbox or a plain element', () => {
  const { doc, P } = page(`
    <input id="text"><textarea id="area"></textarea><input id="ro" readonly><textarea id="ro-area" readonly></textarea>
    <input id="aria-ro" aria-readonly="true"><div id="editable" contenteditable="true"></div>
    <input id="box" type="checkbox"><div id="div"></div>`);
  const why = (id) => P.controls.notEditable(byId(doc, id));
  assert.equal(why('text'), null);
  assert.equal(why('area'), null);
  assert.equal(why('editable'), null);
  assert.deepEqual({ ...why('ro') }, { wait: 'read-only' });
  assert.deepEqual({ ...why('ro-area') }, { wait: 'read-only' });
  assert.deepEqual({ ...why('aria-ro') }, { wait: 'read-only' });
  assert.deepEqual({ ...why('box') }, { never: 'an <input type=checkbox>, not a text field' });
  assert.deepEqual({ ...why('div') }, { never: 'not a text field' });
});

test('controls in a container are the outermost ones, without a dropdown\'s own option list', () => {
  const { doc, P } = page(`
    <div id="item">
      <span class="el-switch"><input type="checkbox"></span>
      <input id="combo" role="combobox" aria-controls="list">
      <ul id="list" role="listbox"></ul>
      <ul id="free" role="listbox"></ul>
    </div>`);
  assert.deepEqual(tags(P.controls.controlsIn(byId(doc, 'item'))), ['span.el-switch', 'input#combo', 'ul#free']);
});

test('the text beside a control names it when the smallest container around both holds only that control', () => {
  const { doc, P } = page(`
    <form><div class="row"><div class="item"><span id="name">Name</span><input id="name-field"></div>
    <div class="item"><span id="both">Both</span><input><input></div></div></form>
    <div class="el-popper"><span id="tip">Tip</span><input></div>`);
  const { nearestControl } = P.controls;
  assert.equal(nearestControl(byId(doc, 'name')).id, 'name-field');
  assert.equal(nearestControl(byId(doc, 'both')), null);
  assert.equal(nearestControl(byId(doc, 'tip')), null);
});

test('a control is loading when ARIA says so, or its class, or a visible spinner inside a drawn switch', () => {
  const { doc, P } = page(`
    <div aria-busy="true"><button id="aria">A</button></div>
    <button id="class" class="btn is-loading">B</button>
    <span id="spinner" class="el-switch"><i class="el-icon is-loading"></i></span>
    <span id="hidden-spinner" class="el-switch"><i class="is-loading" style="display:none"></i></span>
    <button id="idle">C</button>`);
  const busy = (id) => P.controls.busyReason(byId(doc, id));
  assert.equal(busy('aria'), 'busy (aria-busy)');
  assert.equal(busy('class'), 'loading');
  assert.equal(busy('spinner'), 'loading');
  assert.equal(busy('hidden-spinner'), null);
  assert.equal(busy('idle'), null);
});

test('a loading mask is over a control when it holds the control or its box holds the control\'s centre', () => {
  const { doc, P } = page(`
    <button id="under" style="left:10px;top:10px;width:80px;height:20px">Save</button>
    <button id="beside" style="left:600px;top:10px;width:80px;height:20px">Other</button>
    <div id="mask" class="el-loading-mask" style="left:0px;top:0px;width:300px;height:100px"></div>`);
  const { busyOver, busyIndicator } = P.controls;
  assert.equal(busyOver(byId(doc, 'under')).id, 'mask');
  assert.equal(busyOver(byId(doc, 'beside')), null);
  assert.equal(busyIndicator(doc).id, 'mask');
});
