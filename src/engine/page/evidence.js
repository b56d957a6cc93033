// docent's in-page helper, part "evidence": the page as it was when a
// step failed, for `failure.html`. It must be safe to open and look like
// the page wherever it is opened (a CI artefact, an attachment), so:
//   - it is built in an inert document, from the page's serialisation
//     with its shadow roots (as declarative `<template shadowrootmode>`);
//   - everything that could run is taken out: scripts, `on*` handlers,
//     `javascript:` and other script URLs, `srcdoc`, plugins, `<base>`,
//     meta refreshes; frames are emptied and sandboxed;
//   - a content security policy forbids scripts altogether, in case a
//     way in was missed;
//   - the page's stylesheets are inlined (their `url()`s made absolute),
//     and a `<base>` points at the page, so it keeps its look with or
//     without the console at hand.
(() => {
  if (window.__docent) return;
  const P = window.__docentParts;

  // Policy of the saved page: no script of any kind; styles, images,
  // fonts and media from anywhere (the console's own, when reachable).
  const POLICY = "default-src 'none'; script-src 'none'; object-src 'none'; frame-src 'none'; " +
    "style-src 'unsafe-inline' *; img-src * data: blob:; font-src * data:; media-src * data:";

  // Elements that run code, load code or send the page elsewhere.
  const DROP = new Set(['script', 'noscript', 'object', 'embed', 'applet', 'base', 'portal']);
  // Attributes whose value is a URL that could be a script.
  const URLS = new Set(['href', 'src', 'action', 'formaction', 'xlink:href', 'data', 'poster',
    'background', 'lowsrc', 'dynsrc', 'ping', 'manifest', 'codebase', 'cite', 'longdesc']);

  // `java\tscript:` still runs: browsers drop whitespace and controls
  // before reading a scheme.
  const scriptUrl = (value) => {
    const plain = String(value).replace(/[\u0000-\u0020\u007f-\u009f]/g, '').toLowerCase();
    return /^(javascript|vbscript|livescript):/.test(plain) || /^data:(text\/html|image\/svg|application\/(xhtml|javascript))/.test(plain);
  };

  // Removes what could run from `root` and everything below it, the
  // content of templates (declarative shadow roots) included.
  const defuse = (root) => {
    const elements = root.querySelectorAll ? [...root.querySelectorAll('*')] : [];
    for (const el of elements) {
      const tag = (el.localName || '').toLowerCase();
      if (DROP.has(tag)) { el.remove(); continue; }
      // Refreshes, the page's own policies and cookies set by markup.
      if (tag === 'meta' && el.hasAttribute('http-equiv')) { el.remove(); continue; }
      if (tag === 'link' && !/\bstylesheet\b/i.test(el.getAttribute('rel') || '')) { el.remove(); continue; }
      for (const name of el.getAttributeNames()) {
        const lower = name.toLowerCase();
        const value = el.getAttribute(name);
        if (lower.startsWith('on') || lower === 'srcdoc' ||
            (URLS.has(lower) && scriptUrl(value)) ||
            // SVG animation can set an attribute to a script URL.
            ((lower === 'to' || lower === 'values' || lower === 'from' || lower === 'by') && scriptUrl(value))) {
          el.removeAttribute(name);
        }
      }
      if (tag === 'iframe' || tag === 'frame') {
        el.removeAttribute('src');
        el.setAttribute('sandbox', '');
      }
      if (tag === 'template' && el.content) defuse(el.content);
    }
  };

  // `url(...)` in CSS text read from a sheet at `base`, made absolute so
  // the inlined rules find their images and fonts from anywhere.
  const absoluteUrls = (css, base) => css.replace(/url\(\s*(['"]?)([^'")]*)\1\s*\)/g, (whole, quote, ref) => {
    if (!ref || /^(data|blob):/i.test(ref) || ref.startsWith('#')) return whole;
    try { return `url("${new URL(ref, base).href}")`; } catch (e) { return whole; }
  });

  // The rules of a live sheet as text, or null when the browser keeps
  // them from the page (another origin without CORS).
  const sheetText = (sheet) => {
    try {
      const rules = [...sheet.cssRules].map((r) => r.cssText).join('\n');
      return absoluteUrls(rules, sheet.href || document.baseURI);
    } catch (e) {
      return null;
    }
  };

  // Replaces each stylesheet link and style element of the saved page by
  // the rules its live counterpart holds now (rules a library inserted
  // through the CSS object model are not in the element's text).
  const inlineStyles = (saved) => {
    const selector = 'link[rel~="stylesheet" i], style';
    const live = [...document.querySelectorAll(selector)];
    const copies = [...saved.querySelectorAll(selector)];
    if (live.length !== copies.length) return;
    copies.forEach((copy, i) => {
      const sheet = live[i].sheet;
      const text = sheet ? sheetText(sheet) : null;
      if (text === null) {
        // Left as a link, made absolute so it still loads from elsewhere.
        if (copy.localName === 'link' && live[i].href) copy.setAttribute('href', live[i].href);
        return;
      }
      const style = saved.createElement('style');
      if (copy.hasAttribute('media')) style.setAttribute('media', copy.getAttribute('media'));
      style.textContent = text;
      copy.replaceWith(style);
    });
  };

  // The page's HTML, made inert and self-contained; null when the
  // browser cannot serialise shadow roots.
  const snapshot = (deepRoots) => {
    const root = document.documentElement;
    if (!root || typeof root.getHTML !== 'function') return null;
    const roots = deepRoots(document).filter((r) => r !== document);
    const inner = root.getHTML({ serializableShadowRoots: true, shadowRoots: roots });
    // A document made this way has no window: nothing in it runs or loads.
    const saved = document.implementation.createHTMLDocument('');
    saved.documentElement.innerHTML = inner;
    for (const name of root.getAttributeNames()) {
      if (!name.toLowerCase().startsWith('on')) saved.documentElement.setAttribute(name, root.getAttribute(name));
    }
    inlineStyles(saved);
    defuse(saved);
    const head = saved.head || saved.documentElement.insertBefore(saved.createElement('head'), saved.body);
    // The page's address without its query or fragment: enough to find
    // relative resources, and a query may carry what a step typed.
    const address = new URL(document.baseURI);
    address.search = '';
    address.hash = '';
    const base = saved.createElement('base');
    base.setAttribute('href', address.href);
    const policy = saved.createElement('meta');
    policy.setAttribute('http-equiv', 'Content-Security-Policy');
    policy.setAttribute('content', POLICY);
    const charset = saved.createElement('meta');
    charset.setAttribute('charset', 'utf-8');
    head.prepend(charset, policy, base);
    const doctype = document.doctype ? `<!DOCTYPE ${document.doctype.name}>\n` : '<!DOCTYPE html>\n';
    return doctype + saved.documentElement.outerHTML;
  };

  P.evidence = { snapshot, defuse, scriptUrl, absoluteUrls };
})();
