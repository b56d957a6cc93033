// The in-page helper, part 4 of 5: scopes, strictness, actionability, and
// the guard that keeps a click from landing on a re-rendered neighbour.

  // Where to look in `doc`: the topmost open dialog, the rows containing a
  // text, the matches of `within`, or the document.
  const scopes = (spec, doc) => {
    let roots = [doc];
    if (spec.scope === 'dialog') {
      const dialog = openDialogIn(doc);
      if (!dialog) return { roots: [], why: 'no dialog is open' };
      roots = [dialog];
    }
    if (spec.row != null) {
      const rows = [];
      for (const root of roots) {
        for (const row of deepQueryAll(root, 'tr,[role=row]')) {
          if (!isVisible(row)) continue;
          if (deepAll(row).some((el) => readText(el) === spec.row)) rows.push(row);
        }
      }
      if (!rows.length) return { roots: [], why: `no table row contains "${spec.row}"` };
      roots = rows;
    }
    if (spec.within) {
      const inner = resolveDoc(spec.within, doc);
      if (inner.why) return { roots: [], why: `inside: ${inner.why}` };
      if (!inner.visible.length) {
        return { roots: [], why: inner.unique.length ? `${spec.within.label} (to look within) is not visible` : `nothing matches ${spec.within.label} (to look within)` };
      }
      const containers = inner.visible.filter((el) => roots.some((r) => r === doc || contains(r, el)));
      if (!containers.length) return { roots: [], why: 'the element to look within is elsewhere' };
      roots = containers;
    }
    return { roots, why: null };
  };

  const byDocumentOrder = (a, b) => (a === b ? 0 : a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1);

  // Every match of a spec in one document, the visible ones (a drawn
  // checkbox counts through its visible part), and `nth` applied to those.
  function resolveDoc(spec, doc) {
    const { roots, why } = scopes(spec, doc);
    if (why) return { why, unique: [], visible: [] };
    let unique = [...new Set(roots.flatMap((root) => resolveIn(root, spec.locator)))];
    if (!unique.length && spec.within) {
      // `within` named a piece of text (a row's name, a card's title): look
      // in the smallest box around it that holds a match.
      const widened = [];
      for (const root of roots) {
        let p = parentOf(root);
        for (let depth = 0; p && depth < 6 && p.tagName !== 'BODY'; depth++, p = parentOf(p)) {
          const found = resolveIn(p, spec.locator);
          if (found.length) { widened.push(...found); break; }
        }
      }
      unique = [...new Set(widened)];
    }
    // Document order, so `nth` counts as a reader does.
    unique.sort(byDocumentOrder);
    const shown = unique.map((el) => (isVisible(el) ? el : proxyOf(el) || el)).filter(isVisible);
    return nth(spec, { why: null, unique, visible: [...new Set(shown)] });
  }

  function nth(spec, found) {
    if (spec.nth == null || found.why) return found;
    if (found.visible.length < spec.nth) {
      return { why: `only ${found.visible.length} visible match(es), no ${spec.nth}. one`, unique: found.unique, visible: [] };
    }
    return { why: null, unique: found.unique, visible: [found.visible[spec.nth - 1]] };
  }

  // The matches in this document; when it has none at all, those in its
  // same-origin frames (a target inside an iframe needs no `frame` step).
  function resolve(spec) {
    return reading(() => resolveFresh(spec));
  }

  function resolveFresh(spec) {
    const here = resolveDoc(spec, document);
    if (here.unique.length || spec.scope === 'dialog') return here;
    const inFrames = { why: null, unique: [], visible: [] };
    const unlimited = { ...spec, nth: null };
    for (const doc of frameDocs(document)) {
      const found = resolveDoc(unlimited, doc);
      inFrames.unique.push(...found.unique);
      inFrames.visible.push(...found.visible);
    }
    return inFrames.unique.length ? nth(spec, inFrames) : here;
  }

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
  // A switch or checkbox that is disabled while the page is at rest stays
  // so (a feature the region lacks, a setting held by policy): waiting out
  // the timeout would only hide the reason, which consoles often give in a
  // tooltip over the control. Such a control is refused at once.
  const refusal = async (el) => {
    const disabled = disabledReason(el);
    if (!disabled || stateOf(el) === null || busyOver(el) || busyReason(el)) return null;
    const tip = await tooltipOver(el);
    const near = tip ? `; its tooltip says "${tip}"` : (context(el) ? `; next to it: "${context(el)}"` : '');
    return { status: 'invalid', reason: `${describe(outlineOf(el))} is ${disabled}${near}`, disabled: true };
  };

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

  const busyIndicator = (doc = document) => {
    for (const el of doc.querySelectorAll(BUSY_SELECTOR)) if (isVisible(el)) return el;
    return null;
  };

  const nextFrame = () => new Promise((resolve) => requestAnimationFrame(() => resolve()));
  // Resolves on the next DOM change or after `ms`, whichever comes first:
  // the poll loop waits for the page to do something instead of sleeping.
  const changeOrTimeout = (ms) => new Promise((resolve) => {
    const mo = new MutationObserver(() => { mo.disconnect(); clearTimeout(timer); resolve(); });
    const timer = setTimeout(() => { mo.disconnect(); resolve(); }, ms);
    mo.observe(document, { childList: true, subtree: true, attributes: true, characterData: true });
  });

  const rectOf = (el) => {
    const r = el.getBoundingClientRect();
    return { x: r.x, y: r.y, w: r.width, h: r.height };
  };
  const sameRect = (a, b) => Math.abs(a.x - b.x) < 0.5 && Math.abs(a.y - b.y) < 0.5 && Math.abs(a.w - b.w) < 0.5 && Math.abs(a.h - b.h) < 0.5;

  // The innermost element at a point of `doc`'s viewport, through shadow roots.
  const hitAt = (doc, x, y) => {
    let hit = doc.elementFromPoint(x, y);
    for (let depth = 0; hit && shadowOf(hit) && depth < 32; depth++) {
      const inner = shadowOf(hit).elementFromPoint(x, y);
      if (!inner || inner === hit) break;
      hit = inner;
    }
    return hit;
  };

  const receivesPointer = (el, hit) => {
    if (!hit) return false;
    if (contains(el, hit)) return true;
    // A click on the label of a control reaches the control.
    const label = hit.closest('label');
    if (label && label.control === el) return true;
    const labelledby = (el.getAttribute('aria-labelledby') || '').split(/\s+/);
    return labelledby.some((id) => {
      const named = id && idScope(el).getElementById(id);
      return named && contains(named, hit);
    });
  };

  // What a person's pointer at (x, y) of `el`'s viewport would reach: the
  // element there, and, up the frame chain, the frame itself in its parent.
  const pointerReaches = (el, x, y) => {
    const hit = hitAt(el.ownerDocument, x, y);
    if (!receivesPointer(el, hit)) return { ok: false, cover: hit };
    let px = x, py = y;
    for (let win = el.ownerDocument.defaultView; win !== window && win.frameElement; win = win.parent) {
      const frame = win.frameElement;
      const o = contentOrigin(frame);
      px += o.x;
      py += o.y;
      const outer = hitAt(frame.ownerDocument, px, py);
      if (outer !== frame) return { ok: false, cover: outer };
    }
    return { ok: true };
  };

  const centreOf = (el) => {
    const r = el.getBoundingClientRect();
    return [r.x + r.width / 2, r.y + r.height / 2];
  };

  // Covered at its centre by something else, as far as can be seen without
  // scrolling (an element outside the viewport is not known to be covered).
  const plainlyCovered = (el) => {
    const r = el.getBoundingClientRect();
    const win = el.ownerDocument.defaultView;
    const cx = r.x + r.width / 2, cy = r.y + r.height / 2;
    if (cx < 0 || cy < 0 || cx >= win.innerWidth || cy >= win.innerHeight) return false;
    return !receivesPointer(el, hitAt(el.ownerDocument, cx, cy));
  };

  // A fingerprint of what an element is to a reader, so a re-rendered copy
  // (same tag, text and row) is recognised as the same thing.
  const fingerprint = (el) => {
    const row = el.closest('tr,[role=row],li');
    return [el.tagName, el.getAttribute('role') || '', accessibleName(el), row ? norm(row.textContent) : ''].join('\u0001');
  };

  // An element and the table row it sits in, for a click that went astray.
  const describeInRow = (el) => {
    const row = rowName(el);
    return row ? `${describe(el)} in the row of "${row}"` : describe(el);
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
    // A tooltip search left a button hovered: found now, so let it go.
    if (unique.length && hovering) unhover();
    if (why && spec.mode === 'gone') return { status: 'ok' };
    if (why) return wait(why);

    if (spec.mode === 'gone') {
      if (visible.length) return wait('still visible', { candidates: candidates(visible) });
      const busy = busyIndicator();
      if (busy) return wait(`the page is still loading (${describe(busy)})`);
      return { status: 'ok' };
    }
    if (!unique.length && (spec.locator.kind === 'label' || (spec.locator.kind === 'role' && spec.locator.name != null)) &&
        spec.mode !== 'gone' && discoverTooltips()) {
      return wait('not found yet (reading the tooltips of unnamed buttons)');
    }
    if (!visible.length) {
      const dialog = spec.scope === 'dialog' ? openDialog() : null;
      return wait(unique.length ? `${unique.length} matching element(s), none visible` : 'not found', {
        hidden: candidates(unique.slice(0, 3)),
        dialog,
      });
    }
    if (spec.mode === 'visible') return { status: 'ok', count: visible.length, state: stateOf(visible[0]) };
    if (spec.mode === 'inspect') {
      if (visible.length > 1) return { status: 'ambiguous', candidates: candidates(visible), count: visible.length };
      const el = visible[0];
      const field = controlOf(el);
      let value = 'value' in field && ['INPUT', 'TEXTAREA', 'SELECT'].includes(field.tagName)
        ? (field.tagName === 'SELECT' ? norm((field.selectedOptions[0] || {}).textContent || '') : field.value)
        : null;
      // A drawn dropdown keeps an empty search box and shows the choice beside it.
      if (value === '' && field.getAttribute('role') === 'combobox') {
        value = (field !== el ? readText(el) : '') || shownAround(field);
      }
      return {
        status: 'ok', desc: describe(el), state: stateOf(el), value,
        text: norm(el.innerText || el.textContent) || shownAround(el), disabled: !!disabledReason(el),
        editable: !disabledReason(el) && notEditable(field) === null,
        tag: el.tagName.toLowerCase(), role: el.getAttribute('role'),
      };
    }

    let chosen = visible;
    if (chosen.length > 1 && spec.mode === 'action') {
      // Several things carry the text, but only one can be clicked.
      const interactive = chosen.filter(isInteractive);
      if (interactive.length === 1) chosen = interactive;
    }
    if (chosen.length > 1 && spec.mode === 'action') {
      // Only one can take the action now: the others are disabled or lie
      // under a dialog's mask. One that is merely off-screen still counts,
      // since docent cannot tell it is not the one meant.
      const usable = chosen.filter((el) => !disabledReason(el) && !plainlyCovered(el));
      if (usable.length === 1) chosen = usable;
    }
    if (chosen.length > 1) {
      return { status: 'ambiguous', candidates: candidates(chosen), count: chosen.length };
    }
    let el = chosen[0];
    if (spec.mode === 'state' && spec.before) {
      // Read before setting it: at rest, and not disabled (see refusal below).
      const loading = busyOver(el);
      if (loading) return wait(`${describe(el)} is under a loading indicator (${describe(loading)})`);
      const busy = busyReason(el);
      if (busy) return wait(`${describe(el)} is ${busy}`);
      // A mask still fading in has no opacity yet, but it already covers.
      // (What holds the control, catching the pointer for it, does not.)
      const cover = plainlyCovered(el) ? hitAt(el.ownerDocument, ...centreOf(el)) : null;
      if (cover && !contains(cover, el)) return wait(`${describe(el)} is covered by ${describe(cover)}`);
      const refused = await refusal(el);
      if (refused) return refused;
    }
    if (spec.mode === 'state') {
      return { status: 'ok', state: stateOf(el), busy: !!busyReason(el), desc: describe(el), dialog: openDialog() };
    }
    if (spec.editable) {
      const field = el.tagName === 'LABEL' && el.control ? el.control : el;
      const why = notEditable(field);
      if (why && why.never) return { status: 'invalid', reason: `${describe(el)} is ${why.never}` };
      if (why) return wait(`${describe(el)} is ${why.wait}`, { context: context(el) });
    }
    const busy = busyReason(el);
    if (busy) return wait(`${describe(el)} is ${busy}`);
    const disabled = disabledReason(el);
    const refused = await refusal(el);
    if (refused) return refused;
    if (disabled) return wait(`${describe(el)} is ${disabled}`, { context: context(el) });

    const win = el.ownerDocument.defaultView;
    const vw = win.innerWidth, vh = win.innerHeight;
    const r = el.getBoundingClientRect();
    if (r.top < 0 || r.left < 0 || r.bottom > vh || r.right > vw) {
      el.scrollIntoView({ block: 'center', inline: 'center', behavior: 'instant' });
    }
    const before = rectOf(el);
    const print = fingerprint(el);
    await nextFrame();
    await nextFrame();
    if (!el.isConnected) {
      // Re-rendered meanwhile: an identical copy in the same place is the
      // same thing to a reader, and is what the click must reach now.
      const twin = resolve(spec).visible.find((c) => fingerprint(c) === print);
      if (!twin) return wait(`${describe(el)} was replaced while docent looked at it`);
      el = twin;
    }
    const after = rectOf(el);
    if (!sameRect(before, after)) return wait(`${describe(el)} is still moving`);
    const cx = after.x + after.w / 2, cy = after.y + after.h / 2;
    if (cx < 0 || cy < 0 || cx >= vw || cy >= vh) return wait(`${describe(el)} is outside the viewport`);
    const reach = pointerReaches(el, cx, cy);
    if (!reach.ok) {
      return wait(`${describe(el)} is covered by ${reach.cover ? describe(reach.cover) : 'nothing hit-testable'}`);
    }
    const o = offsetOf(el.ownerDocument);
    if (spec.arm) helperOf(el).arm(el);
    return { status: 'ok', x: o.x + cx, y: o.y + cy, desc: describe(el), state: stateOf(el) };
  }

  // The helper of the document `el` lives in (a pierced frame has its own).
  const helperOf = (el) => (el.ownerDocument.defaultView && el.ownerDocument.defaultView.__docent) || api;

  // ------------------------------------------------------------ click guard
  // Between the probe that aimed and the trusted click, the page can
  // re-render and put something else under the pointer. The probe arms the
  // guard with the element it aimed at; the first press that follows is
  // checked, and a press that would reach something else is stopped before
  // the page sees it (with the rest of that click), so the engine can aim
  // again instead of clicking the wrong row.
  let armed = null; // { el, print, at }
  let clicked = null; // the element the last armed click aimed at
  let busyBeforeClick = null; // how the page showed itself working when it was aimed at
  let pressed = null; // what an accepted press reached, until its click arrives
  let blocking = false;
  let lastClick = null; // { ok, hit, clicked }
  const sameThing = (aimed, target) => {
    if (!target) return false;
    if (receivesPointer(aimed.el, target)) return true;
    // The element was replaced by an identical copy (a list that re-renders).
    if (aimed.el.isConnected) return false;
    for (let n = target; n; n = parentOf(n)) if (fingerprint(n) === aimed.print) return true;
    return false;
  };
  const guard = (event) => {
    if (!event.isTrusted) return;
    if (event.type === 'pointerdown') {
      blocking = false;
      pressed = null;
      if (armed && Date.now() - armed.at < 5000) {
        const first = event.composedPath()[0];
        const target = first && first.nodeType === 1 ? first : first && first.parentElement;
        const ok = sameThing(armed, target);
        lastClick = { ok, hit: target ? describeInRow(target) : 'nothing', clicked: false };
        blocking = !ok;
        if (ok) pressed = armed;
      }
      armed = null;
    }
    if (event.type === 'click' && pressed && lastClick) {
      const first = event.composedPath()[0];
      lastClick.clicked = sameThing(pressed, first && first.nodeType === 1 ? first : first && first.parentElement);
      // A click that went to an ancestor instead is judged in takeClick.
      if (lastClick.clicked) pressed = null;
    }
    if (blocking) {
      event.preventDefault();
      event.stopImmediatePropagation();
      if (event.type === 'click') blocking = false;
    }
  };
  // A press that reached its target but whose click never did, because the
  // page replaced the target with an identical copy between press and
  // release: nothing happened, so the engine may safely aim again. A target
  // that is simply gone was taken away by the press itself (a menu that
  // acts on mousedown); that click counts.
  const lostInRerender = (click) => {
    if (!click || !click.ok || click.clicked || !pressed || pressed.el.isConnected) return false;
    const print = pressed.print;
    return deepAll(document).some((el) => fingerprint(el) === print);
  };
  for (const type of ['pointerdown', 'mousedown', 'pointerup', 'mouseup', 'click']) {
    window.addEventListener(type, guard, { capture: true });
  }
