// docent's in-page helper, part "names": roles and accessible names — what
// an element is to a person (a button, a link, a field) and what it is
// called, including the names of icon-only buttons that only their hover
// tooltip gives, which this part learns by hovering them.
(() => {
  if (window.__docent) return;
  const P = window.__docentParts;
  const { norm, labelText } = P.text;
  const { deepAll, deepQueryAll, contains, isVisible, readText, textOfIds } = P.dom;

  // ------------------------------------------------------------------ roles
  const INTERACTIVE_ROLES = new Set(['button', 'link', 'menuitem', 'menuitemcheckbox', 'menuitemradio',
    'option', 'tab', 'switch', 'checkbox', 'radio', 'treeitem', 'combobox', 'textbox', 'searchbox',
    'slider', 'spinbutton']);
  const isInteractive = (el) => {
    const role = el.getAttribute('role');
    if (role && INTERACTIVE_ROLES.has(role)) return true;
    const tag = el.tagName;
    if (tag === 'A') return el.hasAttribute('href');
    return ['BUTTON', 'INPUT', 'SELECT', 'TEXTAREA', 'SUMMARY', 'OPTION'].includes(tag);
  };
  // The elements that have a role without saying so.
  const IMPLICIT_ROLES = {
    button: 'button,input[type=button],input[type=submit],input[type=reset],input[type=image],summary',
    link: 'a[href],area[href]',
    textbox: 'input:not([type]),input[type=text],input[type=email],input[type=password],input[type=tel],input[type=url],textarea',
    searchbox: 'input[type=search]',
    checkbox: 'input[type=checkbox]',
    radio: 'input[type=radio]',
    combobox: 'select:not([multiple])',
    listbox: 'select[multiple]',
    option: 'option',
    heading: 'h1,h2,h3,h4,h5,h6',
    row: 'tr',
    cell: 'td',
    columnheader: 'th',
    dialog: 'dialog',
    img: 'img[alt]',
    navigation: 'nav',
    list: 'ul,ol',
    listitem: 'li',
    table: 'table',
    region: 'section[aria-label],section[aria-labelledby]',
    form: 'form',
    main: 'main',
    banner: 'body > header',
    contentinfo: 'body > footer',
    complementary: 'aside',
    article: 'article',
    group: 'fieldset,details',
    separator: 'hr',
    progressbar: 'progress',
    slider: 'input[type=range]',
    spinbutton: 'input[type=number]',
    radiogroup: '[role=radiogroup]',
  };
  const DIALOG_SELECTOR = '[role=dialog],[role=alertdialog],dialog[open]';

  // --------------------------------------------------------- learned names
  // An icon-only button is often named only by its hover tooltip, which
  // the library renders (usually into <body>) only while the pointer is on
  // it. When a `label:` or named `role:` target is not found, the probe
  // hovers the page's unnamed buttons one at a time, reads the tooltip each
  // one shows, and remembers it as that button's name for this document.
  const TOOLTIP_SELECTOR = '[role=tooltip],.el-popper,.ant-tooltip,.tiny-tooltip,.n-tooltip,.v-tooltip,' +
    '.MuiTooltip-popper,.tippy-box,.tooltip,.arco-tooltip,.t-popup,.ivu-tooltip-popper,.p-tooltip';
  const tooltips = new Map(); // trigger element -> tooltip text ('' when it shows none)
  let hovering = null; // { el, before, at }
  const tooltipOf = (el) => tooltips.get(el) || '';

  const accessibleName = (el) => {
    const labelledby = el.getAttribute('aria-labelledby');
    if (labelledby) return textOfIds(el, labelledby);
    const label = el.getAttribute('aria-label');
    if (label) return norm(label);
    if (el.labels && el.labels.length) return readText(el.labels[0]);
    if (el.tagName === 'INPUT' && ['button', 'submit', 'reset'].includes(el.type)) return norm(el.value);
    if (el.tagName === 'IMG') return norm(el.alt);
    const text = readText(el);
    return text || norm(el.getAttribute('title')) || tooltipOf(el);
  };

  const shownTooltips = () => deepQueryAll(document, TOOLTIP_SELECTOR).filter(isVisible);
  // The text of the tooltips shown since `before` was taken; a popup and
  // its inner role=tooltip box are one tooltip.
  const newTooltipText = (before) => {
    const shown = shownTooltips().filter((t) => !before.has(t));
    return shown.filter((t) => !shown.some((o) => o !== t && contains(o, t))).map(readText).filter(Boolean).join(' ');
  };
  const hoverEvents = (el, names) => {
    for (const type of names) {
      const Ctor = type.startsWith('pointer') && window.PointerEvent ? PointerEvent : MouseEvent;
      const bubbles = !type.endsWith('enter') && !type.endsWith('leave');
      el.dispatchEvent(new Ctor(type, { bubbles, composed: true, cancelable: true, view: window }));
    }
  };
  // Lets go of the button a tooltip search left hovered, if any.
  const unhover = () => {
    if (!hovering) return;
    hoverEvents(hovering.el, ['pointerout', 'pointerleave', 'mouseout', 'mouseleave']);
    hovering = null;
  };
  // One step of the search; true while there is more to look at.
  const discoverTooltips = () => {
    if (hovering) {
      const text = newTooltipText(hovering.before);
      if (!text && Date.now() - hovering.at < 800) return true;
      tooltips.set(hovering.el, text);
      unhover();
      // The next poll resolves the target again with this name known.
      return true;
    }
    const next = deepAll(document.body || document).find((el) => !tooltips.has(el) && el.isConnected &&
      (isInteractive(el) || el.hasAttribute('aria-describedby')) && isVisible(el) && !accessibleName(el));
    if (!next) return false;
    hovering = { el: next, before: new Set(shownTooltips()), at: Date.now() };
    hoverEvents(next, ['pointerover', 'pointerenter', 'mouseover', 'mouseenter']);
    return true;
  };

  // The elements under `root` whose learned tooltip name is `want`.
  const byTooltip = (root, want) => {
    const found = [];
    for (const [el, text] of tooltips) {
      if (!el.isConnected) { tooltips.delete(el); continue; }
      const inside = root.nodeType === 9 ? el.getRootNode({ composed: true }) === root : contains(root, el);
      if (text && labelText(text) === want && inside) found.push(el);
    }
    return found;
  };

  P.names = {
    isInteractive, IMPLICIT_ROLES, DIALOG_SELECTOR, TOOLTIP_SELECTOR, accessibleName,
    shownTooltips, newTooltipText, hoverEvents, unhover, discoverTooltips, byTooltip,
  };
})();
