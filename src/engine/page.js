// docent's in-page helper. Installed in every document (CDP
// Page.addScriptToEvaluateOnNewDocument), it does two jobs:
//
// 1. The toast recorder: a MutationObserver that notes every notification
//    the moment it is inserted, however briefly it lives, and keeps the list
//    in sessionStorage so a full page load does not lose it.
// 2. The probe: one call per poll that resolves a target afresh, applies the
//    strictness rules, and checks actionability (visible, enabled, not busy,
//    stable across two animation frames, and the element that receives the
//    pointer at its centre). Doing all of it in one script call keeps each
//    poll to a single WebDriver round trip and never holds stale elements.
(() => {
  if (window.__docent) return;

  const norm = (s) => (s || '').replace(/[\s\u00a0\u200b]+/g, ' ').trim();
  const short = (s, n = 60) => (s.length > n ? s.slice(0, n - 1) + '…' : s);

  // ---------------------------------------------------------------- toasts
  const TOAST_SELECTOR = [
    '[role=alert]', '[role=status]', '[aria-live=assertive]', '[aria-live=polite]',
    '.toast', '.ant-message-notice', '.ant-notification-notice', '.el-message',
    '.el-notification', '.MuiSnackbar-root', '.Toastify__toast', '.notyf__toast',
    '.swal2-toast', '.v-snack', '.tiny-notify', '.ti3-message', '.ivu-message-notice',
  ].join(',');
  const ERROR_CLASS = /(^|[-_\s])(error|danger|fail|failed|failure|critical|negative)([-_\s]|$)/i;
  // Each frame keeps its own list: frames of one origin share sessionStorage.
  const STORE_KEY = window === window.top ? '__docent_toasts' : `__docent_toasts:${window.name || location.pathname}`;
  let store = null;
  try { store = JSON.parse(sessionStorage.getItem(STORE_KEY) || 'null'); } catch (e) { store = null; }
  if (!store || !Array.isArray(store.items)) {
    store = { id: Math.random().toString(36).slice(2), seq: 0, items: [] };
  }
  const save = () => { try { sessionStorage.setItem(STORE_KEY, JSON.stringify(store)); } catch (e) { /* opaque origin */ } };
  const entries = new WeakMap(); // toast element -> its entry

  const kindOf = (item) => {
    const nodes = [item, ...item.querySelectorAll('*')];
    for (const n of nodes) {
      if (n.getAttribute('role') === 'alert') return 'error';
      const cls = typeof n.className === 'string' ? n.className : '';
      if (ERROR_CLASS.test(cls)) return 'error';
    }
    return 'success';
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

  const record = (item) => {
    const text = norm(item.textContent);
    let entry = entries.get(item);
    if (entry) {
      if (text && entry.text !== text) { entry.text = text; entry.kind = kindOf(item); save(); }
      return;
    }
    if (!text) { entries.set(item, null); return; }
    entry = { seq: ++store.seq, text, kind: kindOf(item), at: Date.now() };
    entries.set(item, entry);
    store.items.push(entry);
    if (store.items.length > 500) store.items.splice(0, store.items.length - 500);
    save();
  };

  const observer = new MutationObserver((mutations) => {
    const batch = new Set();
    for (const m of mutations) for (const n of m.addedNodes) if (n.nodeType === 1) batch.add(n);
    for (const m of mutations) {
      for (const n of m.addedNodes) {
        if (n.nodeType !== 1) continue;
        const own = itemFor(n, batch);
        if (own) record(own);
        for (const inner of n.querySelectorAll(TOAST_SELECTOR)) {
          const item = itemFor(inner, batch);
          if (item) record(item);
        }
      }
      // Text filled in after insertion updates the toast it belongs to.
      const target = m.target.nodeType === 1 ? m.target : m.target.parentElement;
      if (target) {
        for (let el = target; el && el.nodeType === 1; el = el.parentElement) {
          if (entries.has(el)) {
            const entry = entries.get(el);
            if (entry === null) entries.delete(el);
            record(el);
            break;
          }
        }
      }
    }
  });
  const startObserving = () => {
    observer.observe(document.documentElement, { childList: true, subtree: true, characterData: true });
    for (const el of document.querySelectorAll(TOAST_SELECTOR)) {
      if (norm(el.textContent) && !el.querySelector(TOAST_SELECTOR)) record(el);
    }
  };
  if (document.documentElement) startObserving();
  else document.addEventListener('readystatechange', startObserving, { once: true });

  // ---------------------------------------------------------------- targets
  const INTERACTIVE_ROLES = new Set(['button', 'link', 'menuitem', 'menuitemcheckbox', 'menuitemradio',
    'option', 'tab', 'switch', 'checkbox', 'radio', 'treeitem', 'combobox', 'textbox', 'searchbox']);
  const isInteractive = (el) => {
    const role = el.getAttribute('role');
    if (role && INTERACTIVE_ROLES.has(role)) return true;
    const tag = el.tagName;
    if (tag === 'A') return el.hasAttribute('href');
    return ['BUTTON', 'INPUT', 'SELECT', 'TEXTAREA', 'SUMMARY', 'OPTION'].includes(tag);
  };
  const IMPLICIT_ROLES = {
    button: 'button,input[type=button],input[type=submit],input[type=reset],input[type=image],summary',
    link: 'a[href],area[href]',
    textbox: 'input:not([type]),input[type=text],input[type=email],input[type=password],input[type=tel],input[type=url],textarea',
    searchbox: 'input[type=search]',
    checkbox: 'input[type=checkbox]',
    radio: 'input[type=radio]',
    combobox: 'select:not([multiple])',
    listbox: 'select[multiple]',
    option: 'option',
    heading: 'h1,h2,h3,h4,h5,h6',
    row: 'tr',
    cell: 'td',
    columnheader: 'th',
    dialog: 'dialog',
    img: 'img[alt]',
    navigation: 'nav',
    list: 'ul,ol',
    listitem: 'li',
    table: 'table',
    region: 'section[aria-label],section[aria-labelledby]',
    form: 'form',
    main: 'main',
    banner: 'body > header',
    contentinfo: 'body > footer',
    complementary: 'aside',
    article: 'article',
    group: 'fieldset,details',
    separator: 'hr',
    progressbar: 'progress',
    slider: 'input[type=range]',
    spinbutton: 'input[type=number]',
    radiogroup: '[role=radiogroup]',
  };
  const SKIP = new Set(['SCRIPT', 'STYLE', 'TEMPLATE', 'NOSCRIPT', 'HEAD', 'TITLE', 'META', 'LINK']);

  const textOfIds = (ids) => norm(ids.split(/\s+/).map((id) => {
    const el = document.getElementById(id);
    return el ? el.textContent : '';
  }).join(' '));

  const accessibleName = (el) => {
    const labelledby = el.getAttribute('aria-labelledby');
    if (labelledby) return textOfIds(labelledby);
    const label = el.getAttribute('aria-label');
    if (label) return norm(label);
    if (el.labels && el.labels.length) return norm(el.labels[0].textContent);
    if (el.tagName === 'INPUT' && ['button', 'submit', 'reset'].includes(el.type)) return norm(el.value);
    if (el.tagName === 'IMG') return norm(el.alt);
    const text = norm(el.textContent);
    return text || norm(el.getAttribute('title'));
  };

  const isVisible = (el) => {
    if (!el.isConnected) return false;
    if (el.checkVisibility && !el.checkVisibility({ checkOpacity: true, checkVisibilityCSS: true })) return false;
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0;
  };

  // A text matcher from the runbook: exact (normalised), contained, or a regex.
  const compile = (m) => {
    if (m.kind !== 'regex') return m;
    if (!m.re) {
      let source = m.value, flags = '';
      const inline = /^\(\?([ims]+)\)/.exec(source);
      if (inline) { flags = inline[1]; source = source.slice(inline[0].length); }
      try { m.re = new RegExp(source, flags); } catch (e) { throw new InvalidTarget(`/${m.value}/ is not a regular expression the browser accepts`); }
    }
    return m;
  };
  const matches = (m, text) => {
    const t = norm(text);
    switch (m.kind) {
      case 'exact': return t === m.value;
      case 'contains': return t.includes(m.value);
      case 'regex': return compile(m).re.test(t);
      default: return false;
    }
  };

  // Contained or pattern text: the deepest elements whose text matches,
  // each replaced by its closest interactive ancestor that still matches
  // (the button around a span).
  const byPartialText = (root, m) => {
    const hits = [];
    for (const el of root.querySelectorAll('*')) {
      if (SKIP.has(el.tagName) || !matches(m, el.textContent)) continue;
      if ([...el.children].some((c) => !SKIP.has(c.tagName) && matches(m, c.textContent))) continue;
      let chosen = el;
      for (let p = el; p && p !== root && p.nodeType === 1; p = p.parentElement) {
        if (!matches(m, p.textContent)) break;
        if (isInteractive(p)) { chosen = p; break; }
      }
      hits.push(chosen);
    }
    return [...new Set(hits)];
  };

  const byText = (root, m) => {
    if (m.kind !== 'exact') return byPartialText(root, m);
    const want = m.value;
    const matches = [];
    for (const el of root.querySelectorAll('*')) {
      if (SKIP.has(el.tagName)) continue;
      if (norm(el.textContent) === want) matches.push(el);
    }
    // Nested matches with the same text are one thing on screen: keep the
    // innermost interactive element of each chain, else the innermost.
    const set = new Set(matches);
    const chains = new Map();
    for (const el of matches) {
      let top = el;
      for (let p = el.parentElement; p; p = p.parentElement) if (set.has(p)) top = p;
      if (!chains.has(top)) chains.set(top, []);
      chains.get(top).push(el);
    }
    const result = [];
    for (const chain of chains.values()) {
      const interactive = chain.filter(isInteractive);
      const pool = interactive.length ? interactive : chain;
      result.push(pool[pool.length - 1]);
    }
    return result;
  };

  const byLabel = (root, want) => {
    const found = new Set();
    for (const el of root.querySelectorAll('[aria-label]')) if (norm(el.getAttribute('aria-label')) === want) found.add(el);
    for (const el of root.querySelectorAll('[aria-labelledby]')) if (textOfIds(el.getAttribute('aria-labelledby')) === want) found.add(el);
    for (const label of root.querySelectorAll('label')) {
      if (norm(label.textContent) !== want) continue;
      const control = label.control || label.querySelector('[role=switch],[role=checkbox],input,select,textarea');
      if (control) found.add(control);
    }
    return [...found];
  };

  const byRole = (root, role, name) => {
    const explicit = [...root.querySelectorAll('[role]')].filter((el) => el.getAttribute('role').split(/\s+/)[0] === role);
    const implicit = IMPLICIT_ROLES[role] ? [...root.querySelectorAll(IMPLICIT_ROLES[role])].filter((el) => !el.hasAttribute('role')) : [];
    const all = [...new Set([...explicit, ...implicit])];
    if (name == null) return all;
    const m = typeof name === 'string' ? { kind: 'exact', value: name } : name;
    return all.filter((el) => matches(m, accessibleName(el)));
  };

  const byAttribute = (root, attr, want) =>
    [...root.querySelectorAll(`[${attr}]`)].filter((el) => norm(el.getAttribute(attr)) === want);

  const byXPath = (root, expr) => {
    let result;
    try {
      result = document.evaluate(expr, root === document ? document : root, null, XPathResult.ORDERED_NODE_SNAPSHOT_TYPE, null);
    } catch (e) {
      throw new InvalidTarget(`\`${expr}\` is not a valid XPath expression`);
    }
    const out = [];
    for (let i = 0; i < result.snapshotLength; i++) {
      const n = result.snapshotItem(i);
      out.push(n.nodeType === 1 ? n : n.parentElement);
    }
    return out.filter(Boolean);
  };

  // A target that can never match (bad CSS): fail at once, do not wait.
  class InvalidTarget extends Error {}

  const isEditable = (el) => {
    if (el.isContentEditable) return true;
    if (el.tagName === 'TEXTAREA') return !el.readOnly;
    if (el.tagName === 'INPUT') {
      return !el.readOnly && !['checkbox', 'radio', 'button', 'submit', 'reset', 'image', 'file', 'range', 'color', 'hidden'].includes(el.type);
    }
    return false;
  };

  const openDialog = () => {
    const dialogs = [...document.querySelectorAll('[role=dialog],[role=alertdialog],dialog[open]')].filter(isVisible);
    if (!dialogs.length) return null;
    const dialog = dialogs[dialogs.length - 1];
    const title = dialog.getAttribute('aria-labelledby') ? textOfIds(dialog.getAttribute('aria-labelledby')) : norm(dialog.getAttribute('aria-label'));
    const buttons = byRole(dialog, 'button', null).filter(isVisible).map(accessibleName).filter(Boolean);
    return { title, buttons };
  };

  const resolveIn = (root, loc) => {
    switch (loc.kind) {
      case 'text': return byText(root, loc.match);
      case 'label': return byLabel(root, loc.value);
      case 'placeholder': return byAttribute(root, 'placeholder', loc.value);
      case 'testid': return byAttribute(root, 'data-testid', loc.value);
      case 'xpath': return byXPath(root, loc.value);
      case 'role': return byRole(root, loc.role, loc.name);
      case 'css':
        try { return [...root.querySelectorAll(loc.value)]; } catch (e) { throw new InvalidTarget(`\`${loc.value}\` is not a valid CSS selector`); }
      default: throw new Error('unknown locator ' + loc.kind);
    }
  };

  const describe = (el) => {
    const role = el.getAttribute('role');
    const tag = el.tagName.toLowerCase() + (role ? `[role=${role}]` : '');
    const cls = typeof el.className === 'string' && el.className.trim() ? '.' + el.className.trim().split(/\s+/).join('.') : '';
    const text = short(accessibleName(el) || '', 50);
    const r = el.getBoundingClientRect();
    return `<${tag}${cls}>${text ? ` "${text}"` : ''} at (${Math.round(r.x + r.width / 2)}, ${Math.round(r.y + r.height / 2)})`;
  };

  // Where to look: the topmost open dialog, the rows containing a text, or the document.
  const scopes = (spec) => {
    let roots = [document];
    if (spec.scope === 'dialog') {
      const dialogs = [...document.querySelectorAll('[role=dialog],[role=alertdialog],dialog[open]')].filter(isVisible);
      if (!dialogs.length) return { roots: [], why: 'no dialog is open' };
      roots = [dialogs[dialogs.length - 1]];
    }
    if (spec.row != null) {
      const rows = [];
      for (const root of roots) {
        for (const row of root.querySelectorAll('tr,[role=row]')) {
          if (!isVisible(row)) continue;
          if ([...row.querySelectorAll('*')].some((el) => norm(el.textContent) === spec.row)) rows.push(row);
        }
      }
      if (!rows.length) return { roots: [], why: `no table row contains "${spec.row}"` };
      roots = rows;
    }
    if (spec.within) {
      const inner = resolve(spec.within);
      if (inner.why) return { roots: [], why: `inside: ${inner.why}` };
      if (!inner.visible.length) {
        return { roots: [], why: inner.unique.length ? `${spec.within.label} (to look within) is not visible` : `nothing matches ${spec.within.label} (to look within)` };
      }
      const containers = inner.visible.filter((el) => roots.some((r) => r === document || r.contains(el)));
      if (!containers.length) return { roots: [], why: 'the element to look within is elsewhere' };
      roots = containers;
    }
    return { roots, why: null };
  };

  // Every match of a spec, the visible ones, and `nth` applied to those.
  function resolve(spec) {
    const { roots, why } = scopes(spec);
    if (why) return { why, unique: [], visible: [] };
    const all = roots.flatMap((root) => resolveIn(root, spec.locator));
    const unique = [...new Set(all)];
    // Document order, so `nth` counts as a reader does.
    unique.sort((a, b) => (a === b ? 0 : a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1));
    let visible = unique.filter(isVisible);
    if (spec.nth != null) {
      if (visible.length < spec.nth) return { why: `only ${visible.length} visible match(es), no ${spec.nth}. one`, unique, visible: [], short: true };
      visible = [visible[spec.nth - 1]];
    }
    return { why: null, unique, visible };
  }

  const disabledReason = (el) => {
    if (el.disabled) return 'disabled';
    const ariaDisabled = el.closest('[aria-disabled=true]');
    if (ariaDisabled) return 'disabled (aria-disabled)';
    if (el.closest('fieldset[disabled]')) return 'inside a disabled fieldset';
    if (el.closest('[inert]')) return 'inert';
    return null;
  };

  // Text near a disabled element: an explanation the console shows for it.
  const context = (el) => {
    const described = el.getAttribute('aria-describedby');
    if (described && textOfIds(described)) return textOfIds(described);
    if (el.title) return norm(el.title);
    const container = el.closest('tr,[role=row],li,fieldset,.form-item,.field') || el.parentElement;
    return container ? short(norm(container.innerText || container.textContent), 200) : '';
  };

  const stateOf = (el) => {
    // A label's state is its control's (`<label><input type=checkbox> Send email</label>`).
    if (el.tagName === 'LABEL' && el.control && el.control !== el) return stateOf(el.control);
    const checked = el.getAttribute('aria-checked');
    if (checked === 'true' || checked === 'false') return checked === 'true';
    if ('checked' in el && (el.type === 'checkbox' || el.type === 'radio')) return el.checked;
    const pressed = el.getAttribute('aria-pressed');
    if (pressed === 'true' || pressed === 'false') return pressed === 'true';
    return null;
  };

  const BUSY_SELECTOR = '.loading-mask,[aria-busy=true],.ant-spin-spinning,.el-loading-mask,.MuiBackdrop-root:not(.MuiBackdrop-invisible)';
  const busyIndicator = () => {
    for (const el of document.querySelectorAll(BUSY_SELECTOR)) if (isVisible(el)) return el;
    return null;
  };

  const nextFrame = () => new Promise((resolve) => requestAnimationFrame(() => resolve()));
  // Resolves on the next DOM change or after `ms`, whichever comes first:
  // the poll loop waits for the page to do something instead of sleeping.
  const changeOrTimeout = (ms) => new Promise((resolve) => {
    const mo = new MutationObserver(() => { mo.disconnect(); clearTimeout(timer); resolve(); });
    const timer = setTimeout(() => { mo.disconnect(); resolve(); }, ms);
    mo.observe(document.documentElement, { childList: true, subtree: true, attributes: true, characterData: true });
  });

  const rectOf = (el) => {
    const r = el.getBoundingClientRect();
    return { x: r.x, y: r.y, w: r.width, h: r.height };
  };
  const sameRect = (a, b) => Math.abs(a.x - b.x) < 0.5 && Math.abs(a.y - b.y) < 0.5 && Math.abs(a.w - b.w) < 0.5 && Math.abs(a.h - b.h) < 0.5;

  const receivesPointer = (el, hit) => {
    if (!hit) return false;
    if (hit === el || el.contains(hit)) return true;
    // A click on the label of a control reaches the control.
    const label = hit.closest('label');
    if (label && label.control === el) return true;
    const labelledby = (el.getAttribute('aria-labelledby') || '').split(/\s+/);
    return labelledby.some((id) => id && (hit.id === id || (document.getElementById(id) || { contains: () => false }).contains(hit)));
  };

  const wait = (reason, extra = {}) => Object.assign({ status: 'wait', reason }, extra);

  async function probeOnce(spec) {
    try {
      return await probeChecked(spec);
    } catch (e) {
      if (e instanceof InvalidTarget) return { status: 'invalid', reason: e.message };
      throw e;
    }
  }

  async function probeChecked(spec) {
    const { why, unique, visible } = resolve(spec);
    if (why && spec.mode === 'gone') return { status: 'ok' };
    if (why) return wait(why);
    const settledBusy = busyIndicator();

    if (spec.mode === 'gone') {
      if (visible.length) return wait('still visible', { candidates: visible.slice(0, 5).map(describe) });
      if (settledBusy) return wait(`the page is still loading (${describe(settledBusy)})`);
      return { status: 'ok' };
    }
    if (!visible.length) {
      const dialog = spec.scope === 'dialog' ? openDialog() : null;
      return wait(unique.length ? `${unique.length} matching element(s), none visible` : 'not found', {
        hidden: unique.slice(0, 3).map(describe),
        dialog,
      });
    }
    if (spec.mode === 'visible') return { status: 'ok', count: visible.length, state: stateOf(visible[0]) };
    if (spec.mode === 'inspect') {
      if (visible.length > 1) return { status: 'ambiguous', candidates: visible.slice(0, 8).map(describe), count: visible.length };
      const el = visible[0];
      const value = 'value' in el && ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName)
        ? (el.tagName === 'SELECT' ? norm((el.selectedOptions[0] || {}).textContent || '') : el.value)
        : null;
      return {
        status: 'ok', desc: describe(el), state: stateOf(el), value,
        text: norm(el.innerText || el.textContent), disabled: !!disabledReason(el),
        tag: el.tagName.toLowerCase(), role: el.getAttribute('role'),
      };
    }

    let chosen = visible;
    if (chosen.length > 1 && spec.mode === 'action') {
      // Several things carry the text, but only one can be clicked.
      const interactive = chosen.filter(isInteractive);
      if (interactive.length === 1) chosen = interactive;
    }
    if (chosen.length > 1) {
      return { status: 'ambiguous', candidates: chosen.slice(0, 8).map(describe), count: chosen.length };
    }
    const el = chosen[0];
    if (spec.mode === 'state') {
      return { status: 'ok', state: stateOf(el), busy: !!el.closest('[aria-busy=true]'), desc: describe(el), dialog: openDialog() };
    }
    if (spec.editable && !isEditable(el)) {
      return { status: 'invalid', reason: `${describe(el)} is not a text field` };
    }
    const disabled = disabledReason(el);
    if (disabled) return wait(`${describe(el)} is ${disabled}`, { context: context(el) });
    if (el.closest('[aria-busy=true]')) return wait(`${describe(el)} is busy (aria-busy)`);

    const vw = window.innerWidth, vh = window.innerHeight;
    let r = el.getBoundingClientRect();
    if (r.bottom <= 0 || r.top >= vh || r.right <= 0 || r.left >= vw || r.top < 0 || r.bottom > vh) {
      el.scrollIntoView({ block: 'center', inline: 'center', behavior: 'instant' });
    }
    const before = rectOf(el);
    await nextFrame();
    await nextFrame();
    const after = rectOf(el);
    if (!sameRect(before, after)) return wait(`${describe(el)} is still moving`);
    const cx = after.x + after.w / 2, cy = after.y + after.h / 2;
    if (cx < 0 || cy < 0 || cx >= vw || cy >= vh) return wait(`${describe(el)} is outside the viewport`);
    const hit = document.elementFromPoint(cx, cy);
    if (!receivesPointer(el, hit)) {
      return wait(`${describe(el)} is covered by ${hit ? describe(hit) : 'nothing hit-testable'}`);
    }
    return { status: 'ok', x: cx, y: cy, desc: describe(el), state: stateOf(el) };
  }

  // Visible texts of the page, for "did you mean" when a target is missing.
  const visibleTexts = () => {
    const texts = new Set();
    for (const el of document.body.querySelectorAll('*')) {
      if (SKIP.has(el.tagName) || !isVisible(el)) continue;
      const own = [...el.childNodes].filter((n) => n.nodeType === 3).map((n) => n.textContent).join(' ');
      // innerText keeps the line breaks between blocks that textContent glues together.
      for (const t of [norm(own), el.children.length <= 3 ? norm(el.innerText) : '', norm(el.getAttribute('aria-label'))]) {
        if (t && t.length <= 120) texts.add(t);
      }
    }
    return [...texts];
  };

  const settled = async () => {
    await nextFrame();
    const busy = busyIndicator();
    if (busy) return wait(`the page is still loading (${describe(busy)})`);
    const running = document.getAnimations().filter((a) => {
      if (a.playState !== 'running') return false;
      const end = a.effect && a.effect.getComputedTiming().endTime;
      return Number.isFinite(end);
    });
    if (running.length) return wait(`${running.length} animation(s) still running`);
    return { status: 'ok' };
  };

  window.__docent = {
    version: 1,
    async probe(spec) {
      const result = await probeOnce(spec);
      if (result.status === 'wait' && spec.pace) await changeOrTimeout(spec.pace);
      return result;
    },
    async settled(pace) {
      const result = await settled();
      if (result.status === 'wait' && pace) await changeOrTimeout(pace);
      return result;
    },
    // Toasts after the caller's cursor for this document's store.
    toasts(cursors) {
      const since = (cursors && cursors[store.id]) || 0;
      return { id: store.id, items: store.items.filter((t) => t.seq > since) };
    },
    // Returns new toasts, waiting for the next DOM change (or `pace` ms)
    // first when there are none yet.
    async waitToasts(cursors, pace) {
      let result = this.toasts(cursors);
      if (!result.items.length) {
        await changeOrTimeout(pace);
        result = this.toasts(cursors);
      }
      return result;
    },
    visibleTexts,
    focusForFill(spec) {
      const el = resolve(spec).visible[0];
      if (!el) return false;
      el.focus();
      if (typeof el.select === 'function') el.select();
      else if (el.isContentEditable) document.getSelection().selectAllChildren(el);
      return true;
    },
    valueOf(spec) {
      const el = resolve(spec).visible[0];
      return el ? ('value' in el ? el.value : el.textContent) : null;
    },
    // The element itself (WebDriver turns it into a reference), and where
    // its content box starts in the viewport, for entering a frame.
    element(spec) {
      const el = resolve(spec).visible[0];
      if (!el) return null;
      const r = el.getBoundingClientRect();
      const cs = getComputedStyle(el);
      return {
        element: el,
        tag: el.tagName.toLowerCase(),
        x: r.x + el.clientLeft + parseFloat(cs.paddingLeft || '0'),
        y: r.y + el.clientTop + parseFloat(cs.paddingTop || '0'),
      };
    },
    // A native <select>: picks the option by its visible text.
    selectNative(spec, want) {
      const el = resolve(spec).visible[0];
      if (!el || el.tagName !== 'SELECT') return { native: false };
      const options = [...el.options];
      const option = options.find((o) => norm(o.textContent) === norm(want));
      if (!option) return { native: true, ok: false, options: options.map((o) => norm(o.textContent)) };
      el.focus();
      option.selected = true;
      el.dispatchEvent(new Event('input', { bubbles: true }));
      el.dispatchEvent(new Event('change', { bubbles: true }));
      return { native: true, ok: true };
    },
    // The document's rectangle of an element, for a screenshot of it.
    docRect(spec) {
      const el = resolve(spec).visible[0];
      if (!el) return null;
      el.scrollIntoView({ block: 'nearest', inline: 'nearest', behavior: 'instant' });
      const r = el.getBoundingClientRect();
      return { x: r.x + window.scrollX, y: r.y + window.scrollY, width: r.width, height: r.height };
    },
    pageRect() {
      const d = document.documentElement;
      return { x: 0, y: 0, width: Math.max(d.scrollWidth, window.innerWidth), height: Math.max(d.scrollHeight, document.body ? document.body.scrollHeight : 0, window.innerHeight) };
    },
    // Red outlines (highlight) and solid boxes (mask) over targets, drawn
    // above the page for one screenshot, then removed. Returns what was
    // not found.
    decorate(highlights, masks) {
      const missing = [];
      const layer = document.createElement('div');
      layer.id = '__docent_decorations';
      layer.style.cssText = 'position:absolute;left:0;top:0;width:0;height:0;z-index:2147483647;pointer-events:none';
      const draw = (spec, style) => {
        const els = resolve(spec).visible;
        if (!els.length) missing.push(spec.label);
        for (const el of els) {
          const r = el.getBoundingClientRect();
          const box = document.createElement('div');
          box.style.cssText = `position:absolute;left:${r.x + window.scrollX - 3}px;top:${r.y + window.scrollY - 3}px;width:${r.width + 6}px;height:${r.height + 6}px;box-sizing:border-box;${style}`;
          layer.appendChild(box);
        }
      };
      highlights.forEach((s) => draw(s, 'border:3px solid #e02020;border-radius:3px'));
      masks.forEach((s) => draw(s, 'background:#8a8f98;border:3px solid #8a8f98'));
      document.documentElement.appendChild(layer);
      return missing;
    },
    undecorate() {
      const layer = document.getElementById('__docent_decorations');
      if (layer) layer.remove();
      return true;
    },
    async location(pace) {
      if (pace) await changeOrTimeout(pace);
      return { url: document.URL, title: document.title };
    },
  };
})();
