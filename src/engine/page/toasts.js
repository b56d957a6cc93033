// The in-page helper, part 2 of 5 (the parts are joined in this order into
// one script; see prelude.js): the toast recorder.

  // ---------------------------------------------------------------- toasts
  const DEFAULT_TOASTS = [
    '[role=alert]', '[role=status]', '[aria-live=assertive]', '[aria-live=polite]',
    '.toast', '.ant-message-notice', '.ant-notification-notice', '.el-message',
    '.el-notification', '.MuiSnackbar-root', '.Toastify__toast', '.notyf__toast',
    '.swal2-toast', '.v-snack', '.tiny-notify', '.ti3-message', '.ivu-message-notice',
    '.p-toast-message', '.chakra-toast', '.Toast', '.mat-mdc-snack-bar-container',
    '.snackbar',
  ];
  // A runbook's selectors that the browser cannot parse are reported, not
  // silently ignored, and left out so the rest keep working.
  const badSelectors = [];
  const usable = (list) => (Array.isArray(list) ? list : []).filter((sel) => {
    try { document.createDocumentFragment().querySelector(sel); return true; } catch (e) { badSelectors.push(sel); return false; }
  });
  const TOAST_SELECTOR = [...DEFAULT_TOASTS, ...usable(CONFIG.toasts)].join(',');
  const ERROR_SELECTOR = usable(CONFIG.errors).join(',');
  const ERROR_CLASS = /(^|[-_\s])(error|danger|fail|failed|failure|critical|negative|bad)([-_\s]|$)/i;
  // Each frame keeps its own list: frames of one origin share sessionStorage.
  const STORE_KEY = window === window.top ? '__docent_toasts' : `__docent_toasts:${window.name || location.pathname}`;
  let store = null;
  try { store = JSON.parse(sessionStorage.getItem(STORE_KEY) || 'null'); } catch (e) { store = null; }
  if (!store || !Array.isArray(store.items)) {
    store = { id: Math.random().toString(36).slice(2), seq: 0, items: [] };
  }
  const save = () => { try { sessionStorage.setItem(STORE_KEY, JSON.stringify(store)); } catch (e) { /* opaque origin */ } };
  // Toast element -> its entry; `null` once its text was emptied, so the
  // next text it shows is a new announcement.
  const entries = new WeakMap();

  const kindOf = (item) => {
    const nodes = [item, ...deepAll(item)];
    for (const n of nodes) {
      if (ERROR_SELECTOR && n.matches(ERROR_SELECTOR)) return 'error';
      if (n.getAttribute('role') === 'alert') return 'error';
      const cls = typeof n.className === 'string' ? n.className : '';
      if (ERROR_CLASS.test(cls)) return 'error';
    }
    return 'success';
  };
  const textOf = (item) => {
    const sr = shadowOf(item);
    return norm(sr ? `${sr.textContent} ${item.textContent}` : item.textContent);
  };

  // The toast an inserted node belongs to: the outermost matching element
  // that arrived with it; if the match is a region that was already there
  // (a live region that hosts toasts), its child that holds the node.
  const itemFor = (node, batch) => {
    let match = null;
    for (let el = node; el && el.nodeType === 1; el = el.parentElement) {
      if (el.matches(TOAST_SELECTOR)) match = el;
    }
    if (!match) return null;
    if (batch.has(match) || match === node) return match;
    let child = node;
    while (child.parentElement && child.parentElement !== match) child = child.parentElement;
    return child.parentElement === match ? child : match;
  };

  // Where a toast showed, as fractions of the viewport (its centre), so a
  // guide can say "in the upper right corner" from what really happened.
  const placeOf = (el) => {
    const r = el.getBoundingClientRect();
    const w = window.innerWidth;
    const h = window.innerHeight;
    if (!r.width || !r.height || !w || !h) return null;
    return { x: (r.left + r.width / 2) / w, y: (r.top + r.height / 2) / h };
  };

  const record = (item) => {
    const text = textOf(item);
    const entry = entries.get(item);
    if (entry) {
      if (text === entry.text) return;
      if (!text) { entries.set(item, null); return; }
      // Text filled in bit by bit (a title, then the message) is the same
      // toast; a different message in the same place is a new one.
      if (text.includes(entry.text)) { entry.text = text; entry.kind = kindOf(item); save(); return; }
    }
    if (!text) { entries.set(item, null); return; }
    const fresh = { seq: ++store.seq, text, kind: kindOf(item), at: Date.now(), place: placeOf(item) };
    entries.set(item, fresh);
    store.items.push(fresh);
    if (store.items.length > 500) store.items.splice(0, store.items.length - 500);
    save();
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
    for (const el of root.querySelectorAll(TOAST_SELECTOR)) {
      if (textOf(el) && !el.querySelector(TOAST_SELECTOR)) record(el);
    }
  };
  rootObservers.push(watchRoot);
  // The document node itself is observed, so toasts inserted while the page
  // is still parsing count; shadow roots that existed before the helper (a
  // document it was injected into late) are picked up here too.
  for (const root of deepRoots(document)) watchRoot(root);

  // Toasts of every same-origin document of this tab, each from its own store.
  const allHelpers = () => {
    let top = window;
    try { if (window.top.__docent) top = window.top; } catch (e) { top = window; }
    const docs = [top.document, ...frameDocs(top.document)];
    const helpers = [];
    for (const doc of docs) {
      const helper = doc.defaultView && doc.defaultView.__docent;
      if (helper && !helpers.includes(helper)) helpers.push(helper);
    }
    if (!helpers.includes(api)) helpers.push(api);
    return helpers;
  };
