// docent's in-page helper, part "dom": walking the page as a person sees
// it — through shadow roots (closed ones included), up from an element
// across a shadow boundary, whether something is visible, its class
// tokens, and its text read the way it is laid out.
(() => {
  if (window.__docent) return;
  const P = window.__docentParts;
  const { norm } = P.text;

  // ---------------------------------------------------------- shadow roots
  // Roots attached from now on, closed ones included: a person sees their
  // content, so docent does too. Parts that watch every root (the toast
  // recorder) ask to hear of new ones with `onShadowRoot`.
  const shadowRoots = new WeakMap();
  const rootObservers = [];
  const nativeAttachShadow = Element.prototype.attachShadow;
  if (nativeAttachShadow) {
    Element.prototype.attachShadow = function attachShadow(init) {
      const root = nativeAttachShadow.call(this, init);
      shadowRoots.set(this, root);
      for (const watch of rootObservers) watch(root);
      return root;
    };
  }
  const onShadowRoot = (watch) => { rootObservers.push(watch); };
  const shadowOf = (el) => el.shadowRoot || shadowRoots.get(el) || null;

  // Every element under `root`, including those in shadow roots below it.
  const deepAll = (root) => {
    const out = [...root.querySelectorAll('*')];
    for (let i = 0; i < out.length; i++) {
      const sr = shadowOf(out[i]);
      if (sr) out.push(...sr.querySelectorAll('*'));
    }
    return out;
  };
  // `root` and every shadow root below it, for selector queries.
  const deepRoots = (root) => {
    const roots = [root];
    for (const el of deepAll(root)) {
      const sr = shadowOf(el);
      if (sr) roots.push(sr);
    }
    return roots;
  };
  const deepQueryAll = (root, selector) => {
    const found = [];
    for (const r of deepRoots(root)) found.push(...r.querySelectorAll(selector));
    return found;
  };
  // The element or shadow root whose ids an element's aria-* attributes name.
  const idScope = (el) => {
    const root = el.getRootNode();
    return root && root.getElementById ? root : el.ownerDocument;
  };
  const parentOf = (el) => el.parentElement || (el.parentNode && el.parentNode.host) || null;
  const contains = (outer, inner) => {
    for (let n = inner; n; n = parentOf(n)) if (n === outer) return true;
    return false;
  };

  const isVisible = (el) => {
    if (!el.isConnected) return false;
    if (el.checkVisibility && !el.checkVisibility({ checkOpacity: true, checkVisibilityCSS: true })) return false;
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0;
  };

  // An element's class tokens (an SVG element's className is not a string).
  const classTokens = (el) => {
    const cls = typeof el.className === 'string' ? el.className : (el.getAttribute && el.getAttribute('class')) || '';
    return cls ? cls.split(/\s+/).filter(Boolean) : [];
  };

  // ------------------------------------------------------------ reading text
  // Elements whose text no person reads.
  const SKIP = new Set(['SCRIPT', 'STYLE', 'TEMPLATE', 'NOSCRIPT', 'HEAD', 'TITLE', 'META', 'LINK']);
  // An element's text as a person reads it: a block box (a div, a cell, an
  // inline-block badge) starts and ends a word, where textContent would
  // glue "Transfer to LTS" and "Traces…" of two stacked lines into one.
  // One resolve reads each element once (`readCache`); outside a resolve
  // nothing is kept, so later reads see the page as it is then.
  let readCache = null;
  const separates = (el) => {
    if (el.tagName === 'BR') return true;
    const display = el.ownerDocument.defaultView.getComputedStyle(el).display;
    return display !== 'inline' && display !== 'contents';
  };
  const readRaw = (el) => {
    const cached = readCache && readCache.get(el);
    if (cached !== undefined && cached !== null) return cached;
    let out = '';
    for (const child of el.childNodes) {
      if (child.nodeType === 3) out += child.data;
      else if (child.nodeType === 1 && !SKIP.has(child.tagName)) {
        out += separates(child) ? ` ${readRaw(child)} ` : readRaw(child);
      }
    }
    if (readCache) readCache.set(el, out);
    return out;
  };
  const readText = (el) => norm(readRaw(el));
  // Runs `fn` with one read of each element's text.
  const reading = (fn) => {
    if (readCache) return fn();
    readCache = new WeakMap();
    try { return fn(); } finally { readCache = null; }
  };
  // The text of the elements whose ids `ids` lists (aria-labelledby, aria-describedby).
  const textOfIds = (el, ids) => norm(ids.split(/\s+/).map((id) => {
    const named = id && idScope(el).getElementById(id);
    return named ? readRaw(named) : '';
  }).join(' '));

  P.dom = {
    onShadowRoot, shadowOf, deepAll, deepRoots, deepQueryAll, idScope, parentOf, contains,
    isVisible, classTokens, SKIP, readRaw, readText, reading, textOfIds,
  };
})();
