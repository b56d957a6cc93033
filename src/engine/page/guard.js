// docent's in-page helper, part "guard": the click guard. Between the
// probe that aimed and the trusted click, the page can re-render and put
// something else under the pointer. The probe arms the guard with the
// element it aimed at; the first press that follows is checked, and a
// press that would reach something else is stopped before the page sees it
// (with the rest of that click), so the engine can aim again instead of
// clicking the wrong row. The guard also notes how the page showed itself
// working when it was aimed at, so the click's own answer can be told from
// a spinner that was already there.
(() => {
  if (window.__docent) return;
  const P = window.__docentParts;
  const { norm } = P.text;
  const { deepAll, parentOf, classTokens } = P.dom;
  const { receivesPointer } = P.geometry;
  const { accessibleName } = P.names;
  const { LOADING_TOKEN, busyIndicator } = P.controls;
  const { describe, describeInRow } = P.locators;

  // A fingerprint of what an element is to a reader, so a re-rendered copy
  // (same tag, text and row) is recognised as the same thing.
  const fingerprint = (el) => {
    const row = el.closest('tr,[role=row],li');
    return [el.tagName, el.getAttribute('role') || '', accessibleName(el), row ? norm(row.textContent) : ''].join('\u0001');
  };

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

  // What shows the console working: the clicked button (or what holds it)
  // in its loading state, or a loading mask. The button comes first: a
  // spinner that was already turning elsewhere when the click was aimed
  // must not hide the click's own answer, or the click's step would end
  // before it and its error toast would fail the next step.
  const workingReason = () => {
    for (let n = clicked, depth = 0; n && n.isConnected && depth < 3; n = parentOf(n), depth++) {
      if (n.getAttribute('aria-busy') === 'true' || classTokens(n).some((t) => LOADING_TOKEN.test(t))) {
        return `${describe(n)} is loading`;
      }
    }
    const mask = busyIndicator();
    if (mask) return `the page is loading (${describe(mask)})`;
    return null;
  };
  // Busy the way it already was before the click (a spinner that never
  // stops) is not the click's doing: null then.
  const busySinceArmed = () => {
    const reason = workingReason();
    return reason === busyBeforeClick ? null : reason;
  };

  // Guards the next press: it must reach `el`.
  const arm = (el) => {
    armed = { el, print: fingerprint(el), at: Date.now() };
    clicked = el;
    busyBeforeClick = workingReason();
    lastClick = null;
  };
  // What the last guarded press reached ({ ok, hit }), once; null when no
  // guarded press was seen.
  const takeClick = () => {
    let click = lastClick;
    if (lostInRerender(click)) {
      click = { ok: false, hit: `${click.hit}, which the page re-rendered before the click arrived` };
    }
    lastClick = null;
    armed = null;
    pressed = null;
    return click;
  };

  P.guard = { fingerprint, arm, takeClick, busySinceArmed };
})();
