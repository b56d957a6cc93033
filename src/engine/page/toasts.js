// docent's in-page helper, part "toasts": the toast recorder.
// MutationObservers on the document and on every shadow root (dom.js tells
// of roots attached later) note every notification the moment it is
// inserted or its text changes, however briefly it lives, and keep the
// list in sessionStorage so a full page load does not lose it. What counts
// as a toast and what it reports is toast-model.js; a runbook's own toast
// selectors arrive in `window.__docentConfig`, set just before the helper
// by the same init script (probe.rs).
(() => {
  if (window.__docent) return;
  const P = window.__docentParts;
  const CONFIG = window.__docentConfig || {};
  const { norm } = P.text;
  const { LIBRARY_TOASTS, ARIA_TOASTS, kindOfClassList, kindOfWords, placeIn, revision, openStore, append, since, LEAVING } = P.toastModel;
  const { onShadowRoot, shadowOf, deepAll, deepQueryAll, parentOf, classTokens, readRaw } = P.dom;
  const { DIALOG_SELECTOR } = P.names;

  // A runbook's selectors that the browser cannot parse are reported, not
  // silently ignored, and left out so the rest keep working.
  const badSelectors = [];
  const usable = (list) => (Array.isArray(list) ? list : []).filter((sel) => {
    try { document.createDocumentFragment().querySelector(sel); return true; } catch (e) { badSelectors.push(sel); return false; }
  });
  const MARKED_SELECTOR = [...LIBRARY_TOASTS, ...usable(CONFIG.toasts)].join(',');
  const TOAST_SELECTOR = [MARKED_SELECTOR, ...ARIA_TOASTS].join(',');
  const ERROR_SELECTOR = usable(CONFIG.errors).join(',');
  const IGNORE_SELECTOR = usable(CONFIG.ignore).join(',');

  // Each frame keeps its own list: frames of one origin share sessionStorage.
  const STORE_KEY = window === window.top ? '__docent_toasts' : `__docent_toasts:${window.name || location.pathname}`;
  let saved = null;
  try { saved = JSON.parse(sessionStorage.getItem(STORE_KEY) || 'null'); } catch (e) { saved = null; }
  const store = openStore(saved);
  const save = () => { try { sessionStorage.setItem(STORE_KEY, JSON.stringify(store)); } catch (e) { /* opaque origin */ } };
  // Toast element -> its entry; `null` once its text was emptied, so the
  // next text it shows is a new announcement.
  const entries = new WeakMap();

  // Over the content: it, or an element around it, is fixed to the
  // viewport (or in the top layer). Inside a dialog it is the dialog's content.
  const isLayer = (el) => {
    for (let n = el, depth = 0; n && n.nodeType === 1 && depth < 40; n = parentOf(n), depth++) {
      if (n.matches(DIALOG_SELECTOR)) return false;
      const style = n.ownerDocument.defaultView.getComputedStyle(n);
      if (style.position === 'fixed') return true;
      try { if (n.matches(':popover-open')) return true; } catch (e) { /* no popover support */ }
    }
    return false;
  };
  const isLiveRegion = (el) => el.hasAttribute('aria-live') || ['status', 'log'].includes(el.getAttribute('role'));
  const ignored = (el) => !!(IGNORE_SELECTOR && el.closest(IGNORE_SELECTOR));
  // The element, or one around it, came in this batch of insertions.
  const arrivedWith = (el, batch) => {
    for (let n = el; n; n = n.parentElement) if (batch.has(n)) return true;
    return false;
  };

  // What a toast reports: the runbook's error selectors first, then the
  // library's type classes on the toast or inside it, then its words.
  const kindOf = (item) => {
    const nodes = [item, ...deepAll(item)];
    if (ERROR_SELECTOR && nodes.some((n) => n.matches(ERROR_SELECTOR))) return 'error';
    for (const n of nodes) {
      const kind = kindOfClassList(typeof n.className === 'string' ? n.className : (n.getAttribute('class') || ''));
      if (kind) return kind;
    }
    return kindOfWords(textOf(item)) || 'info';
  };
  // A toast's text as a person reads it: its title and message are two words.
  const textOf = (item) => {
    const sr = shadowOf(item);
    return norm(sr ? `${sr.textContent} ${readRaw(item)}` : readRaw(item));
  };

  // The toast an inserted or changed node belongs to, if any: the
  // outermost element around it that is a toast by the rules above. A
  // toast container that was already there (a fixed stack, a live region
  // that hosts messages) stands for its child that holds the node.
  const itemFor = (node, batch) => {
    let chosen = null;
    for (let el = node; el && el.nodeType === 1; el = el.parentElement) {
      if (IGNORE_SELECTOR && el.matches(IGNORE_SELECTOR)) return null;
      if (!el.matches(TOAST_SELECTOR)) continue;
      const arrived = arrivedWith(el, batch);
      const toast = el.matches(MARKED_SELECTOR) || isLayer(el) || (!arrived && isLiveRegion(el));
      if (!toast) continue;
      // Content added to a toast already recorded fills that toast in.
      if (arrived || entries.get(el)) { chosen = el; continue; }
      let child = node;
      while (child.parentElement && child.parentElement !== el) child = child.parentElement;
      chosen = child.parentElement === el ? child : el;
    }
    return chosen;
  };

  // Where a toast showed in the viewport. A toast drawn inside a
  // full-screen layer is where its box is.
  const placeOf = (el) => {
    const w = window.innerWidth;
    const h = window.innerHeight;
    if (!w || !h) return null;
    let box = el;
    for (let depth = 0; depth < 4; depth++) {
      const r = box.getBoundingClientRect();
      if (r.width < 0.9 * w || r.height < 0.9 * h) break;
      const inner = [...box.children].find((c) => { const cr = c.getBoundingClientRect(); return cr.width && cr.height; });
      if (!inner) break;
      box = inner;
    }
    return placeIn(box.getBoundingClientRect(), w, h);
  };
  // Toasts slide and grow in: where one showed is measured again while it
  // is young and on the page, up to the moment it is drained.
  const young = new Map(); // entry -> element
  const replace = () => {
    for (const [entry, el] of young) {
      if (!el.isConnected || Date.now() - entry.at > 2000) { young.delete(entry); continue; }
      const place = placeOf(el);
      if (place) entry.place = place;
    }
  };

  const record = (item) => {
    const text = textOf(item);
    const entry = entries.get(item);
    switch (revision(entry, text)) {
      case 'same': return;
      case 'emptied': entries.set(item, null); return;
      case 'grown': entry.text = text; entry.kind = kindOf(item); save(); return;
      default: {
        const fresh = append(store, { text, kind: kindOf(item), at: Date.now(), place: placeOf(item) });
        young.set(fresh, item);
        entries.set(item, fresh);
        save();
      }
    }
  };

  // The toast whose text a mutation inside `node` changed, if any.
  const toastAround = (node) => {
    for (let el = node; el && el.nodeType === 1; el = el.parentElement) {
      if (entries.has(el)) return el;
    }
    return itemFor(node, new Set());
  };

  const onMutations = (mutations) => {
    const batch = new Set();
    for (const m of mutations) for (const n of m.addedNodes) if (n.nodeType === 1) batch.add(n);
    for (const m of mutations) {
      for (const n of m.addedNodes) {
        if (n.nodeType !== 1) continue;
        const own = itemFor(n, batch);
        if (own) record(own);
        for (const inner of deepQueryAll(n, TOAST_SELECTOR)) {
          const item = itemFor(inner, batch);
          if (item) record(item);
        }
      }
      // Text set after insertion, or a live region whose text alone changes.
      const changed = m.target.nodeType === 1 ? m.target : m.target.parentElement;
      if (changed && (m.type === 'characterData' || m.addedNodes.length || m.removedNodes.length)) {
        const item = toastAround(changed);
        if (item) record(item);
      }
    }
  };
  const observer = new MutationObserver(onMutations);
  const OBSERVE = { childList: true, subtree: true, characterData: true };
  const watchRoot = (root) => {
    observer.observe(root, OBSERVE);
    // Toasts already showing when the helper arrives (a document it was
    // injected into late); alerts in the content flow are left out.
    for (const el of root.querySelectorAll(TOAST_SELECTOR)) {
      if (!textOf(el) || el.querySelector(TOAST_SELECTOR) || ignored(el)) continue;
      if (el.matches(MARKED_SELECTOR) || isLayer(el)) record(el);
    }
  };
  onShadowRoot(watchRoot);

  // This document's toasts after the caller's cursor for its store.
  const ownToasts = (cursors) => {
    replace();
    return { id: store.id, items: since(store, cursors) };
  };

  // A toast on its way out: its (or an inner element's) class says it is
  // leaving.
  const leavingToast = (el) => {
    let toast = null;
    for (let n = el; n && n.nodeType === 1; n = parentOf(n)) if (n.matches(TOAST_SELECTOR)) toast = n;
    if (!toast) return false;
    for (let n = el; n && n !== parentOf(toast); n = parentOf(n)) {
      if (classTokens(n).some((t) => LEAVING.test(t))) return true;
    }
    return false;
  };

  P.toasts = { badSelectors, watchRoot, ownToasts, leavingToast };
})();
