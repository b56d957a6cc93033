// docent's in-page helper, part "geometry": where things are — the
// same-origin frames of a document and where their viewports start, boxes
// and centres, and what a person's pointer would reach at a point (through
// shadow roots and up the frame chain).
(() => {
  if (window.__docent) return;
  const P = window.__docentParts;
  const { shadowOf, deepQueryAll, idScope, contains, isVisible } = P.dom;

  // ----------------------------------------------------------------- frames
  // Same-origin frames below `doc`, visible ones only, outermost first.
  const frameDocs = (doc) => {
    const out = [];
    for (const frame of deepQueryAll(doc, 'iframe,frame')) {
      let inner = null;
      try { inner = frame.contentDocument; } catch (e) { inner = null; }
      if (!inner || !inner.documentElement || !isVisible(frame)) continue;
      out.push(inner, ...frameDocs(inner));
    }
    return out;
  };
  // Where an iframe's content (its document's viewport) starts in the
  // viewport of the document that holds the iframe: inside border and padding.
  const contentOrigin = (frame) => {
    const r = frame.getBoundingClientRect();
    const cs = frame.ownerDocument.defaultView.getComputedStyle(frame);
    return {
      x: r.x + frame.clientLeft + parseFloat(cs.paddingLeft || '0'),
      y: r.y + frame.clientTop + parseFloat(cs.paddingTop || '0'),
    };
  };
  // Where a document's viewport starts in this window's viewport.
  const offsetOf = (doc) => {
    let x = 0, y = 0;
    for (let win = doc.defaultView; win && win !== window; win = win.parent) {
      const frame = win.frameElement;
      if (!frame) break;
      const o = contentOrigin(frame);
      x += o.x;
      y += o.y;
    }
    return { x, y };
  };

  // ------------------------------------------------------------------ boxes
  const rectOf = (el) => {
    const r = el.getBoundingClientRect();
    return { x: r.x, y: r.y, w: r.width, h: r.height };
  };
  // Within half a pixel: the same place to a person's eye and pointer.
  const sameRect = (a, b) => Math.abs(a.x - b.x) < 0.5 && Math.abs(a.y - b.y) < 0.5 && Math.abs(a.w - b.w) < 0.5 && Math.abs(a.h - b.h) < 0.5;
  const centreOf = (el) => {
    const r = el.getBoundingClientRect();
    return [r.x + r.width / 2, r.y + r.height / 2];
  };

  // ---------------------------------------------------------------- pointer
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

  // Covered at its centre by something else, as far as can be seen without
  // scrolling (an element outside the viewport is not known to be covered).
  const plainlyCovered = (el) => {
    const r = el.getBoundingClientRect();
    const win = el.ownerDocument.defaultView;
    const cx = r.x + r.width / 2, cy = r.y + r.height / 2;
    if (cx < 0 || cy < 0 || cx >= win.innerWidth || cy >= win.innerHeight) return false;
    return !receivesPointer(el, hitAt(el.ownerDocument, cx, cy));
  };

  P.geometry = {
    frameDocs, contentOrigin, offsetOf, rectOf, sameRect, centreOf,
    hitAt, receivesPointer, pointerReaches, plainlyCovered,
  };
})();
