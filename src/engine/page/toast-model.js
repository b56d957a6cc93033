// docent's in-page helper, part "toast-model": what counts as a toast and
// what it reports, without touching the page: the selectors that mark one,
// its kind from class names and words, where it showed, when a changed
// text is the same toast or a new one, and the list kept for the engine.
//
// A toast is transient: a layer the page puts over its content (a message,
// notification or snackbar), or a live region's announcement. An alert
// that sits in the content flow (a page's notice banner) is page content,
// even with role=alert: `expect` checks it, and it never fails a step. So
// an element is a toast when one of these holds:
// - it carries a component library's toast class (or a runbook selector);
// - it is ARIA-marked and sits in a fixed layer (not inside a dialog);
// - it is a live region (aria-live, role=status or log) that was already
//   on the page and whose text now changes.
// The recorder that applies these rules to the page is toasts.js.
(() => {
  if (window.__docent) return;
  const P = window.__docentParts;

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

  // What a toast reports. The library's own markers first: a type class on
  // the toast or on its icon (`el-message--success`, `ant-message-error`,
  // `anticon-close-circle`, `MuiAlert-filledWarning`...). Then the
  // runbook's error selectors (toasts.js), then the words of its text.
  // role=alert alone says nothing: libraries put it on success messages too.
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
  // The kind an element's class attribute says, or null; its first token
  // that says one decides.
  const kindOfClassList = (cls) => {
    if (!cls) return null;
    for (const token of cls.split(/\s+/)) {
      for (const [kind, re] of KIND_CLASSES) if (re.test(token)) return kind;
    }
    return null;
  };
  // The kind a toast's words say, or null.
  const kindOfWords = (text) => {
    for (const [kind, re] of KIND_WORDS) if (re.test(text)) return kind;
    return null;
  };

  // Where a toast showed, as fractions of a `width` x `height` viewport
  // (its box's centre), so a guide can say "in the upper right corner"
  // from what really happened. A toast sliding in may start beyond the
  // edge it comes to rest at, so the place is kept inside the viewport.
  const placeIn = (rect, width, height) => {
    if (!width || !height || !rect.width || !rect.height) return null;
    const clamp = (v) => Math.min(1, Math.max(0, v));
    return { x: clamp((rect.left + rect.width / 2) / width), y: clamp((rect.top + rect.height / 2) / height) };
  };

  // What a toast's new text means for the entry recorded for it (none, or
  // null once its text was emptied): `same` text; `emptied`, so the next
  // text it shows is a new announcement; `grown`, text filled in bit by bit
  // (a title, then the message) that stays the same toast; or `new`, a
  // different message in the same place.
  const revision = (entry, text) => {
    if (entry && text === entry.text) return 'same';
    if (!text) return 'emptied';
    if (entry && text.includes(entry.text)) return 'grown';
    return 'new';
  };

  // The recorder's list: an id (the engine keeps a cursor per store), the
  // last sequence number given, and the most recent entries.
  const STORE_LIMIT = 500;
  const openStore = (saved) => (saved && Array.isArray(saved.items)
    ? saved
    : { id: Math.random().toString(36).slice(2), seq: 0, items: [] });
  const append = (store, fields) => {
    const entry = { seq: ++store.seq, ...fields };
    store.items.push(entry);
    if (store.items.length > STORE_LIMIT) store.items.splice(0, store.items.length - STORE_LIMIT);
    return entry;
  };
  // The entries after the caller's cursor for this store.
  const since = (store, cursors) => {
    const seen = (cursors && cursors[store.id]) || 0;
    return store.items.filter((t) => t.seq > seen);
  };

  // A class that says a toast is on its way out, as CSS transitions of
  // component libraries name that phase.
  const LEAVING = /(leave|leaving|exit|exiting|hide|hiding|closing|fade-?out|out)([-_]|$)/i;

  P.toastModel = {
    LIBRARY_TOASTS, ARIA_TOASTS, kindOfClassList, kindOfWords, placeIn, revision,
    STORE_LIMIT, openStore, append, since, LEAVING,
  };
})();
