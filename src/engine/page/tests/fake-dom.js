// A small hand-made DOM for the in-page helper's tests, so its parts can
// run under Node without a browser or an npm package. It models what the
// helper reads, the way a browser does: a light tree with open and closed
// shadow roots, attributes, the properties of form controls and labels,
// CSS selectors (type, class, id, attribute, :not, the descendant and
// child combinators; anything else throws, as a browser does for a
// selector it cannot parse), computed `display`/`position` from tag
// defaults and the `style` attribute, and boxes: an element's box is
// what its `style` gives (left, top, width, height in px), else 100x20 at
// the origin, and empty when it or an element around it is not displayed.
// It lays nothing out; a test that needs geometry says where things are.
'use strict';

// -------------------------------------------------------------- selectors
const IDENT = /^-?[_a-zA-Z][\w-]*/;

const splitTop = (text, sep) => {
  const out = [];
  let depth = 0, quote = null, start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote) { if (c === quote) quote = null; continue; }
    if (c === '"' || c === "'") quote = c;
    else if (c === '(' || c === '[') depth++;
    else if (c === ')' || c === ']') depth--;
    else if (c === sep && depth === 0) { out.push(text.slice(start, i)); start = i + 1; }
  }
  out.push(text.slice(start));
  return out;
};

const unsupported = (selector) => {
  const e = new SyntaxError(`'${selector}' is not a valid selector (in this fake DOM)`);
  e.name = 'SyntaxError';
  return e;
};

// One compound selector (`input[type=text]:not(.x)`) as a test of an element.
const parseCompound = (text, whole) => {
  const tests = [];
  let rest = text;
  const tag = /^(\*|[a-zA-Z][\w-]*)/.exec(rest);
  if (tag) {
    const name = tag[1].toUpperCase();
    tests.push(name === '*' ? () => true : (el) => el.tagName === name);
    rest = rest.slice(tag[0].length);
  }
  while (rest) {
    if (rest[0] === '.' || rest[0] === '#') {
      const id = IDENT.exec(rest.slice(1));
      if (!id) throw unsupported(whole);
      const name = id[0];
      tests.push(rest[0] === '.' ? (el) => el.classList.includes(name) : (el) => el.id === name);
      rest = rest.slice(1 + name.length);
    } else if (rest[0] === '[') {
      const m = /^\[\s*([\w-]+)\s*(?:=\s*(?:"([^"]*)"|'([^']*)'|([\w-]+))\s*)?\]/.exec(rest);
      if (!m) throw unsupported(whole);
      const [, name, dq, sq, bare] = m;
      const value = dq ?? sq ?? bare;
      tests.push(value === undefined ? (el) => el.hasAttribute(name) : (el) => el.getAttribute(name) === value);
      rest = rest.slice(m[0].length);
    } else if (rest.startsWith(':not(')) {
      let depth = 0, end = -1;
      for (let i = 4; i < rest.length; i++) {
        if (rest[i] === '(') depth++;
        else if (rest[i] === ')' && --depth === 0) { end = i; break; }
      }
      if (end < 0) throw unsupported(whole);
      const inner = parseList(rest.slice(5, end));
      tests.push((el) => !inner(el));
      rest = rest.slice(end + 1);
    } else {
      throw unsupported(whole);
    }
  }
  if (!tests.length) throw unsupported(whole);
  return (el) => tests.every((t) => t(el));
};

// A complex selector (`body > header`, `.menu li`), matched right to left.
const parseComplex = (text) => {
  const tokens = text.trim().replace(/\s*>\s*/g, ' > ').split(/\s+/);
  if (!tokens[0] || tokens[0] === '>' || tokens[tokens.length - 1] === '>') throw unsupported(text);
  const steps = [];
  for (let i = 0; i < tokens.length; i++) {
    if (tokens[i] === '>') continue;
    steps.push({ combinator: tokens[i - 1] === '>' ? 'child' : 'descendant', test: parseCompound(tokens[i], text) });
  }
  const matchFrom = (el, index) => {
    if (!steps[index].test(el)) return false;
    if (index === 0) return true;
    if (steps[index].combinator === 'child') return !!el.parentElement && matchFrom(el.parentElement, index - 1);
    for (let p = el.parentElement; p; p = p.parentElement) if (matchFrom(p, index - 1)) return true;
    return false;
  };
  return (el) => matchFrom(el, steps.length - 1);
};

const selectorCache = new Map();
const parseList = (text) => {
  if (!selectorCache.has(text)) {
    const alternatives = splitTop(text, ',').map((part) => {
      if (!part.trim()) throw unsupported(text);
      return parseComplex(part);
    });
    selectorCache.set(text, (el) => alternatives.some((m) => m(el)));
  }
  return selectorCache.get(text);
};

// ------------------------------------------------------------------ nodes
const descendants = (node) => {
  const out = [];
  const walk = (n) => { for (const c of n.childNodes) if (c.nodeType === 1) { out.push(c); walk(c); } };
  walk(node);
  return out;
};

class FakeNode {
  constructor(doc) {
    this.ownerDocument = doc;
    this.parentNode = null;
    this.childNodes = [];
  }
  get parentElement() {
    return this.parentNode && this.parentNode.nodeType === 1 ? this.parentNode : null;
  }
  get firstChild() { return this.childNodes[0] || null; }
  getRootNode(options = {}) {
    let n = this;
    for (;;) {
      while (n.parentNode) n = n.parentNode;
      if (options.composed && n.nodeType === 11 && n.host) { n = n.host; continue; }
      return n;
    }
  }
  get isConnected() {
    return this.getRootNode({ composed: true }).nodeType === 9;
  }
  appendChild(child) {
    if (child.nodeType === 11 && !child.host) {
      for (const c of [...child.childNodes]) this.appendChild(c);
      return child;
    }
    if (child.parentNode) child.remove();
    child.parentNode = this;
    this.childNodes.push(child);
    return child;
  }
  remove() {
    if (!this.parentNode) return;
    const siblings = this.parentNode.childNodes;
    siblings.splice(siblings.indexOf(this), 1);
    this.parentNode = null;
  }
  get textContent() {
    return this.childNodes.map((c) => c.textContent).join('');
  }
  set textContent(text) {
    for (const c of [...this.childNodes]) c.remove();
    if (text) this.appendChild(new FakeText(this.ownerDocument || this, text));
  }
  contains(other) {
    for (let n = other; n; n = n.parentNode) if (n === this) return true;
    return false;
  }
  querySelectorAll(selector) {
    const match = parseList(selector);
    return descendants(this).filter(match);
  }
  querySelector(selector) {
    return this.querySelectorAll(selector)[0] || null;
  }
  getElementById(id) {
    return descendants(this).find((el) => el.id === id) || null;
  }
  // Tree order. Nodes of different trees (a shadow root's and its host's)
  // are DISCONNECTED | IMPLEMENTATION_SPECIFIC, and ordered here as the
  // composed tree is: a host, its shadow root's content, its light children.
  compareDocumentPosition(other) {
    const order = [];
    const walk = (n) => {
      order.push(n);
      if (n.nodeType === 1 && n.attachedShadow) walk(n.attachedShadow);
      for (const c of n.childNodes) walk(c);
    };
    walk(this.getRootNode({ composed: true }));
    const a = order.indexOf(this), b = order.indexOf(other);
    if (a < 0 || b < 0) return 1 | 32 | 2; // DISCONNECTED, IMPLEMENTATION_SPECIFIC, PRECEDING
    const trees = this.getRootNode() === other.getRootNode() ? 0 : 1 | 32;
    return trees | (b > a ? 4 : 2); // FOLLOWING : PRECEDING
  }
}

class FakeText extends FakeNode {
  constructor(doc, data) {
    super(doc);
    this.nodeType = 3;
    this.data = data;
  }
  get textContent() { return this.data; }
}

class FakeShadowRoot extends FakeNode {
  constructor(host, mode) {
    super(host.ownerDocument);
    this.nodeType = 11;
    this.host = host;
    this.mode = mode;
    // Constructed style sheets (the browser's is an observable array).
    this.adoptedStyleSheets = [];
  }
  elementFromPoint(x, y) { return topmostAt(descendants(this), x, y); }
}

class FakeFragment extends FakeNode {
  constructor(doc) { super(doc); this.nodeType = 11; this.host = null; }
}

const LABELABLE = new Set(['INPUT', 'SELECT', 'TEXTAREA', 'BUTTON', 'METER', 'OUTPUT', 'PROGRESS']);
const DISABLEABLE = new Set(['BUTTON', 'INPUT', 'SELECT', 'TEXTAREA', 'FIELDSET', 'OPTION', 'OPTGROUP']);

class FakeElement extends FakeNode {
  constructor(doc, tag) {
    super(doc);
    this.nodeType = 1;
    this.tagName = tag.toUpperCase();
    this.attributes = new Map();
    this.attachedShadow = null;
    this.events = [];
  }
  getAttribute(name) { return this.attributes.has(name) ? this.attributes.get(name) : null; }
  setAttribute(name, value) { this.attributes.set(name, String(value)); }
  hasAttribute(name) { return this.attributes.has(name); }
  removeAttribute(name) { this.attributes.delete(name); }
  getAttributeNames() { return [...this.attributes.keys()]; }
  get localName() { return this.tagName.toLowerCase(); }
  get id() { return this.getAttribute('id') || ''; }
  set id(value) { this.setAttribute('id', value); }
  get className() { return this.getAttribute('class') || ''; }
  get classList() { return this.className.split(/\s+/).filter(Boolean); }
  get children() { return this.childNodes.filter((c) => c.nodeType === 1); }
  matches(selector) { return parseList(selector)(this); }
  closest(selector) {
    const match = parseList(selector);
    for (let n = this; n; n = n.parentElement) if (match(n)) return n;
    return null;
  }
  attachShadow(init) {
    if (this.attachedShadow) throw new Error('already a shadow host');
    this.attachedShadow = new FakeShadowRoot(this, init.mode);
    return this.attachedShadow;
  }
  get shadowRoot() {
    return this.attachedShadow && this.attachedShadow.mode === 'open' ? this.attachedShadow : null;
  }
  dispatchEvent(event) { this.events.push(event.type); return true; }
  focus() { this.ownerDocument.activeElement = this; }

  // Form controls and labels, as HTML defines the properties the helper reads.
  get disabled() { return DISABLEABLE.has(this.tagName) && this.hasAttribute('disabled'); }
  get readOnly() { return (this.tagName === 'INPUT' || this.tagName === 'TEXTAREA') && this.hasAttribute('readonly'); }
  get type() {
    if (this.tagName === 'INPUT') return (this.getAttribute('type') || 'text').toLowerCase();
    if (this.tagName === 'BUTTON') return (this.getAttribute('type') || 'submit').toLowerCase();
    return undefined;
  }
  get checked() { return this.checkedNow ?? this.hasAttribute('checked'); }
  set checked(on) { this.checkedNow = !!on; }
  get value() {
    if (this.valueNow !== undefined) return this.valueNow;
    if (this.tagName === 'TEXTAREA') return this.textContent;
    return this.getAttribute('value') || '';
  }
  set value(v) { this.valueNow = String(v); }
  get title() { return this.getAttribute('title') || ''; }
  get alt() { return this.getAttribute('alt') || ''; }
  get isContentEditable() {
    for (let n = this; n; n = n.parentElement) {
      const v = n.getAttribute('contenteditable');
      if (v === '' || v === 'true') return true;
      if (v === 'false') return false;
    }
    return false;
  }
  get labels() {
    if (!LABELABLE.has(this.tagName) || (this.tagName === 'INPUT' && this.type === 'hidden')) return undefined;
    const root = this.getRootNode();
    return root.querySelectorAll('label').filter((label) => label.control === this);
  }
  get control() {
    if (this.tagName !== 'LABEL') return undefined;
    const target = this.getAttribute('for');
    if (target !== null) {
      const el = this.getRootNode().getElementById(target);
      return el && LABELABLE.has(el.tagName) ? el : null;
    }
    return descendants(this).find((el) => LABELABLE.has(el.tagName) && !(el.tagName === 'INPUT' && el.type === 'hidden')) || null;
  }

  // Style and boxes.
  // The inline style, read from and written back to the `style`
  // attribute: each declared property by name, and the methods of a
  // CSSStyleDeclaration that the helper calls.
  get style() {
    const decls = [];
    for (const decl of (this.getAttribute('style') || '').split(';')) {
      const [name, raw] = decl.split(':').map((s) => s && s.trim());
      if (!name || raw === undefined) continue;
      const important = /\s*!important$/.test(raw);
      decls.push({ name, value: raw.replace(/\s*!important$/, ''), priority: important ? 'important' : '' });
    }
    const el = this;
    const write = () => el.setAttribute('style', decls.map((d) => `${d.name}: ${d.value}${d.priority ? ' !important' : ''};`).join(' '));
    const find = (name) => decls.find((d) => d.name === name);
    const out = {};
    for (const d of decls) out[d.name] = d.value;
    Object.defineProperties(out, {
      getPropertyValue: { value: (name) => (find(name) ? find(name).value : '') },
      getPropertyPriority: { value: (name) => (find(name) ? find(name).priority : '') },
      setProperty: {
        value: (name, value, priority = '') => {
          const d = find(name);
          if (d) Object.assign(d, { value, priority });
          else decls.push({ name, value, priority });
          write();
        },
      },
      removeProperty: {
        value: (name) => {
          const d = find(name);
          if (d) decls.splice(decls.indexOf(d), 1);
          write();
          return d ? d.value : '';
        },
      },
      cssText: { get: () => el.getAttribute('style') || '', set: (text) => el.setAttribute('style', text) },
    });
    return out;
  }
  get displayed() {
    for (let n = this; n; n = composedParent(n)) {
      if (computedStyle(n).display === 'none') return false;
    }
    return true;
  }
  getBoundingClientRect() {
    if (!this.isConnected || !this.displayed) return box(0, 0, 0, 0);
    const s = this.style;
    const px = (v, d) => (v === undefined ? d : parseFloat(v));
    return box(px(s.left, 0), px(s.top, 0), px(s.width, 100), px(s.height, 20));
  }
  checkVisibility(options = {}) {
    if (!this.isConnected || !this.displayed) return false;
    for (let n = this; n; n = composedParent(n)) {
      const s = computedStyle(n);
      if (options.checkVisibilityCSS && s.visibility === 'hidden') return false;
      if (options.checkOpacity && s.opacity === '0') return false;
    }
    return true;
  }
  scrollIntoView() {}
  get clientLeft() { return 0; }
  get clientTop() { return 0; }
}

const composedParent = (n) => n.parentElement || (n.parentNode && n.parentNode.host) || null;

const box = (x, y, width, height) => ({
  x, y, width, height, left: x, top: y, right: x + width, bottom: y + height,
});

const INLINE = new Set(['A', 'SPAN', 'LABEL', 'B', 'I', 'EM', 'STRONG', 'CODE', 'SMALL', 'ABBR', 'IMG', 'BR', 'SVG']);
const INLINE_BLOCK = new Set(['INPUT', 'BUTTON', 'SELECT', 'TEXTAREA']);
const NOT_SHOWN = new Set(['HEAD', 'SCRIPT', 'STYLE', 'TEMPLATE', 'TITLE', 'META', 'LINK']);
const DISPLAY = { TR: 'table-row', TD: 'table-cell', TH: 'table-cell', TABLE: 'table', LI: 'list-item' };

const computedStyle = (el) => {
  let display = 'block';
  if (INLINE.has(el.tagName)) display = 'inline';
  else if (INLINE_BLOCK.has(el.tagName)) display = 'inline-block';
  else if (NOT_SHOWN.has(el.tagName)) display = 'none';
  else if (DISPLAY[el.tagName]) display = DISPLAY[el.tagName];
  if (el.tagName === 'DIALOG' && !el.hasAttribute('open')) display = 'none';
  if (el.hasAttribute('hidden')) display = 'none';
  const s = el.style;
  return {
    display: s.display || display,
    position: s.position || 'static',
    visibility: s.visibility || 'visible',
    opacity: s.opacity || '1',
    paddingLeft: s['padding-left'] || '0px',
    paddingTop: s['padding-top'] || '0px',
  };
};

// The element a point hits: the last one in tree order whose box holds it
// (children are painted over their parents, later siblings over earlier ones).
const topmostAt = (elements, x, y) => {
  let hit = null;
  for (const el of elements) {
    const r = el.getBoundingClientRect();
    if (r.width && r.height && x >= r.left && x < r.right && y >= r.top && y < r.bottom) hit = el;
  }
  return hit;
};

// ------------------------------------------------------------------- HTML
const VOID = new Set(['INPUT', 'BR', 'IMG', 'HR', 'META', 'LINK', 'AREA']);
const ENTITIES = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };
const decode = (s) => s.replace(/&(\w+);/g, (m, name) => ENTITIES[name] ?? m);

// Appends the nodes `html` describes to `parent`. A `<template
// shadowrootmode>` becomes its parent's shadow root (declarative shadow DOM).
const fill = (parent, html) => {
  const doc = parent.nodeType === 9 ? parent : parent.ownerDocument;
  const stack = [parent];
  const token = /<!--[\s\S]*?-->|<\/([a-zA-Z][\w-]*)\s*>|<([a-zA-Z][\w-]*)((?:\s+[^\s=>/]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]+))?)*)\s*\/?>|([^<]+)/g;
  for (const m of html.matchAll(token)) {
    const [, close, open, attrs, text] = m;
    const top = stack[stack.length - 1];
    if (text !== undefined) {
      top.appendChild(new FakeText(doc, decode(text)));
    } else if (close) {
      const name = close.toUpperCase();
      const i = stack.findLastIndex((n) => n.tagName === name || (name === 'TEMPLATE' && n.nodeType === 11 && n.host));
      if (i > 0) stack.length = i;
    } else if (open) {
      const el = new doc.ElementType(doc, open);
      for (const a of (attrs || '').matchAll(/([^\s=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?/g)) {
        el.setAttribute(a[1], decode(a[2] ?? a[3] ?? a[4] ?? ''));
      }
      if (el.tagName === 'TEMPLATE' && el.hasAttribute('shadowrootmode') && top.nodeType === 1) {
        stack.push(top.attachShadow({ mode: el.getAttribute('shadowrootmode') }));
        continue;
      }
      top.appendChild(el);
      if (!VOID.has(el.tagName)) stack.push(el);
    }
  }
  return parent;
};

class FakeDocument extends FakeNode {
  constructor(ElementType) {
    super(null);
    this.nodeType = 9;
    this.ElementType = ElementType;
    this.activeElement = null;
    this.URL = 'http://127.0.0.1/';
    this.title = '';
  }
  get documentElement() { return this.children[0] || null; }
  get children() { return this.childNodes.filter((c) => c.nodeType === 1); }
  get body() { return this.documentElement && this.documentElement.querySelector('body'); }
  createElement(tag) { return new this.ElementType(this, tag); }
  createDocumentFragment() { return new FakeFragment(this); }
  elementFromPoint(x, y) { return topmostAt(descendants(this), x, y); }
  getAnimations() { return []; }
}

class FakeEvent {
  constructor(type, init = {}) { this.type = type; Object.assign(this, init); }
}


class FakeStorage {
  constructor() { this.items = new Map(); }
  getItem(key) { return this.items.has(key) ? this.items.get(key) : null; }
  setItem(key, value) { this.items.set(key, String(value)); }
}

// A window whose document holds `body` (HTML), with what the helper's
// parts use of a browser window. Each window has its own Element class, so
// the helper's wrapping of attachShadow stays in that window.
const makeWindow = (body = '', { width = 1280, height = 800, sessionStorage = new FakeStorage() } = {}) => {
  class Element extends FakeElement {}
  // Records what it is asked to observe; tests hand it mutations themselves.
  const observers = [];
  class MutationObserver {
    constructor(callback) { this.callback = callback; this.observed = []; observers.push(this); }
    observe(target, options) { this.observed.push({ target, options }); }
    disconnect() { this.observed = []; }
  }
  const doc = new FakeDocument(Element);
  fill(doc, `<html><head></head><body>${body}</body></html>`);
  const listeners = [];
  const win = {
    document: doc,
    Element,
    Node: { DOCUMENT_POSITION_PRECEDING: 2, DOCUMENT_POSITION_FOLLOWING: 4 },
    Event: FakeEvent,
    MouseEvent: FakeEvent,
    MutationObserver,
    observers,
    innerWidth: width,
    innerHeight: height,
    scrollX: 0,
    scrollY: 0,
    name: '',
    frameElement: null,
    location: { pathname: '/' },
    sessionStorage,
    listeners,
    addEventListener: (type, fn, options) => listeners.push({ type, fn, options }),
    getComputedStyle: computedStyle,
    // A constructable style sheet: the text it was given is all it keeps.
    CSSStyleSheet: class { replaceSync(text) { this.text = text; } },
    requestAnimationFrame: (fn) => setTimeout(fn, 0),
    setTimeout,
    clearTimeout,
    console,
  };
  win.window = win;
  win.self = win;
  win.top = win;
  win.parent = win;
  doc.defaultView = win;
  return win;
};

module.exports = { makeWindow, fill, FakeStorage };
