// docent's in-page helper, part "resolve": a whole target (as probe.rs's
// Locate sends it) resolved afresh — the scope it is looked for in (the
// topmost dialog, a table row, another target), its matches in document
// order, the visible ones, `nth`, and same-origin frames when the document
// itself has no match.
(() => {
  if (window.__docent) return;
  const P = window.__docentParts;
  const { deepAll, deepQueryAll, parentOf, contains, isVisible, readText, reading } = P.dom;
  const { frameDocs } = P.geometry;
  const { proxyOf } = P.controls;
  const { resolveIn, openDialogIn } = P.locators;

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

  // The `nth` (1-based) visible match, when the spec asks for one.
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

  P.resolve = { scopes, resolveDoc, nth, resolve };
})();
