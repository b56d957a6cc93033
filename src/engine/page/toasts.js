// The in-page helper, part 2 of 5 (the parts are joined in this order into
// one script; see prelude.js): the toast recorder.

  // ---------------------------------------------------------------- toasts
  // A toast is transient: a layer the page puts over its content (a
  // message, notification or snackbar), or a live region's announcement.
  // An alert that sits in the content flow (a page's notice banner) is page
  // content, even with role=alert: `expect` checks it, and it never fails a
  // step. So an element is a toast when one of these holds:
  // - it carries a component library's toast class (or a runbook selector);
  // - it is ARIA-marked and sits in a fixed layer (not inside a dialog);
  // - it is a live region (aria-live, role=status or log) that was already
  //   on the page and whose text now changes.
  const LIBRARY_TOASTS = [
    '.toast', '.snackbar',
    // Element Plus / Element UI
    '.el-message', '.el-notification',
    // Ant Design (React and Vue)
    '.ant-message-notice', '.ant-notification-notice',
    // OpenTiny Vue
    '.tiny-notify', '.tiny-modal.type__message',
    // Naive UI, Vuetify, Quasar, Arco, TDesign, iView, Vant
    '.n-message', '.n-notification', '.v-snackbar', '.v-snack', '.q-notification',
    '.arco-message', '.arco-notification-notice', '.arco-notification', '.t-message', '.t-notification',
    '.ivu-message-notice', '.ivu-notice-notice', '.van-toast',
    // MUI, PrimeVue/PrimeReact, Chakra, Angular Material, toast libraries
    '.MuiSnackbar-root', '.p-toast-message', '.chakra-toast', '.mat-mdc-snack-bar-container',
    '.Toastify__toast', '.notyf__toast', '.swal2-toast', '.iziToast', '.ti3-message', '.Toast',
  ];
  const ARIA_TOASTS = ['[role=alert]', '[role=status]', '[role=log]', '[aria-live=assertive]', '[aria-live=polite]'];
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
  let store = null;
  try { store = JSON.parse(sessionStorage.getItem(STORE_KEY) || 'null'); } catch (e) { store = null; }
  if (!store || !Array.isArray(store.items)) {
    store = { id: Math.random().toString(36).slice(2), seq: 0, items: [] };
  }
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

  // What a toast reports. The library's own markers first: a type class on
  // the toast or on its icon (`el-message--success`, `ant-message-error`,
  // `anticon-close-circle`, `MuiAlert-filledWarning`...). Then the
  // runbook's error selectors, then the words of its text. role=alert alone
  // says nothing: libraries put it on success messages too.
  const KIND_CLASSES = [
    ['error', /(^|[-_])(error|danger|fail|failed|failure|critical|negative|close-circle|circle-close|circle-close-filled|close-circle-filled|times-circle)([-_]|$)|[a-z](Error|Danger)([A-Z]|$)/],
    ['warning', /(^|[-_])(warning|warn|caution|exclamation|exclamation-circle|warning-filled)([-_]|$)|[a-z]Warning([A-Z]|$)/],
    ['success', /(^|[-_])(success|succeeded|positive|check-circle|circle-check|circle-check-filled|success-filled)([-_]|$)|[a-z]Success([A-Z]|$)/],
    ['info', /(^|[-_])(info|information|info-circle|info-filled)([-_]|$)|[a-z]Info([A-Z]|$)/],
  ];
  const KIND_WORDS = [
    ['error', /\b(error|errors|failed|failure|fail|fails|cannot|can't|could not|unable|denied|invalid|not allowed|forbidden|incorrect|exceeded)\b/i],
    ['warning', /\b(warning|caution)\b/i],
    ['success', /\b(success|successful|successfully|succeeded|saved|created|deleted|updated|completed|done)\b/i],
  ];
  const kindOfClasses = (el) => {
    const cls = typeof el.className === 'string' ? el.className : (el.getAttribute('class') || '');
    if (!cls) return null;
    for (const token of cls.split(/\s+/)) {
      for (const [kind, re] of KIND_CLASSES) if (re.test(token)) return kind;
    }
    return null;
  };
  const kindOf = (item) => {
    const nodes = [item, ...deepAll(item)];
    if (ERROR_SELECTOR && nodes.some((n) => n.matches(ERROR_SELECTOR))) return 'error';
    for (const n of nodes) {
      const kind = kindOfClasses(n);
      if (kind) return kind;
    }
    const text = textOf(item);
    for (const [kind, re] of KIND_WORDS) if (re.test(text)) return kind;
    return 'info';
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

  // Where a toast showed, as fractions of the viewport (its centre), so a
  // guide can say "in the upper right corner" from what really happened.
  // A toast drawn inside a full-screen layer is where its box is.
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
    const r = box.getBoundingClientRect();
    if (!r.width || !r.height) return null;
    // A toast sliding in may start beyond the edge it comes to rest at.
    const clamp = (v) => Math.min(1, Math.max(0, v));
    return { x: clamp((r.left + r.width / 2) / w), y: clamp((r.top + r.height / 2) / h) };
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
    if (entry) {
      if (text === entry.text) return;
      if (!text) { entries.set(item, null); return; }
      // Text filled in bit by bit (a title, then the message) is the same
      // toast; a different message in the same place is a new one.
      if (text.includes(entry.text)) { entry.text = text; entry.kind = kindOf(item); save(); return; }
    }
    if (!text) { entries.set(item, null); return; }
    const fresh = { seq: ++store.seq, text, kind: kindOf(item), at: Date.now(), place: placeOf(item) };
    young.set(fresh, item);
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
    // Toasts already showing when the helper arrives (a document it was
    // injected into late); alerts in the content flow are left out.
    for (const el of root.querySelectorAll(TOAST_SELECTOR)) {
      if (!textOf(el) || el.querySelector(TOAST_SELECTOR) || ignored(el)) continue;
      if (el.matches(MARKED_SELECTOR) || isLayer(el)) record(el);
    }
  };
  rootObservers.push(watchRoot);

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
