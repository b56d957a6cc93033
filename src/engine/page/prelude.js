// docent's in-page helper, part 1 of 5 (with toasts.js, targets.js,
// probe.js and api.js, joined in that order into one script). Installed in
// every document and frame before the page's own scripts run (CDP
// Page.addScriptToEvaluateOnNewDocument), it does two jobs:
//
// 1. The toast recorder: MutationObservers on the document and on every
//    shadow root (attachShadow is wrapped so roots created later are seen
//    too) note every notification the moment it is inserted or its text
//    changes, however briefly it lives, and keep the list in sessionStorage
//    so a full page load does not lose it.
// 2. The probe: one call per poll that resolves a target afresh (through
//    shadow roots, and into same-origin frames when the document itself has
//    no match), applies the strictness rules, and checks actionability
//    (visible, enabled, not busy, stable across two animation frames,
//    scrolled into view, and the element that receives the pointer at its
//    centre). Doing all of it in one script call keeps each poll to a single
//    WebDriver round trip and never holds stale elements.
//
// A runbook's own toast selectors arrive in `window.__docentConfig`, set
// just before this script by the same init script.
(() => {
  if (window.__docent) return;
  const CONFIG = window.__docentConfig || {};

  const norm = (s) => (s || '').replace(/[\s\u00a0\u200b]+/g, ' ').trim();
  const short = (s, n = 60) => (s.length > n ? s.slice(0, n - 1) + '…' : s);
  // Form labels often carry a required mark or a colon: "* Name:" labels "Name".
  const labelText = (s) => norm(s).replace(/^\*\s*/, '').replace(/\s*[:：*]+$/, '');

  // ---------------------------------------------------------- shadow roots
  // Roots attached from now on, closed ones included: a person sees their
  // content, so docent does too.
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

  // ----------------------------------------------------------------- frames
  // Same-origin frames below `doc`, visible ones only, outermost first.
  const frameDocs = (doc) => {
    const out = [];
    for (const frame of deepQueryAll(doc, 'iframe,frame')) {
      let inner = null;
      try { inner = frame.contentDocument; } catch (e) { inner = null; }
      if (!inner || !inner.documentElement || !isVisible(frame)) continue;
      out.push(inner, ...frameDocs(inner));
    }
    return out;
  };
  // Where an iframe's content (its document's viewport) starts in the
  // viewport of the document that holds the iframe: inside border and padding.
  const contentOrigin = (frame) => {
    const r = frame.getBoundingClientRect();
    const cs = frame.ownerDocument.defaultView.getComputedStyle(frame);
    return {
      x: r.x + frame.clientLeft + parseFloat(cs.paddingLeft || '0'),
      y: r.y + frame.clientTop + parseFloat(cs.paddingTop || '0'),
    };
  };
  // Where a document's viewport starts in this window's viewport.
  const offsetOf = (doc) => {
    let x = 0, y = 0;
    for (let win = doc.defaultView; win && win !== window; win = win.parent) {
      const frame = win.frameElement;
      if (!frame) break;
      const o = contentOrigin(frame);
      x += o.x;
      y += o.y;
    }
    return { x, y };
  };
