// Loads the in-page helper's parts into a fake window (fake-dom.js), in the
// order src/engine/probe.rs joins them, so each part's tests run the
// part's own code the way a browser would: as a script whose globals are
// the window's.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const vm = require('node:vm');
const { makeWindow } = require('./fake-dom');

const PAGE_DIR = path.join(__dirname, '..');
const PROBE_RS = path.join(PAGE_DIR, '..', 'probe.rs');

// The parts in the order the Rust side includes them.
const partOrder = () => {
  const source = fs.readFileSync(PROBE_RS, 'utf8');
  return [...source.matchAll(/include_str!\("page\/([\w.-]+\.js)"\)/g)].map((m) => m[1]);
};

const sourceOf = (file) => fs.readFileSync(path.join(PAGE_DIR, file), 'utf8');

// Runs the parts up to and including `last` (all of them by default) in
// `win` (a fake window holding `body`), and returns the window, its
// document and the parts' namespace (kept even after api.js removes it
// from the window).
const load = ({ last = null, body = '', win = null, config = null, window: options = {} } = {}) => {
  win = win || makeWindow(body, options);
  if (config) win.__docentConfig = config;
  const context = vm.isContext(win) ? win : vm.createContext(win);
  let parts = null;
  for (const file of partOrder()) {
    vm.runInContext(sourceOf(file), context, { filename: file });
    parts = parts || win.__docentParts;
    if (file === last || file.replace(/\.js$/, '') === last) break;
  }
  return { win, doc: win.document, P: parts };
};

// A value made in the fake window's realm, as plain data of this one
// (deepStrictEqual compares prototypes).
const plain = (value) => JSON.parse(JSON.stringify(value));

// Elements as `tag#id` (or `tag.class` without an id), in an array of this realm.
const tags = (els) => Array.from(els, (el) => el.tagName.toLowerCase() +
  (el.id ? `#${el.id}` : el.className ? `.${el.className.trim().split(/\s+/).join('.')}` : ''));

module.exports = { PAGE_DIR, PROBE_RS, partOrder, sourceOf, load, plain, tags };
