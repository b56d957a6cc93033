// The in-page helper, part 3 of 5: finding what a runbook target names —
// text, labels (also the text beside a control in a form item or row),
// roles, attributes, CSS and XPath, through shadow roots.

  // ---------------------------------------------------------------- targets
  const INTERACTIVE_ROLES = new Set(['button', 'link', 'menuitem', 'menuitemcheckbox', 'menuitemradio',
    'option', 'tab', 'switch', 'checkbox', 'radio', 'treeitem', 'combobox', 'textbox', 'searchbox',
    'slider', 'spinbutton']);
  const isInteractive = (el) => {
    const role = el.getAttribute('role');
    if (role && INTERACTIVE_ROLES.has(role)) return true;
    const tag = el.tagName;
    if (tag === 'A') return el.hasAttribute('href');
    return ['BUTTON', 'INPUT', 'SELECT', 'TEXTAREA', 'SUMMARY', 'OPTION'].includes(tag);
  };
  // What a label can point at: a field, a switch, a checkbox.
  const CONTROL_SELECTOR = 'input:not([type=hidden]),select,textarea,[contenteditable=""],[contenteditable=true],' +
    '[role=switch],[role=checkbox],[role=radio],[role=combobox],[role=textbox],[role=searchbox],[role=slider],[role=spinbutton],[role=listbox]';
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

  // ------------------------------------------------------------ reading text
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

  const textOfIds = (el, ids) => norm(ids.split(/\s+/).map((id) => {
    const named = id && idScope(el).getElementById(id);
    return named ? readRaw(named) : '';
  }).join(' '));

  const accessibleName = (el) => {
    const labelledby = el.getAttribute('aria-labelledby');
    if (labelledby) return textOfIds(el, labelledby);
    const label = el.getAttribute('aria-label');
    if (label) return norm(label);
    if (el.labels && el.labels.length) return readText(el.labels[0]);
    if (el.tagName === 'INPUT' && ['button', 'submit', 'reset'].includes(el.type)) return norm(el.value);
    if (el.tagName === 'IMG') return norm(el.alt);
    const text = readText(el);
    return text || norm(el.getAttribute('title')) || tooltipOf(el);
  };

  // ------------------------------------------------------------- tooltips
  // An icon-only button is often named only by its hover tooltip, which
  // the library renders (usually into <body>) only while the pointer is on
  // it. When a `label:` or named `role:` target is not found, the probe
  // hovers the page's unnamed buttons one at a time, reads the tooltip each
  // one shows, and remembers it as that button's name for this document.
  const TOOLTIP_SELECTOR = '[role=tooltip],.el-popper,.ant-tooltip,.tiny-tooltip,.n-tooltip,.v-tooltip,' +
    '.MuiTooltip-popper,.tippy-box,.tooltip,.arco-tooltip,.t-popup,.ivu-tooltip-popper,.p-tooltip';
  const tooltips = new Map(); // trigger element -> tooltip text ('' when it shows none)
  let hovering = null; // { el, before, at }
  const tooltipOf = (el) => tooltips.get(el) || '';
  const shownTooltips = () => deepQueryAll(document, TOOLTIP_SELECTOR).filter(isVisible);
  // The text of the tooltips shown since `before` was taken; a popup and
  // its inner role=tooltip box are one tooltip.
  const newTooltipText = (before) => {
    const shown = shownTooltips().filter((t) => !before.has(t));
    return shown.filter((t) => !shown.some((o) => o !== t && contains(o, t))).map(readText).filter(Boolean).join(' ');
  };
  const hoverEvents = (el, names) => {
    for (const type of names) {
      const Ctor = type.startsWith('pointer') && window.PointerEvent ? PointerEvent : MouseEvent;
      const bubbles = !type.endsWith('enter') && !type.endsWith('leave');
      el.dispatchEvent(new Ctor(type, { bubbles, composed: true, cancelable: true, view: window }));
    }
  };
  const unhover = () => {
    if (!hovering) return;
    hoverEvents(hovering.el, ['pointerout', 'pointerleave', 'mouseout', 'mouseleave']);
    hovering = null;
  };
  // One step of the search; true while there is more to look at.
  const discoverTooltips = () => {
    if (hovering) {
      const text = newTooltipText(hovering.before);
      if (!text && Date.now() - hovering.at < 800) return true;
      tooltips.set(hovering.el, text);
      unhover();
      // The next poll resolves the target again with this name known.
      return true;
    }
    const next = deepAll(document.body || document).find((el) => !tooltips.has(el) && el.isConnected &&
      (isInteractive(el) || el.hasAttribute('aria-describedby')) && isVisible(el) && !accessibleName(el));
    if (!next) return false;
    hovering = { el: next, before: new Set(shownTooltips()), at: Date.now() };
    hoverEvents(next, ['pointerover', 'pointerenter', 'mouseover', 'mouseenter']);
    return true;
  };
  // The tooltip a person would see with the pointer over `el` (or over the
  // wrapper a library puts around a disabled control to catch the pointer).
  // Read once per element: a tooltip still fading out from the last read
  // would not count as newly shown.
  const tipsRead = new WeakMap();
  const tooltipOver = async (el) => {
    const key = outlineOf(el);
    if (tipsRead.has(key)) return tipsRead.get(key);
    const before = new Set(shownTooltips());
    const chain = [];
    for (let n = outlineOf(el), depth = 0; n && depth < 3; n = parentOf(n), depth++) chain.push(n);
    for (const n of chain) hoverEvents(n, ['pointerover', 'pointerenter', 'mouseover', 'mouseenter']);
    let text = '';
    for (let i = 0; i < 8 && !text; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      text = newTooltipText(before);
    }
    for (const n of chain.reverse()) hoverEvents(n, ['pointerout', 'pointerleave', 'mouseout', 'mouseleave']);
    tipsRead.set(key, text);
    return text;
  };

  const byTooltip = (root, want) => {
    const found = [];
    for (const [el, text] of tooltips) {
      if (!el.isConnected) { tooltips.delete(el); continue; }
      const inside = root.nodeType === 9 ? el.getRootNode({ composed: true }) === root : contains(root, el);
      if (text && labelText(text) === want && inside) found.push(el);
    }
    return found;
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
    for (const el of deepAll(root)) {
      if (SKIP.has(el.tagName) || !matches(m, readRaw(el))) continue;
      if ([...el.children].some((c) => !SKIP.has(c.tagName) && matches(m, readRaw(c)))) continue;
      let chosen = el;
      for (let p = el; p && p !== root && p.nodeType === 1; p = p.parentElement) {
        if (!matches(m, readRaw(p))) break;
        if (isInteractive(p)) { chosen = p; break; }
      }
      hits.push(chosen);
    }
    return [...new Set(hits)];
  };

  const byText = (root, m) => {
    if (m.kind !== 'exact') return byPartialText(root, m);
    const want = m.value;
    const found = [];
    for (const el of deepAll(root)) {
      if (SKIP.has(el.tagName)) continue;
      if (readText(el) === want) found.push(el);
    }
    // Nested matches with the same text are one thing on screen: keep the
    // innermost interactive element of each chain, else the innermost.
    const set = new Set(found);
    const chains = new Map();
    for (const el of found) {
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

  // ------------------------------------------------------- drawn controls
  // Component libraries draw switches and checkboxes from plain elements:
  // some keep a hidden <input>, some only a class on a <div> or <span>
  // (`el-switch is-checked`, `tiny-switch tiny-switch-checked`,
  // `ant-switch-disabled`). docent reads such a control from its root
  // element's classes when it has no input and no ARIA state.
  const DRAWN_ROOT = /^([A-Za-z0-9]+-)*(switch|checkbox|radio)$|^Mui(Switch|Checkbox|Radio)-root$/;
  const classTokens = (el) => {
    const cls = typeof el.className === 'string' ? el.className : (el.getAttribute && el.getAttribute('class')) || '';
    return cls ? cls.split(/\s+/).filter(Boolean) : [];
  };
  const isDrawnControl = (el) => classTokens(el).some((t) => DRAWN_ROOT.test(t));
  const hasStateClass = (el, word) => {
    const re = new RegExp(`(^|[-_])(${word})$`, 'i');
    return classTokens(el).some((t) => re.test(t));
  };
  const isControl = (el) => el.matches(CONTROL_SELECTOR) || isDrawnControl(el);
  // The one native input a drawn control wraps, if any.
  const innerInput = (el) => {
    const inputs = el.querySelectorAll('input[type=checkbox],input[type=radio]');
    return inputs.length === 1 ? inputs[0] : null;
  };

  // Outermost controls only: a switch element and the input inside it are one control.
  // A dropdown's list of options is part of the dropdown (its combobox
  // names it with aria-controls or aria-owns), not a control of its own.
  const popupOfOther = (c, all) => c.getAttribute('role') === 'listbox' && c.id &&
    all.some((o) => o !== c && `${o.getAttribute('aria-controls') || ''} ${o.getAttribute('aria-owns') || ''}`.split(/\s+/).includes(c.id));
  const controlsIn = (container, except) => {
    const all = deepAll(container).filter((c) => isControl(c) && (!except || !contains(except, c)));
    const own = all.filter((c) => !popupOfOther(c, all));
    return own.filter((c) => !own.some((o) => o !== c && contains(o, c)));
  };

  // The control a piece of label text stands for when no <label> ties
  // them: the one control of the smallest container around the text (a
  // form item, a table row). A container with several controls is not a
  // form item, so the search stops there.
  const nearestControl = (text) => {
    let p = parentOf(text);
    for (let depth = 0; p && depth < 4 && p.tagName !== 'BODY' && p.tagName !== 'FORM'; depth++, p = parentOf(p)) {
      // A tooltip's text names the element it was shown for, never what
      // lies beside the tooltip's popup.
      if (p.matches(TOOLTIP_SELECTOR)) return null;
      const controls = controlsIn(p, text);
      if (controls.length === 1) return controls[0];
      if (controls.length > 1) return null;
    }
    return null;
  };

  const byLabel = (root, want) => {
    const found = new Set();
    for (const el of deepQueryAll(root, '[aria-label]')) if (labelText(el.getAttribute('aria-label')) === want) found.add(el);
    for (const el of deepQueryAll(root, '[aria-labelledby]')) if (labelText(textOfIds(el, el.getAttribute('aria-labelledby'))) === want) found.add(el);
    for (const label of deepQueryAll(root, 'label')) {
      if (labelText(readRaw(label)) !== want) continue;
      const control = label.control || controlsIn(label)[0];
      if (control) found.add(control);
    }
    // A control named only by its title or its tooltip.
    for (const el of deepQueryAll(root, '[title]')) {
      if (!readText(el) && labelText(el.getAttribute('title')) === want) found.add(el);
    }
    for (const el of byTooltip(root, want)) found.add(el);
    if (found.size) return [...found];
    // No label names it: the text beside a control in the same form item or row.
    for (const el of deepAll(root)) {
      if (SKIP.has(el.tagName) || isInteractive(el) || isControl(el)) continue;
      if (labelText(readRaw(el)) !== want) continue;
      if ([...el.children].some((c) => labelText(readRaw(c)) === want)) continue;
      const control = nearestControl(el);
      if (control) found.add(control);
    }
    return [...found];
  };

  const byRole = (root, role, name) => {
    const explicit = deepQueryAll(root, '[role]').filter((el) => el.getAttribute('role').split(/\s+/)[0] === role);
    const implicit = IMPLICIT_ROLES[role] ? deepQueryAll(root, IMPLICIT_ROLES[role]).filter((el) => !el.hasAttribute('role')) : [];
    const all = [...new Set([...explicit, ...implicit])];
    if (name == null) return all;
    const m = typeof name === 'string' ? { kind: 'exact', value: name } : name;
    const named = all.filter((el) => matches(m, accessibleName(el)));
    if (role === 'option' && root.nodeType === 9 && !named.some(isVisible)) return popupOptions(root, m);
    return named;
  };

  // The options of an open dropdown that a library draws without
  // role=option (or whose role=option copies are hidden, kept for screen
  // readers): the entries of the visible popup list that show the text.
  const POPUP_SELECTOR = '[role=listbox],.el-select-dropdown,.el-dropdown-menu,.ant-select-dropdown,.ant-dropdown,' +
    '.tiny-select-dropdown,.tiny-dropdown-menu,.n-base-select-menu,.v-overlay__content,.MuiPopover-paper,' +
    '.MuiAutocomplete-popper,.p-dropdown-panel,.arco-select-popup,.t-select__dropdown';
  const OPTION_CLASS = /(option|item)([-_]|$)/i;
  const popupOptions = (doc, m) => {
    const found = new Set();
    for (const popup of deepQueryAll(doc, POPUP_SELECTOR)) {
      if (!isVisible(popup)) continue;
      for (const el of deepAll(popup)) {
        if (SKIP.has(el.tagName) || !isVisible(el) || !matches(m, readRaw(el))) continue;
        if ([...el.children].some((c) => isVisible(c) && matches(m, readRaw(c)))) continue;
        let entry = el;
        for (let p = el; p && p !== popup; p = parentOf(p)) {
          if (classTokens(p).some((t) => OPTION_CLASS.test(t)) || p.tagName === 'LI') { entry = p; break; }
        }
        found.add(entry);
      }
    }
    return [...found];
  };

  const byAttribute = (root, attr, want) =>
    deepQueryAll(root, `[${attr}]`).filter((el) => norm(el.getAttribute(attr)) === want);

  const byXPath = (root, expr) => {
    const doc = root.ownerDocument || root;
    let result;
    try {
      result = doc.evaluate(expr, root, null, XPathResult.ORDERED_NODE_SNAPSHOT_TYPE, null);
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

  // Why text cannot be typed into `el`: null when it can, `wait` when it
  // may become editable (read-only for now), `never` when it is not a text field.
  const notEditable = (el) => {
    if (el.isContentEditable) return null;
    const readOnly = el.readOnly || el.getAttribute('aria-readonly') === 'true';
    if (el.tagName === 'TEXTAREA') return readOnly ? { wait: 'read-only' } : null;
    if (el.tagName === 'INPUT') {
      if (['checkbox', 'radio', 'button', 'submit', 'reset', 'image', 'file', 'range', 'color', 'hidden'].includes(el.type)) {
        return { never: `an <input type=${el.type}>, not a text field` };
      }
      return readOnly ? { wait: 'read-only' } : null;
    }
    return { never: 'not a text field' };
  };

  const DIALOG_SELECTOR = '[role=dialog],[role=alertdialog],dialog[open]';
  const openDialogIn = (doc) => {
    const dialogs = deepQueryAll(doc, DIALOG_SELECTOR).filter(isVisible);
    return dialogs.length ? dialogs[dialogs.length - 1] : null;
  };
  const openDialog = (doc = document) => {
    const dialog = openDialogIn(doc);
    if (!dialog) return null;
    const title = dialog.getAttribute('aria-labelledby') ? textOfIds(dialog, dialog.getAttribute('aria-labelledby')) : norm(dialog.getAttribute('aria-label'));
    const buttons = byRole(dialog, 'button', null).filter(isVisible).map(accessibleName).filter(Boolean);
    return { title, buttons };
  };

  const resolveIn = (root, loc) => {
    switch (loc.kind) {
      case 'text': return byText(root, loc.match);
      case 'label': return byLabel(root, labelText(loc.value));
      case 'placeholder': return byAttribute(root, 'placeholder', loc.value);
      case 'testid': return byAttribute(root, 'data-testid', loc.value);
      case 'xpath': return byXPath(root, loc.value);
      case 'role': return byRole(root, loc.role, loc.name);
      case 'css':
        try { return deepQueryAll(root, loc.value); } catch (e) { throw new InvalidTarget(`\`${loc.value}\` is not a valid CSS selector`); }
      default: throw new Error('unknown locator ' + loc.kind);
    }
  };

  // `<tag.class> "name"`: how a person would point at an element in a report.
  const describe = (el, where = false) => {
    const role = el.getAttribute('role');
    const tag = el.tagName.toLowerCase() + (role ? `[role=${role}]` : '');
    const cls = typeof el.className === 'string' && el.className.trim() ? '.' + el.className.trim().split(/\s+/).slice(0, 3).join('.') : '';
    const text = short(accessibleName(el) || '', 50);
    let out = `<${tag}${cls}>${text ? ` "${text}"` : ''}`;
    if (el.ownerDocument !== document) {
      const frame = el.ownerDocument.defaultView.frameElement;
      out += ` in the frame ${frame ? describe(frame) : '(unnamed)'}`;
    }
    if (where) {
      const r = el.getBoundingClientRect();
      const o = offsetOf(el.ownerDocument);
      out += ` at (${Math.round(o.x + r.x + r.width / 2)}, ${Math.round(o.y + r.y + r.height / 2)})`;
    }
    return out;
  };
  // The name of the table row an element sits in: its first cell with text
  // of its own (what `row:` would be given to pick it).
  const rowName = (el) => {
    const row = el.closest('tr,[role=row]');
    if (!row) return null;
    for (const cell of row.querySelectorAll('td,th,[role=cell],[role=gridcell],[role=rowheader]')) {
      if (cell.contains(el)) continue;
      const text = readText(cell);
      if (text) return short(text, 40);
    }
    return null;
  };
  const candidates = (els) => els.slice(0, 8).map((el) => {
    const row = rowName(el);
    return describe(el, true) + (row ? ` in the row of "${row}"` : '');
  });

  // A control drawn by the page over a hidden real one (a checkbox whose
  // input is 0x0 or transparent, a dropdown whose search input is hidden
  // until it opens) is clicked through what the user sees: for a checkbox,
  // its label; else the nearest visible wrapper that holds no other
  // control. The proxy stands for the control: its state and whether it
  // is disabled are the control's.
  const standsFor = new WeakMap();
  const proxyOf = (el) => {
    if (!isControl(el)) return null;
    let proxy = null;
    const box = el.tagName === 'INPUT' && (el.type === 'checkbox' || el.type === 'radio');
    for (const label of (box && el.labels) || []) if (!proxy && isVisible(label)) proxy = label;
    // The nearest visible wrapper that is not itself covered by a sibling
    // (a dropdown's shown value lies over its search box).
    let p = parentOf(el);
    let covered = null;
    for (let depth = 0; !proxy && p && depth < 4; depth++, p = parentOf(p)) {
      if (controlsIn(p).length > 1) break;
      if (!isVisible(p)) continue;
      if (!plainlyCovered(p)) proxy = p;
      else if (!covered) covered = p;
    }
    proxy = proxy || covered;
    if (proxy) standsFor.set(proxy, el);
    return proxy;
  };
  // The control an element found for a target stands for: a label's
  // control, a proxy's input, or the element itself.
  const controlOf = (el) => standsFor.get(el) || (el.tagName === 'LABEL' && el.control && el.control !== el ? el.control : el);
  // What a highlight outlines: the control a person sees, not the text of
  // the label that named it (the drawn switch around a hidden input).
  const outlineOf = (el) => {
    const control = controlOf(el);
    if (control === el) return el;
    if (isVisible(control)) return control;
    for (let p = parentOf(control), depth = 0; p && depth < 3; p = parentOf(p), depth++) {
      if (controlsIn(p).length > 1) break;
      if (p.tagName !== 'LABEL' && isVisible(p)) return p;
    }
    return el;
  };
