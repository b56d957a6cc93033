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

  const textOfIds = (el, ids) => norm(ids.split(/\s+/).map((id) => {
    const named = id && idScope(el).getElementById(id);
    return named ? named.textContent : '';
  }).join(' '));

  const accessibleName = (el) => {
    const labelledby = el.getAttribute('aria-labelledby');
    if (labelledby) return textOfIds(el, labelledby);
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
    for (const el of deepAll(root)) {
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
    const found = [];
    for (const el of deepAll(root)) {
      if (SKIP.has(el.tagName)) continue;
      if (norm(el.textContent) === want) found.push(el);
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

  // Outermost controls only: a switch element and the input inside it are one control.
  const controlsIn = (container, except) => {
    const all = deepQueryAll(container, CONTROL_SELECTOR).filter((c) => !except || !contains(except, c));
    return all.filter((c) => !all.some((o) => o !== c && contains(o, c)));
  };

  // The control a piece of label text stands for when no <label> ties
  // them: the one control of the smallest container around the text (a
  // form item, a table row). A container with several controls is not a
  // form item, so the search stops there.
  const nearestControl = (text) => {
    let p = parentOf(text);
    for (let depth = 0; p && depth < 4 && p.tagName !== 'BODY' && p.tagName !== 'FORM'; depth++, p = parentOf(p)) {
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
      if (labelText(label.textContent) !== want) continue;
      const control = label.control || label.querySelector(CONTROL_SELECTOR);
      if (control) found.add(control);
    }
    if (found.size) return [...found];
    // No label names it: the text beside a control in the same form item or row.
    for (const el of deepAll(root)) {
      if (SKIP.has(el.tagName) || isInteractive(el) || el.matches(CONTROL_SELECTOR)) continue;
      if (labelText(el.textContent) !== want) continue;
      if ([...el.children].some((c) => labelText(c.textContent) === want)) continue;
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
    return all.filter((el) => matches(m, accessibleName(el)));
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
    if (el.tagName === 'TEXTAREA') return el.readOnly ? { wait: 'read-only' } : null;
    if (el.tagName === 'INPUT') {
      if (['checkbox', 'radio', 'button', 'submit', 'reset', 'image', 'file', 'range', 'color', 'hidden'].includes(el.type)) {
        return { never: `an <input type=${el.type}>, not a text field` };
      }
      return el.readOnly ? { wait: 'read-only' } : null;
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
      const text = norm(cell.textContent);
      if (text) return short(text, 40);
    }
    return null;
  };
  const candidates = (els) => els.slice(0, 8).map((el) => {
    const row = rowName(el);
    return describe(el, true) + (row ? ` in the row of "${row}"` : '');
  });

  // A checkbox or radio drawn by the page (its real input is 0x0 or
  // transparent) is clicked through what the user sees: its label, or the
  // nearest visible wrapper that holds no other control.
  const proxyOf = (el) => {
    if (el.tagName !== 'INPUT' || (el.type !== 'checkbox' && el.type !== 'radio')) return null;
    for (const label of el.labels || []) if (isVisible(label)) return label;
    let p = parentOf(el);
    for (let depth = 0; p && depth < 3; depth++, p = parentOf(p)) {
      if (controlsIn(p).length > 1) return null;
      if (isVisible(p)) return p;
    }
    return null;
  };
