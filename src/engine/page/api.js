// docent's in-page helper, last part: what the engine calls
// (`window.__docent`, each function one typed call of protocol.rs). It
// installs the helper once every part is defined, starts the toast
// recorder, and removes the parts' namespace.
(() => {
  if (window.__docent) return;
  const P = window.__docentParts;
  const { norm } = P.text;
  const { deepAll, deepRoots, isVisible, SKIP } = P.dom;
  const { frameDocs, contentOrigin, offsetOf } = P.geometry;
  const { controlOf, outlineOf, busyIndicator } = P.controls;
  const { describe } = P.locators;
  const { resolve } = P.resolve;
  const { badSelectors, watchRoot, ownToasts, leavingToast } = P.toasts;
  const { arm, takeClick, busySinceArmed } = P.guard;
  const { nextFrame, changeOrTimeout, wait, probeOnce } = P.probe;
  const { snapshot } = P.evidence;

  // Visible texts of the page, for "did you mean" when a target is missing.
  const visibleTexts = () => {
    const texts = new Set();
    for (const doc of [document, ...frameDocs(document)]) {
      if (!doc.body) continue;
      for (const el of deepAll(doc.body)) {
        if (SKIP.has(el.tagName) || !isVisible(el)) continue;
        const own = [...el.childNodes].filter((n) => n.nodeType === 3).map((n) => n.textContent).join(' ');
        // innerText keeps the line breaks between blocks that textContent glues together.
        for (const t of [norm(own), el.children.length <= 3 ? norm(el.innerText) : '', norm(el.getAttribute('aria-label'))]) {
          if (t && t.length <= 120) texts.add(t);
        }
      }
    }
    return [...texts];
  };

  // At rest for a figure: nothing loading, no animation with an end still
  // running. A toast's entrance is waited for; its exit never is, so a
  // toast that shows when the step runs is in the figure.
  const settled = async () => {
    await nextFrame();
    const busy = busyIndicator();
    if (busy) return wait(`the page is still loading (${describe(busy)})`);
    const running = document.getAnimations().filter((a) => {
      if (a.playState !== 'running') return false;
      const end = a.effect && a.effect.getComputedTiming().endTime;
      if (!Number.isFinite(end)) return false;
      const target = a.effect && a.effect.target;
      return !(target && target.nodeType === 1 && leavingToast(target));
    });
    if (running.length) return wait(`${running.length} animation(s) still running`);
    return { status: 'ok' };
  };

  // The helpers of every same-origin document of this tab (each frame has
  // its own, with its own toast store and click guard), this one included.
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

  // Elements a `remove` mask took out of the layout, with the inline
  // `display` each had, so the page is put back exactly as it was.
  let takenOut = [];
  const takeOut = (el) => {
    if (takenOut.some((t) => t.el === el)) return;
    const { style } = el;
    takenOut.push({
      el,
      hadStyle: el.hasAttribute('style'),
      value: style.getPropertyValue('display'),
      priority: style.getPropertyPriority('display'),
    });
    style.setProperty('display', 'none', 'important');
  };
  const putBack = () => {
    for (const { el, hadStyle, value, priority } of takenOut.reverse()) {
      if (value) el.style.setProperty('display', value, priority);
      else el.style.removeProperty('display');
      if (!hadStyle && !el.getAttribute('style')) el.removeAttribute('style');
    }
    takenOut = [];
  };

  // A compared figure must not catch the page mid-way: transitions are
  // turned off (a running one jumps to its end), finite animations are
  // finished, endless ones (spinners) are held at their start, and the
  // caret is hidden — in the page, in its same-origin frames and inside
  // every shadow root, which a document's own style does not reach.
  // `letGo` undoes what can be undone: the styles go, held animations run
  // on from where they were.
  const STEADY = '*,*::before,*::after{transition:none!important;caret-color:transparent!important}';
  let held = null;
  const holdStill = () => {
    const styles = [];
    const adopted = [];
    const paused = [];
    for (const doc of [document, ...frameDocs(document)]) {
      const style = doc.createElement('style');
      style.id = '__docent_steady';
      style.textContent = STEADY;
      (doc.head || doc.documentElement).appendChild(style);
      styles.push(style);
      // A shadow root takes a constructed sheet rather than a <style>
      // child, which would change what its own `:last-child` and the
      // like select. A sheet belongs to the document that made it.
      const Sheet = doc.defaultView && doc.defaultView.CSSStyleSheet;
      const shadows = deepRoots(doc.documentElement).slice(1);
      if (Sheet && shadows.length) {
        const sheet = new Sheet();
        sheet.replaceSync(STEADY);
        for (const root of shadows) {
          if (!root.adoptedStyleSheets) continue;
          root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheet];
          adopted.push({ root, sheet });
        }
      }
      // A document's animations include those in its shadow trees.
      const running = typeof doc.getAnimations === 'function' ? doc.getAnimations() : [];
      for (const a of running) {
        const timing = a.effect && a.effect.getComputedTiming ? a.effect.getComputedTiming() : null;
        if (timing && Number.isFinite(timing.endTime)) {
          try { a.finish(); } catch (e) { /* one that cannot finish is left as it is */ }
        } else if (a.playState === 'running') {
          paused.push({ a, at: a.currentTime });
          a.pause();
          a.currentTime = 0;
        }
      }
    }
    held = { styles, adopted, paused };
  };
  const letGo = () => {
    if (!held) return;
    for (const style of held.styles) style.remove();
    for (const { root, sheet } of held.adopted) {
      root.adoptedStyleSheets = [...root.adoptedStyleSheets].filter((s) => s !== sheet);
    }
    for (const { a, at } of held.paused) {
      a.currentTime = at;
      a.play();
    }
    held = null;
  };

  const api = {
    version: 2,
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
    // This document's toasts after the caller's cursor for its store.
    ownToasts,
    // New toasts of every same-origin document of the tab, and the runbook
    // toast selectors the browser rejected.
    toasts(cursors) {
      const stores = [];
      for (const helper of allHelpers()) {
        try { stores.push(helper.ownToasts(cursors)); } catch (e) { /* a frame going away */ }
      }
      return { stores, bad: badSelectors };
    },
    // Returns new toasts, waiting for the next DOM change (or `pace` ms)
    // first when there are none yet.
    async waitToasts(cursors, pace) {
      let result = this.toasts(cursors);
      if (!result.stores.some((s) => s.items.length)) {
        await changeOrTimeout(pace);
        result = this.toasts(cursors);
      }
      return result;
    },
    // Guards the next press (see guard.js).
    arm,
    // After a click: what keeps the page from being at rest — the clicked
    // button showing its loading state, or a loading mask — so the click's
    // step waits for the console's answer, and an error it answers with
    // fails that step. Waits for the next DOM change (or `pace` ms) first
    // when busy; the toasts so far come in the same round trip. `settle`:
    // the console was busy and is done; its toast may be drawn a frame or
    // a timer later, so give it one poll interval to show.
    async answering(cursors, pace, settle) {
      if (settle) {
        await new Promise((resolve) => setTimeout(resolve, pace));
        return { busy: null, toasts: this.toasts(cursors) };
      }
      let reason = busySinceArmed();
      if (reason && pace) {
        await changeOrTimeout(pace);
        reason = busySinceArmed();
      }
      return { busy: reason, toasts: this.toasts(cursors) };
    },
    takeClick,
    // After a click: whether the press reached what the probe aimed at
    // (null when no guarded press was seen, e.g. the click loaded a new
    // page), and the toasts so far, in one round trip.
    afterClick(cursors) {
      let click = null;
      for (const helper of allHelpers()) {
        const seen = helper.takeClick();
        if (seen && !click) click = seen;
      }
      return { click, toasts: this.toasts(cursors) };
    },
    visibleTexts,
    focusForFill(spec) {
      const found = resolve(spec).visible[0];
      if (!found) return false;
      const el = controlOf(found);
      el.focus();
      if (typeof el.select === 'function') el.select();
      else if (el.isContentEditable) el.ownerDocument.getSelection().selectAllChildren(el);
      return true;
    },
    valueOf(spec) {
      const found = resolve(spec).visible[0];
      if (!found) return null;
      const el = controlOf(found);
      return 'value' in el && ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName) ? el.value : el.textContent;
    },
    // The element itself (WebDriver turns it into a reference), and where
    // its content box starts in the viewport, for entering a frame.
    element(spec) {
      const el = resolve(spec).visible[0];
      if (!el) return null;
      const o = contentOrigin(el);
      return { element: el, tag: el.tagName.toLowerCase(), x: o.x, y: o.y };
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
      const o = offsetOf(el.ownerDocument);
      return { x: o.x + r.x + window.scrollX, y: o.y + r.y + window.scrollY, width: r.width, height: r.height };
    },
    pageRect() {
      const d = document.documentElement;
      return { x: 0, y: 0, width: Math.max(d.scrollWidth, window.innerWidth), height: Math.max(d.scrollHeight, document.body ? document.body.scrollHeight : 0, window.innerHeight) };
    },
    // Prepares the page for one figure and says what it found: `remove`
    // masks taken out of the layout (display: none), then red outlines
    // (highlights) and solid boxes (`hide` masks) drawn above the page,
    // and the document boxes of `ignore` masks, which the figure keeps
    // but its comparison leaves out; for a compared figure (`steady`) the
    // page is first held still. `undecorate` puts the page back.
    decorate(highlights, masks, steady) {
      if (steady) holdStill();
      const layer = document.createElement('div');
      layer.id = '__docent_decorations';
      layer.style.cssText = 'position:absolute;left:0;top:0;width:0;height:0;z-index:2147483647;pointer-events:none';
      // Every mask is found before any is removed, so one inside a removed
      // one still counts as matched (it is out of the figure all the same).
      const found = masks.map((m) => resolve(m.locate).visible.map(outlineOf));
      const unmatched = [];
      found.forEach((els, i) => { if (!els.length) unmatched.push(i); });
      masks.forEach((m, i) => { if (m.mode === 'remove') found[i].forEach(takeOut); });
      const boxOf = (el) => {
        const r = el.getBoundingClientRect();
        const o = offsetOf(el.ownerDocument);
        return { x: o.x + r.x + window.scrollX, y: o.y + r.y + window.scrollY, width: r.width, height: r.height };
      };
      const draw = (b, style) => {
        const box = document.createElement('div');
        box.style.cssText = `position:absolute;left:${b.x - 3}px;top:${b.y - 3}px;width:${b.width + 6}px;height:${b.height + 6}px;box-sizing:border-box;${style}`;
        layer.appendChild(box);
      };
      const missing = [];
      for (const spec of highlights) {
        const els = resolve(spec).visible.map(outlineOf);
        if (!els.length) missing.push(spec.label);
        for (const el of els) draw(boxOf(el), 'border:3px solid #e02020;border-radius:3px');
      }
      const ignored = [];
      masks.forEach((m, i) => {
        if (m.mode === 'remove') return;
        for (const el of found[i]) {
          const b = boxOf(el);
          // Inside a removed mask: nothing of it is left to cover.
          if (!b.width || !b.height) continue;
          if (m.mode === 'ignore') ignored.push(b);
          else draw(b, 'background:#8a8f98;border:3px solid #8a8f98');
        }
      });
      document.documentElement.appendChild(layer);
      return { missing, unmatched, ignored, scroll_x: window.scrollX, scroll_y: window.scrollY };
    },
    undecorate() {
      const layer = document.getElementById('__docent_decorations');
      if (layer) layer.remove();
      putBack();
      letGo();
      return true;
    },
    // The DOM as it is now, shadow roots included (as declarative
    // `<template shadowrootmode>`), inert and self-contained, for
    // failure.html.
    snapshot() {
      return snapshot(deepRoots);
    },
    async location(pace) {
      if (pace) await changeOrTimeout(pace);
      return { url: document.URL, title: document.title };
    },
  };

  // The document node itself is observed, so toasts inserted while the page
  // is still parsing count; shadow roots that existed before the helper (a
  // document it was injected into late) are picked up here too.
  for (const root of deepRoots(document)) watchRoot(root);
  // The document this helper watches (text.js drops a helper of another).
  api.document = document;
  window.__docent = api;
  delete window.__docentParts;
})();
