// docent's in-page helper, part "controls": form controls as a person
// uses them — native ones and those component libraries draw from plain
// elements — their state (on/off), whether they are disabled, loading or
// editable, the control a label or a drawn wrapper stands for, and the
// loading indicators that keep a person from using one.
(() => {
  if (window.__docent) return;
  const P = window.__docentParts;
  const { norm, short } = P.text;
  const { deepAll, parentOf, contains, isVisible, classTokens, readText, textOfIds } = P.dom;
  const { centreOf, plainlyCovered } = P.geometry;
  const { TOOLTIP_SELECTOR } = P.names;

  // What a label can point at: a field, a switch, a checkbox.
  const CONTROL_SELECTOR = 'input:not([type=hidden]),select,textarea,[contenteditable=""],[contenteditable=true],' +
    '[role=switch],[role=checkbox],[role=radio],[role=combobox],[role=textbox],[role=searchbox],[role=slider],[role=spinbutton],[role=listbox]';

  // ------------------------------------------------------- drawn controls
  // Component libraries draw switches and checkboxes from plain elements:
  // some keep a hidden <input>, some only a class on a <div> or <span>
  // (`el-switch is-checked`, `tiny-switch tiny-switch-checked`,
  // `ant-switch-disabled`). docent reads such a control from its root
  // element's classes when it has no input and no ARIA state.
  const DRAWN_ROOT = /^([A-Za-z0-9]+-)*(switch|checkbox|radio)$|^Mui(Switch|Checkbox|Radio)-root$/;
  const isDrawnControl = (el) => classTokens(el).some((t) => DRAWN_ROOT.test(t));
  // A class ending in one of the `|`-separated words (`is-checked`, `ant-switch-disabled`).
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

  // On (true), off (false), or null for an element that has no such state.
  const stateOf = (el) => {
    // A label's state is its control's (`<label><input type=checkbox> Send email</label>`).
    if (controlOf(el) !== el) return stateOf(controlOf(el));
    const checked = el.getAttribute('aria-checked');
    if (checked === 'true' || checked === 'false') return checked === 'true';
    if ('checked' in el && (el.type === 'checkbox' || el.type === 'radio')) return el.checked;
    const pressed = el.getAttribute('aria-pressed');
    if (pressed === 'true' || pressed === 'false') return pressed === 'true';
    // A drawn switch: the one checkbox it wraps.
    const input = innerInput(el);
    if (input) return input.checked;
    // Drawn with no input and no ARIA: its classes say it (`is-checked`,
    // `ant-switch-checked`, `n-switch--active`).
    if (isDrawnControl(el)) return hasStateClass(el, 'checked|active|on');
    return null;
  };

  // Why `el` cannot be used, or null when it can.
  const disabledReason = (el) => {
    if (el.disabled) return 'disabled';
    const ariaDisabled = el.closest('[aria-disabled=true]');
    if (ariaDisabled) return 'disabled (aria-disabled)';
    if (el.closest('fieldset[disabled]')) return 'inside a disabled fieldset';
    if (el.closest('[inert]')) return 'inert';
    // A label or a drawn control's visible part stands for its input.
    const control = controlOf(el);
    if (control !== el) return disabledReason(control);
    if (isDrawnControl(el)) {
      if (hasStateClass(el, 'disabled')) return 'disabled';
      const input = innerInput(el);
      if (input && input !== el) return disabledReason(input);
    }
    // A hidden input's drawn control may be marked disabled only by class.
    const around = el.tagName === 'INPUT' ? parentOf(el) : null;
    for (let p = around, depth = 0; p && depth < 3; p = parentOf(p), depth++) {
      if (isDrawnControl(p)) return hasStateClass(p, 'disabled') ? 'disabled' : null;
    }
    return null;
  };

  // Loading, as ARIA or a library's class says (`is-loading`,
  // `ant-switch-loading`): the control will answer once it is done.
  // A switch that shows a spinner in its knob (`i.is-loading` in Element
  // Plus, `tiny-switch__on-loading` in OpenTiny) is loading, however else
  // it is marked meanwhile (Element Plus also marks it disabled).
  const LOADING_TOKEN = /(^|[-_])loading$/i;
  const busyReason = (el) => {
    if (el.closest('[aria-busy=true]')) return 'busy (aria-busy)';
    for (const n of new Set([el, controlOf(el), outlineOf(el)])) {
      if (classTokens(n).some((t) => LOADING_TOKEN.test(t))) return 'loading';
      if (!isDrawnControl(n)) continue;
      for (const inner of n.querySelectorAll('*')) {
        if (classTokens(inner).some((t) => LOADING_TOKEN.test(t)) && isVisible(inner)) return 'loading';
      }
    }
    return null;
  };

  const BUSY_SELECTOR = '.loading-mask,[aria-busy=true],.ant-spin-spinning,.el-loading-mask,.MuiBackdrop-root:not(.MuiBackdrop-invisible)';
  // A loading indicator over `el`: around it (aria-busy), or a mask whose
  // box holds its centre. A spinner elsewhere on the page does not stop a
  // person from reading or using a control.
  const busyOver = (el) => {
    const [cx, cy] = centreOf(el);
    for (const ind of el.ownerDocument.querySelectorAll(BUSY_SELECTOR)) {
      if (!isVisible(ind)) continue;
      if (contains(ind, el)) return ind;
      const r = ind.getBoundingClientRect();
      if (cx >= r.left && cx <= r.right && cy >= r.top && cy <= r.bottom) return ind;
    }
    return null;
  };
  // A loading indicator anywhere in `doc`.
  const busyIndicator = (doc = document) => {
    for (const el of doc.querySelectorAll(BUSY_SELECTOR)) if (isVisible(el)) return el;
    return null;
  };

  // Text near a disabled element: an explanation the console shows for it.
  const context = (el) => {
    const described = el.getAttribute('aria-describedby');
    if (described && textOfIds(el, described)) return textOfIds(el, described);
    if (el.title) return norm(el.title);
    const container = el.closest('tr,[role=row],li,fieldset,.form-item,.field') || el.parentElement;
    return container ? short(norm(container.innerText || container.textContent), 200) : '';
  };

  // What a drawn dropdown shows beside its (empty) search input: the
  // chosen option, in the nearest wrapper that holds no other control.
  const shownAround = (el) => {
    if (el.tagName !== 'INPUT') return '';
    for (let p = parentOf(el), depth = 0; p && depth < 4; p = parentOf(p), depth++) {
      if (controlsIn(p).length > 1) break;
      const text = readText(p);
      if (text) return text;
    }
    return '';
  };

  P.controls = {
    DRAWN_ROOT, isDrawnControl, hasStateClass, isControl, controlsIn, nearestControl,
    proxyOf, controlOf, outlineOf, notEditable, stateOf, disabledReason,
    LOADING_TOKEN, busyReason, busyOver, busyIndicator, context, shownAround,
  };
})();
