// docent's in-page helper, part "text": text as a person reads it.
//
// The helper is plain browser JS in parts, joined into one script in the
// order src/engine/probe.rs lists them and installed in every document and
// frame before the page's own scripts run. Each part is a function of its
// own that takes what it needs from the parts before it and registers what
// it offers on `window.__docentParts`, so the order of the parts is their
// only coupling. This first part starts that namespace afresh (an install
// that stopped half-way leaves nothing to reuse); the last part (api.js)
// installs `window.__docent` and removes the namespace. A document that
// already has the helper skips every part.
//
// A helper belongs to the document it watches. A frame's first, empty
// document can hand its window on to the page the frame then loads (same
// origin), helper and all; Firefox runs no preload script for that page.
// Such a helper watches a document that is gone, so it is dropped here and
// the parts install afresh for this one.
(() => {
  if (window.__docent && window.__docent.document !== document) delete window.__docent;
  if (window.__docent) return;
  const P = (window.__docentParts = {});

  // Runs of white space, non-breaking and zero-width spaces are one space,
  // as a reader sees them (the Rust side normalises runbook texts the same
  // way: runbook::model::normalize).
  const norm = (s) => (s || '').replace(/[\s\u00a0\u200b]+/g, ' ').trim();
  const short = (s, n = 60) => (s.length > n ? s.slice(0, n - 1) + '…' : s);
  // Form labels often carry a required mark or a colon: "* Name:" labels "Name".
  const labelText = (s) => norm(s).replace(/^\*\s*/, '').replace(/\s*[:：*]+$/, '');

  P.text = { norm, short, labelText };
})();
