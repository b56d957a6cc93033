// docent's in-page helper, part "locators": finding what one runbook
// locator names under a root — text, labels (also the text beside a
// control in a form item or row), roles, attributes, CSS and XPath,
// through shadow roots — and describing what was found the way a person
// would point at it in a report.
(() => {
  if (window.__docent) return;
  const P = window.__docentParts;
  const { norm, short, labelText } = P.text;
  const { InvalidTarget, matches } = P.match;
  const { deepAll, deepQueryAll, parentOf, isVisible, classTokens, SKIP, readRaw, readText, textOfIds } = P.dom;
  const { offsetOf } = P.geometry;
  const { isInteractive, IMPLICIT_ROLES, DIALOG_SELECTOR, accessibleName, byTooltip } = P.names;
  const { isControl, controlsIn, nearestControl } = P.controls;

  // ------------------------------------------------------------------- text
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

  // ----------------------------------------------------------------- labels
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

  // ------------------------------------------------------------------ roles
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

  // ------------------------------------------------- attributes, CSS, XPath
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

  // Every element under `root` that a locator (as probe.rs's LocatorSpec
  // sends it) names.
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

  // ---------------------------------------------------------------- dialogs
  const openDialogIn = (doc) => {
    const dialogs = deepQueryAll(doc, DIALOG_SELECTOR).filter(isVisible);
    return dialogs.length ? dialogs[dialogs.length - 1] : null;
  };
  // The topmost open dialog's title and buttons, for an explanation.
  const openDialog = (doc = document) => {
    const dialog = openDialogIn(doc);
    if (!dialog) return null;
    const title = dialog.getAttribute('aria-labelledby') ? textOfIds(dialog, dialog.getAttribute('aria-labelledby')) : norm(dialog.getAttribute('aria-label'));
    const buttons = byRole(dialog, 'button', null).filter(isVisible).map(accessibleName).filter(Boolean);
    return { title, buttons };
  };

  // ------------------------------------------------------------- describing
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
  // The first matches of several, as a report lists them.
  const candidates = (els) => els.slice(0, 8).map((el) => {
    const row = rowName(el);
    return describe(el, true) + (row ? ` in the row of "${row}"` : '');
  });
  // An element and the table row it sits in, for a click that went astray.
  const describeInRow = (el) => {
    const row = rowName(el);
    return row ? `${describe(el)} in the row of "${row}"` : describe(el);
  };

  P.locators = {
    byText, byLabel, byRole, byAttribute, resolveIn, openDialogIn, openDialog,
    describe, rowName, candidates, describeInRow,
  };
})();
