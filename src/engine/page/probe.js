// docent's in-page helper, part "probe": one poll of a target. It resolves
// the target afresh, applies the strictness rules, and checks
// actionability (visible, enabled, not busy, stable across two animation
// frames, scrolled into view, and the element that receives the pointer
// at its centre). Doing all of it in one script call keeps each poll to a
// single WebDriver round trip and never holds stale elements. The answer
// is what probe.rs reads as an Answer.
(() => {
  if (window.__docent) return;
  const P = window.__docentParts;
  const { norm } = P.text;
  const { InvalidTarget } = P.match;
  const { parentOf, contains, readText } = P.dom;
  const { offsetOf, rectOf, sameRect, centreOf, hitAt, pointerReaches, plainlyCovered } = P.geometry;
  const { isInteractive, shownTooltips, newTooltipText, hoverEvents, unhover, discoverTooltips } = P.names;
  const {
    controlOf, outlineOf, notEditable, stateOf, disabledReason, busyReason, busyOver, context, shownAround, busyIndicator,
  } = P.controls;
  const { openDialog, describe, candidates } = P.locators;
  const { resolve } = P.resolve;
  const { fingerprint, arm } = P.guard;

  const nextFrame = () => new Promise((resolve) => requestAnimationFrame(() => resolve()));
  // Resolves on the next DOM change or after `ms`, whichever comes first:
  // the poll loop waits for the page to do something instead of sleeping.
  const changeOrTimeout = (ms) => new Promise((resolve) => {
    const mo = new MutationObserver(() => { mo.disconnect(); clearTimeout(timer); resolve(); });
    const timer = setTimeout(() => { mo.disconnect(); resolve(); }, ms);
    mo.observe(document, { childList: true, subtree: true, attributes: true, characterData: true });
  });

  const wait = (reason, extra = {}) => Object.assign({ status: 'wait', reason }, extra);

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

  // Several visible matches where an action needs one: the only one that
  // can be clicked (the button, not the text beside it), else the only one
  // that can take the action now (the others are disabled or lie under a
  // dialog's mask). One that is merely off-screen still counts, since
  // docent cannot tell it is not the one meant. More than one left is
  // ambiguous.
  const narrow = (els, canBeClicked, usableNow) => {
    let chosen = els;
    if (chosen.length > 1) {
      const interactive = chosen.filter(canBeClicked);
      if (interactive.length === 1) chosen = interactive;
    }
    if (chosen.length > 1) {
      const usable = chosen.filter(usableNow);
      if (usable.length === 1) chosen = usable;
    }
    return chosen;
  };

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
    if (unique.length) unhover();
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

    const chosen = spec.mode === 'action'
      ? narrow(visible, isInteractive, (el) => !disabledReason(el) && !plainlyCovered(el))
      : visible;
    if (chosen.length > 1) {
      return { status: 'ambiguous', candidates: candidates(chosen), count: chosen.length };
    }
    let el = chosen[0];
    if (spec.mode === 'state' && spec.before) {
      // Read before setting it: at rest, and not disabled (see refusal above).
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
    if (spec.arm) armIn(el);
    return { status: 'ok', x: o.x + cx, y: o.y + cy, desc: describe(el), state: stateOf(el) };
  }

  // Arms the guard of the document `el` lives in: a pierced frame has its
  // own helper, which sees that frame's press; else this document's.
  const armIn = (el) => {
    const helper = el.ownerDocument.defaultView && el.ownerDocument.defaultView.__docent;
    if (helper) helper.arm(el);
    else arm(el);
  };

  P.probe = { nextFrame, changeOrTimeout, wait, narrow, probeOnce };
})();
