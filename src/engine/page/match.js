// docent's in-page helper, part "match": a runbook's text matchers (exact
// after normalising, contained, or a regular expression) and the error for
// a target that can never match.
(() => {
  if (window.__docent) return;
  const P = window.__docentParts;
  const { norm } = P.text;

  // A target that can never match (bad CSS, XPath or regex): fail at once, do not wait.
  class InvalidTarget extends Error {}

  // A text matcher from the runbook: exact (normalised), contained, or a
  // regex, compiled once and kept on the matcher. JavaScript has no inline
  // flags, so a leading `(?i)` (as the runbook's Rust regexes allow)
  // becomes the RegExp's flags.
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

  P.match = { InvalidTarget, compile, matches };
})();
