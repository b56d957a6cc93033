// The simulated console's single-page app: a client-side router over history.pushState, the
// console header (service list, region picker, user menu), loading masks, toasts, confirmation
// dialogs, and the pages of the seed procedure. Vanilla ES2020 with no dependencies; every page
// takes its data from the console's own /api, so latency and failures injected by the server's
// fault knobs show up here exactly as they would in a real console.
'use strict';

(() => {
  const app = document.getElementById('app');
  const toastRegion = document.querySelector('.toast-region');

  // Texts runbooks match verbatim.
  const TOAST_OK = 'Operation successfully!';
  const TOAST_FAILED = 'Operation failed.';

  // Refreshed from the `ui` object of every API answer, so knobs changed at run time apply.
  const ui = { toastMs: 2000, animationMs: 200, drift: 'none' };

  // ---------------------------------------------------------------------------------------------
  // Icons (inline SVG, no external files). Every icon is decorative: names come from aria-label.

  const ICONS = {
    grid: '<svg viewBox="0 0 24 24"><g fill="currentColor"><rect x="3" y="3" width="4.5" height="4.5" rx="1"/><rect x="9.75" y="3" width="4.5" height="4.5" rx="1"/><rect x="16.5" y="3" width="4.5" height="4.5" rx="1"/><rect x="3" y="9.75" width="4.5" height="4.5" rx="1"/><rect x="9.75" y="9.75" width="4.5" height="4.5" rx="1"/><rect x="16.5" y="9.75" width="4.5" height="4.5" rx="1"/><rect x="3" y="16.5" width="4.5" height="4.5" rx="1"/><rect x="9.75" y="16.5" width="4.5" height="4.5" rx="1"/><rect x="16.5" y="16.5" width="4.5" height="4.5" rx="1"/></g></svg>',
    pin: '<svg viewBox="0 0 24 24"><path fill="currentColor" d="M12 2a7 7 0 0 0-7 7c0 5.2 7 13 7 13s7-7.8 7-13a7 7 0 0 0-7-7zm0 9.6A2.6 2.6 0 1 1 12 6.4a2.6 2.6 0 0 1 0 5.2z"/></svg>',
    chevron: '<svg viewBox="0 0 24 24"><path d="M6 9l6 6 6-6" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round"/></svg>',
    user: '<svg viewBox="0 0 24 24"><circle cx="12" cy="8" r="4" fill="currentColor"/><path d="M4 20.5c0-4.1 3.6-6.5 8-6.5s8 2.4 8 6.5" fill="currentColor"/></svg>',
    success: '<svg viewBox="0 0 24 24"><circle cx="12" cy="12" r="10" fill="currentColor"/><path d="M7 12.4l3.3 3.3L17.2 8.8" fill="none" stroke="#fff" stroke-width="2.2" stroke-linecap="round" stroke-linejoin="round"/></svg>',
    error: '<svg viewBox="0 0 24 24"><circle cx="12" cy="12" r="10" fill="currentColor"/><path d="M8.6 8.6l6.8 6.8M15.4 8.6l-6.8 6.8" fill="none" stroke="#fff" stroke-width="2.2" stroke-linecap="round"/></svg>',
    info: '<svg viewBox="0 0 24 24"><circle cx="12" cy="12" r="10" fill="currentColor"/><path d="M12 10.8v6" stroke="#fff" stroke-width="2.2" stroke-linecap="round"/><circle cx="12" cy="7.4" r="1.4" fill="#fff"/></svg>',
    warning: '<svg viewBox="0 0 24 24"><path d="M12 2.8L1.8 20.5h20.4z" fill="currentColor" stroke="currentColor" stroke-width="1.5" stroke-linejoin="round"/><path d="M12 9.5v5" stroke="#fff" stroke-width="2.2" stroke-linecap="round"/><circle cx="12" cy="17.4" r="1.3" fill="#fff"/></svg>',
    close: '<svg viewBox="0 0 24 24"><path d="M6 6l12 12M18 6L6 18" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round"/></svg>',
    search: '<svg viewBox="0 0 24 24"><circle cx="10.5" cy="10.5" r="6.5" fill="none" stroke="currentColor" stroke-width="2"/><path d="M15.5 15.5L21 21" stroke="currentColor" stroke-width="2" stroke-linecap="round"/></svg>',
    shield: '<svg viewBox="0 0 24 24"><path d="M12 2l8 3v6.5c0 5-3.4 9.2-8 10.5-4.6-1.3-8-5.5-8-10.5V5z" fill="currentColor" opacity=".9"/><path d="M8.5 12l2.5 2.5 4.5-5" fill="none" stroke="#fff" stroke-width="2" stroke-linecap="round" stroke-linejoin="round"/></svg>',
    trace: '<svg viewBox="0 0 24 24"><path d="M3 17l5-6 4 4 5-8 4 5" fill="none" stroke="currentColor" stroke-width="2.2" stroke-linecap="round" stroke-linejoin="round"/><circle cx="8" cy="11" r="1.8" fill="currentColor"/><circle cx="17" cy="7" r="1.8" fill="currentColor"/></svg>',
    server: '<svg viewBox="0 0 24 24"><rect x="3" y="4" width="18" height="7" rx="1.5" fill="currentColor"/><rect x="3" y="13" width="18" height="7" rx="1.5" fill="currentColor" opacity=".7"/><circle cx="7" cy="7.5" r="1.2" fill="#fff"/><circle cx="7" cy="16.5" r="1.2" fill="#fff"/></svg>',
    box: '<svg viewBox="0 0 120 90"><ellipse cx="60" cy="80" rx="44" ry="6" fill="#e8ebf2"/><path d="M28 34l32-14 32 14v32L60 80 28 66z" fill="#f1f3f8" stroke="#c9cfdc" stroke-width="2" stroke-linejoin="round"/><path d="M28 34l32 14 32-14M60 48v32" fill="none" stroke="#c9cfdc" stroke-width="2" stroke-linejoin="round"/><path d="M44 14l6 8M60 8v10M76 14l-6 8" stroke="#b8c3e6" stroke-width="2" stroke-linecap="round"/></svg>',
    radar: '<svg viewBox="0 0 120 90"><ellipse cx="60" cy="82" rx="40" ry="5" fill="#e8ebf2"/><circle cx="60" cy="42" r="32" fill="#f1f5ff" stroke="#c7d4f5" stroke-width="2"/><circle cx="60" cy="42" r="20" fill="none" stroke="#c7d4f5" stroke-width="2"/><circle cx="60" cy="42" r="8" fill="none" stroke="#c7d4f5" stroke-width="2"/><path d="M60 42L84 22" stroke="#7f9cf5" stroke-width="3" stroke-linecap="round"/><circle cx="60" cy="42" r="3" fill="#526ecc"/></svg>',
  };

  function icon(name, className) {
    const template = document.createElement('template');
    template.innerHTML = ICONS[name].trim();
    const svg = template.content.firstElementChild;
    svg.setAttribute('aria-hidden', 'true');
    svg.setAttribute('focusable', 'false');
    svg.classList.add('icon');
    if (className) svg.classList.add(...className.split(' '));
    return svg;
  }

  // ---------------------------------------------------------------------------------------------
  // DOM helpers.

  /** Creates an element: props are attributes (true = present, null/false = absent) and on*
   * listeners; children are nodes or strings (strings become text nodes). */
  function h(tag, props, ...children) {
    const el = document.createElement(tag);
    for (const [key, value] of Object.entries(props || {})) {
      if (value === undefined || value === null || value === false) continue;
      if (key === 'class') el.className = value;
      else if (key.startsWith('on') && typeof value === 'function') {
        el.addEventListener(key.slice(2), value);
      } else el.setAttribute(key, value === true ? '' : String(value));
    }
    append(el, children);
    return el;
  }

  function append(el, children) {
    for (const child of children.flat(Infinity)) {
      if (child === null || child === undefined || child === false) continue;
      el.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return el;
  }

  function fragment(...children) {
    return append(document.createDocumentFragment(), children);
  }

  /** Marks a control as waiting for the server: disabled so it cannot be clicked twice, and
   * aria-busy so tests and assistive technology can see why. */
  function setBusy(el, busy) {
    el.disabled = busy;
    el.classList.toggle('is-busy', busy);
    if (busy) el.setAttribute('aria-busy', 'true');
    else el.removeAttribute('aria-busy');
  }

  function formatTime(ms) {
    const d = new Date(ms);
    const pad = (n) => String(n).padStart(2, '0');
    const offset = -d.getTimezoneOffset();
    const sign = offset >= 0 ? '+' : '-';
    const abs = Math.abs(offset);
    return `${d.getFullYear()}/${pad(d.getMonth() + 1)}/${pad(d.getDate())} ` +
      `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())} ` +
      `GMT${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
  }

  // ---------------------------------------------------------------------------------------------
  // API client.

  class ApiError extends Error {
    constructor(status, message) {
      super(message);
      this.status = status;
    }
  }

  function applyUi(knobs) {
    if (!knobs) return;
    ui.toastMs = knobs.toast_ms;
    ui.animationMs = knobs.animation_ms;
    ui.drift = knobs.drift || 'none';
    document.documentElement.style.setProperty('--anim', `${knobs.animation_ms}ms`);
  }

  async function api(method, path, body) {
    const init = { method, credentials: 'same-origin', headers: { Accept: 'application/json' } };
    if (body !== undefined) {
      init.headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    let response;
    try {
      response = await fetch(`/api${path}`, init);
    } catch (_) {
      throw new ApiError(0, 'The console cannot be reached. Check your network and try again.');
    }
    let data = null;
    try {
      data = await response.json();
    } catch (_) {
      data = null;
    }
    if (data) applyUi(data.ui);
    if (response.status === 401 && path !== '/login') {
      sessionExpired();
      throw new ApiError(401, (data && data.error) || 'Not logged in.');
    }
    if (!response.ok) throw new ApiError(response.status, (data && data.error) || TOAST_FAILED);
    return data;
  }

  // ---------------------------------------------------------------------------------------------
  // Toasts: created when they happen, removed after toast_ms plus the fade.

  function toast(kind, text) {
    const el = h('div', { class: `toast toast-${kind}`, role: kind === 'success' ? 'status' : 'alert' },
      icon(kind === 'success' ? 'success' : 'error', 'toast-icon'),
      h('span', { class: 'toast-text' }, text));
    toastRegion.append(el);
    const fade = ui.animationMs;
    setTimeout(() => {
      el.classList.add('toast-leaving');
      setTimeout(() => el.remove(), fade);
    }, ui.toastMs);
  }

  // ---------------------------------------------------------------------------------------------
  // Modal confirmation dialog.

  let dialogCount = 0;
  let openDialog = null;

  /** Shows a modal dialog with OK and Cancel; resolves true for OK, false otherwise. */
  function confirmDialog({ title, message }) {
    return new Promise((resolve) => {
      const n = ++dialogCount;
      const previousFocus = document.activeElement;
      const ok = h('button', { type: 'button', class: 'btn btn-primary' }, 'OK');
      const cancel = h('button', { type: 'button', class: 'btn' }, 'Cancel');
      const closeBtn = h('button', { type: 'button', class: 'modal-close', 'aria-label': 'Close' }, icon('close'));
      const dialog = h('div', {
        class: 'modal', role: 'dialog', 'aria-modal': 'true', tabindex: '-1',
        'aria-labelledby': `dialog-title-${n}`, 'aria-describedby': `dialog-text-${n}`,
      },
      h('div', { class: 'modal-header' }, h('h2', { class: 'modal-title', id: `dialog-title-${n}` }, title), closeBtn),
      h('div', { class: 'modal-body' }, icon('warning', 'modal-icon'), h('p', { class: 'modal-text', id: `dialog-text-${n}` }, message)),
      h('div', { class: 'modal-footer' }, ok, cancel));
      const overlay = h('div', { class: 'modal-overlay' }, dialog);

      const finish = (result) => {
        if (openDialog !== handle) return;
        openDialog = null;
        document.removeEventListener('keydown', onKey, true);
        // The dialog leaves the accessibility tree at once; only its fade-out lingers.
        overlay.classList.add('modal-leaving');
        dialog.removeAttribute('role');
        dialog.setAttribute('aria-hidden', 'true');
        for (const button of dialog.querySelectorAll('button')) button.disabled = true;
        setTimeout(() => overlay.remove(), ui.animationMs);
        if (previousFocus && previousFocus.isConnected) previousFocus.focus();
        resolve(result);
      };
      const onKey = (event) => {
        if (event.key === 'Escape') {
          event.preventDefault();
          event.stopPropagation();
          finish(false);
        } else if (event.key === 'Tab') {
          // Keep focus inside the modal, as aria-modal promises.
          const focusable = [closeBtn, ok, cancel];
          const index = focusable.indexOf(document.activeElement);
          const next = event.shiftKey ? index - 1 : index + 1;
          event.preventDefault();
          focusable[(next + focusable.length) % focusable.length].focus();
        }
      };
      const handle = { close: () => finish(false) };
      ok.addEventListener('click', () => finish(true));
      cancel.addEventListener('click', () => finish(false));
      closeBtn.addEventListener('click', () => finish(false));
      document.addEventListener('keydown', onKey, true);
      openDialog = handle;
      document.body.append(overlay);
      dialog.focus();
    });
  }

  // ---------------------------------------------------------------------------------------------
  // Switches.

  function makeSwitch({ id, checked, labelledby, describedby, disabled }) {
    const sw = h('button', {
      type: 'button', class: 'switch', role: 'switch', id,
      'aria-checked': String(Boolean(checked)),
      'aria-labelledby': labelledby, 'aria-describedby': describedby,
    }, h('span', { class: 'switch-knob' }));
    if (disabled) {
      sw.disabled = true;
      sw.setAttribute('aria-disabled', 'true');
    }
    return sw;
  }

  function isOn(sw) {
    return sw.getAttribute('aria-checked') === 'true';
  }

  function setSwitch(sw, on) {
    sw.setAttribute('aria-checked', String(Boolean(on)));
  }

  // ---------------------------------------------------------------------------------------------
  // Application state and router.

  let session = null; // { user, region: {id, name}, regions: [...] } once known
  let shell = null; // the console frame (header, nav, main) while on a console page
  const current = { page: null, match: null, body: null, seq: 0 };

  function navigate(url, { replace = false } = {}) {
    const target = new URL(url, location.href);
    const next = target.pathname + target.search;
    if (replace) history.replaceState(null, '', next);
    else if (next !== location.pathname + location.search) history.pushState(null, '', next);
    route();
  }

  window.addEventListener('popstate', () => route());

  // Links are real <a href> elements; same-origin ones are routed here instead of reloading.
  document.addEventListener('click', (event) => {
    const link = event.target.closest && event.target.closest('a[href]');
    if (!link || event.defaultPrevented || event.button !== 0) return;
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    if (link.target && link.target !== '_self') return;
    const url = new URL(link.href);
    if (url.origin !== location.origin) return;
    event.preventDefault();
    navigate(url.pathname + url.search);
  });

  function sessionExpired() {
    session = null;
    if (location.pathname === '/login') return;
    const next = location.pathname.startsWith('/console/') ? `?next=${encodeURIComponent(location.pathname)}` : '';
    navigate(`/login${next}`, { replace: true });
  }

  const SIMULATED_ELSEWHERE = {
    ecs: 'Elastic Cloud Server',
    obs: 'Object Storage Service',
    lts: 'Log Tank Service',
    hss: 'Host Security Service',
    waf: 'Web Application Firewall',
  };

  const PAGES = [
    { path: /^\/console\/home$/, nav: null, title: () => 'Console Home', load: () => api('GET', '/session'), render: renderHome },
    { path: /^\/console\/mtd\/result$/, nav: 'mtd', title: () => 'Detection Result', load: () => api('GET', '/mtd/result'), render: renderDetectionResult },
    { path: /^\/console\/mtd\/settings$/, nav: 'mtd', title: () => 'Detection Settings', load: () => api('GET', '/mtd/settings'), render: renderDetectionSettings },
    { path: /^\/console\/cts\/trackers$/, nav: 'cts', title: () => 'Tracker List', load: () => api('GET', '/cts/trackers'), render: renderTrackerList },
    {
      path: /^\/console\/cts\/trackers\/([^/]+)\/configure$/, nav: 'cts', title: () => 'Configure Tracker',
      load: (m) => api('GET', `/cts/trackers/${encodeURIComponent(decodeURIComponent(m[1]))}`), render: renderWizard,
    },
    { path: /^\/console\/cts\/traces$/, nav: 'cts', title: () => 'Trace List', load: () => api('GET', '/session'), render: () => notSimulated('Trace List') },
    { path: /^\/console\/cts\/notifications$/, nav: 'cts', title: () => 'Key Event Notifications', load: () => api('GET', '/session'), render: () => notSimulated('Key Event Notifications') },
    {
      path: /^\/console\/(ecs|obs|lts|hss|waf)$/, nav: null, title: (m) => SIMULATED_ELSEWHERE[m[1]],
      load: () => api('GET', '/session'), render: (_, m) => notSimulated(SIMULATED_ELSEWHERE[m[1]]),
    },
  ];

  const REDIRECTS = { '/console/mtd': '/console/mtd/result', '/console/cts': '/console/cts/trackers', '/console': '/console/home' };

  const NOT_FOUND = { nav: null, title: () => 'Page Not Found', load: async () => null, render: renderNotFound };

  function route() {
    closePopups();
    if (openDialog) openDialog.close();
    const path = location.pathname.replace(/\/+$/, '') || '/';
    if (path === '/login') {
      renderLogin();
      return;
    }
    if (REDIRECTS[path]) {
      navigate(REDIRECTS[path], { replace: true });
      return;
    }
    if (!path.startsWith('/console/')) {
      navigate('/login', { replace: true });
      return;
    }
    ensureShell();
    for (const page of PAGES) {
      const match = page.path.exec(path);
      if (match) {
        showPage(page, match, path);
        return;
      }
    }
    showPage(NOT_FOUND, null, path);
  }

  // ---------------------------------------------------------------------------------------------
  // Login page.

  function renderLogin() {
    shell = null;
    maskCount = 0;
    document.body.className = 'login-page';
    document.title = 'IAM User Login - Console';
    const params = new URLSearchParams(location.search);
    const nextParam = params.get('next') || '';
    // Only console paths: a login page must not bounce users to arbitrary places.
    const next = /^\/console\/[\w\-/]*$/.test(nextParam) ? nextParam : '/console/home';

    const username = h('input', { id: 'username', name: 'username', type: 'text', class: 'input', autocomplete: 'username', spellcheck: 'false' });
    const password = h('input', { id: 'password', name: 'password', type: 'password', class: 'input', autocomplete: 'current-password' });
    const submit = h('button', { type: 'submit', class: 'btn btn-primary btn-block' }, 'Log In');
    const errorSlot = h('div', { class: 'form-error-slot' });

    const form = h('form', { class: 'login-form', novalidate: true },
      errorSlot,
      h('div', { class: 'form-field' }, h('label', { for: 'username' }, 'IAM User Name'), username),
      h('div', { class: 'form-field' }, h('label', { for: 'password' }, 'Password'), password),
      submit);

    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      if (submit.disabled) return;
      errorSlot.replaceChildren();
      setBusy(submit, true);
      try {
        session = await api('POST', '/login', { username: username.value, password: password.value });
        navigate(next);
      } catch (error) {
        const message = error.status === 401 ? 'Incorrect IAM user name or password.' : error.message;
        errorSlot.replaceChildren(h('div', { class: 'form-error', role: 'alert' }, icon('error', 'form-error-icon'), message));
        password.value = '';
        password.focus();
      } finally {
        if (submit.isConnected) setBusy(submit, false);
      }
    });

    app.replaceChildren(
      h('div', { class: 'login-topbar' }, h('span', { class: 'login-logo' }, 'Console')),
      h('main', { class: 'login-main' },
        h('section', { class: 'login-card', 'aria-labelledby': 'login-title' },
          h('h1', { class: 'login-title', id: 'login-title' }, 'IAM User Login'),
          h('p', { class: 'login-subtitle' }, 'Log in with the IAM user name and password that your administrator gave you.'),
          form)),
      h('footer', { class: 'login-footer' }, 'Simulated cloud console for docent. No real cloud resources are used.'));
    username.focus();
  }

  // ---------------------------------------------------------------------------------------------
  // The console frame: header, optional left navigation, content area.

  const SERVICE_CATALOG = [
    { category: 'Compute', services: [{ name: 'Elastic Cloud Server', href: '/console/ecs' }] },
    { category: 'Storage', services: [{ name: 'Object Storage Service', href: '/console/obs' }] },
    {
      category: 'Management & Governance',
      services: [{ name: 'Cloud Trace Service', href: '/console/cts/trackers' }, { name: 'Log Tank Service', href: '/console/lts' }],
    },
    {
      category: 'Security & Compliance',
      services: [
        { name: 'Managed Threat Detection', href: '/console/mtd/result' },
        { name: 'Host Security Service', href: '/console/hss' },
        { name: 'Web Application Firewall', href: '/console/waf' },
      ],
    },
  ];

  const NAVS = {
    mtd: {
      title: 'Managed Threat Detection',
      items: [
        { text: 'Detection Result', href: '/console/mtd/result' },
        { group: 'Settings', id: 'mtd-settings', items: [{ text: 'Detection Settings', href: '/console/mtd/settings' }] },
      ],
    },
    cts: {
      title: 'Cloud Trace Service',
      items: [
        { text: 'Trace List', href: '/console/cts/traces' },
        { text: 'Tracker List', href: '/console/cts/trackers' },
        { text: 'Key Event Notifications', href: '/console/cts/notifications' },
      ],
    },
  };

  function ensureShell() {
    if (shell) return;
    document.body.className = 'console-page';
    maskCount = 0;

    const serviceBtn = h('button', {
      type: 'button', class: 'service-list-btn', 'aria-label': 'Service List',
      'aria-expanded': 'false', 'aria-controls': 'service-list-panel',
    }, icon('grid'));
    const regionName = h('span', { class: 'region-name' }, session ? session.region.name : '');
    const regionBtn = h('button', {
      type: 'button', class: 'header-btn region-btn', 'aria-label': 'Select Region',
      'aria-haspopup': 'listbox', 'aria-expanded': 'false',
    }, icon('pin', 'region-pin'), regionName, icon('chevron', 'header-chevron'));
    const regionWrap = h('div', { class: 'popup-anchor' }, regionBtn);
    const userName = h('span', { class: 'user-name' }, session ? session.user : '');
    const userBtn = h('button', {
      type: 'button', class: 'header-btn user-btn', 'aria-haspopup': 'menu', 'aria-expanded': 'false',
    }, icon('user', 'user-icon'), userName, icon('chevron', 'header-chevron'));
    const userWrap = h('div', { class: 'popup-anchor' }, userBtn);

    const header = h('header', { class: 'console-header' },
      h('div', { class: 'header-left' },
        serviceBtn,
        h('a', { class: 'header-logo', href: '/console/home' }, 'Console'),
        h('span', { class: 'header-divider', 'aria-hidden': 'true' }),
        regionWrap),
      h('div', { class: 'header-right' }, userWrap));
    const main = h('main', { class: 'console-main', id: 'main' });
    const body = h('div', { class: 'console-body' }, main);

    shell = { header, body, main, nav: null, navKey: undefined, mask: null, serviceBtn, regionBtn, regionName, regionWrap, userBtn, userName, userWrap };
    serviceBtn.addEventListener('click', toggleServiceList);
    regionBtn.addEventListener('click', toggleRegionList);
    userBtn.addEventListener('click', toggleUserMenu);
    app.replaceChildren(header, body);
    updateHeader();
    if (!session) {
      regionBtn.disabled = true;
      api('GET', '/session').then((info) => {
        session = info;
        updateHeader();
      }).catch(() => { /* 401 already sent the browser to the login page */ });
    }
  }

  function updateHeader() {
    if (!shell || !session) return;
    shell.regionName.textContent = session.region.name;
    shell.userName.textContent = session.user;
    shell.regionBtn.disabled = false;
  }

  function buildNav(key) {
    const spec = NAVS[key];
    const list = h('ul', { class: 'nav-list' });
    for (const item of spec.items) {
      if (item.group) {
        const sub = h('ul', { class: 'nav-sub', id: `nav-group-${item.id}`, hidden: true }, item.items.map((i) => h('li', null, navLink(i))));
        const toggle = h('button', {
          type: 'button', class: 'nav-item nav-group', 'aria-expanded': 'false', 'aria-controls': sub.id,
        }, h('span', null, item.group), icon('chevron', 'nav-chevron'));
        toggle.addEventListener('click', () => setGroupExpanded(toggle, sub, toggle.getAttribute('aria-expanded') !== 'true'));
        list.append(h('li', null, toggle, sub));
      } else {
        list.append(h('li', null, navLink(item)));
      }
    }
    return h('nav', { class: 'side-nav', 'aria-label': spec.title },
      h('h2', { class: 'side-nav-title' }, spec.title), list);
  }

  function navLink(item) {
    return h('a', { class: 'nav-item nav-link', href: item.href }, item.text);
  }

  function setGroupExpanded(toggle, sub, expanded) {
    toggle.setAttribute('aria-expanded', String(expanded));
    sub.hidden = !expanded;
  }

  function updateNav(path) {
    for (const link of shell.nav.querySelectorAll('a.nav-link')) {
      const href = link.getAttribute('href');
      const active = path === href || path.startsWith(`${href}/`);
      link.classList.toggle('active', active);
      if (active) link.setAttribute('aria-current', 'page');
      else link.removeAttribute('aria-current');
      const sub = link.closest('.nav-sub');
      // A page inside a group opens the group, as a console does when you land on it.
      if (active && sub) setGroupExpanded(shell.nav.querySelector(`[aria-controls="${sub.id}"]`), sub, true);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Loading mask: covers the content area and takes the pointer while data is on its way.

  let maskCount = 0;

  function showMask() {
    maskCount += 1;
    if (!shell || shell.mask) return;
    shell.mask = h('div', { class: 'loading-mask', 'aria-hidden': 'true' }, h('div', { class: 'spinner' }));
    shell.body.append(shell.mask);
    shell.main.setAttribute('aria-busy', 'true');
  }

  function hideMask() {
    maskCount = Math.max(0, maskCount - 1);
    if (maskCount > 0 || !shell || !shell.mask) return;
    shell.mask.remove();
    shell.mask = null;
    shell.main.removeAttribute('aria-busy');
  }

  async function withMask(work) {
    const owner = shell;
    showMask();
    try {
      return await work();
    } finally {
      // A mask of a frame that was torn down (logout, expiry) went with it.
      if (shell === owner) hideMask();
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Pages.

  function showPage(page, match, path) {
    if (shell.navKey !== page.nav) {
      if (shell.nav) shell.nav.remove();
      shell.navKey = page.nav;
      shell.nav = page.nav ? buildNav(page.nav) : null;
      if (shell.nav) shell.body.prepend(shell.nav);
      document.body.classList.toggle('has-nav', Boolean(shell.nav));
    }
    if (shell.nav) updateNav(path);
    const title = page.title(match);
    document.title = `${title} - Console`;
    const body = h('div', { class: 'page-body' });
    shell.main.replaceChildren(h('div', { class: 'page' },
      h('div', { class: 'page-header' }, h('h1', { class: 'page-title' }, title)),
      body));
    window.scrollTo(0, 0);
    Object.assign(current, { page, match, body });
    return refreshPage();
  }

  /** (Re)loads the current page's data under the mask; a newer navigation wins. */
  function refreshPage() {
    const seq = ++current.seq;
    const { page, match, body } = current;
    return withMask(async () => {
      try {
        const data = await page.load(match);
        if (seq === current.seq) body.replaceChildren(page.render(data, match));
      } catch (error) {
        if (seq === current.seq && error.status !== 401) body.replaceChildren(loadFailed(error));
      }
    });
  }

  /** Replaces the current page's content with fresh data without a new load (after writes). */
  function rerender(page, data) {
    if (current.page === page) current.body.replaceChildren(page.render(data, current.match));
  }

  function loadFailed(error) {
    return h('section', { class: 'card empty-card' },
      icon('box', 'empty-illustration'),
      h('p', { class: 'empty-title' }, 'The data could not be loaded.'),
      h('p', { class: 'empty-text' }, error.message),
      h('div', { class: 'empty-actions' }, h('button', { type: 'button', class: 'btn', onclick: () => refreshPage() }, 'Retry')));
  }

  function notSimulated(name) {
    return h('section', { class: 'card empty-card' },
      icon('box', 'empty-illustration'),
      h('p', { class: 'empty-title' }, `${name} is not part of the simulation.`),
      h('p', { class: 'empty-text' }, 'This simulated console implements the Managed Threat Detection pages and the Cloud Trace Service tracker configuration only.'),
      h('div', { class: 'empty-actions' }, h('a', { class: 'btn', href: '/console/home' }, 'Back to Console Home')));
  }

  function renderNotFound() {
    return h('section', { class: 'card empty-card' },
      icon('box', 'empty-illustration'),
      h('p', { class: 'empty-title' }, 'The page you requested does not exist.'),
      h('div', { class: 'empty-actions' }, h('a', { class: 'btn', href: '/console/home' }, 'Back to Console Home')));
  }

  // --- Console home

  const RECENT_SERVICES = [
    { name: 'Managed Threat Detection', href: '/console/mtd/result', icon: 'shield', text: 'Continuously detects threats in IAM, OBS, DNS and CTS logs.' },
    { name: 'Cloud Trace Service', href: '/console/cts/trackers', icon: 'trace', text: 'Records operations on cloud resources for auditing and analysis.' },
    { name: 'Elastic Cloud Server', href: '/console/ecs', icon: 'server', text: 'Scalable virtual servers for your workloads.' },
  ];

  function renderHome(info) {
    return fragment(
      h('section', { class: 'card welcome-card' },
        h('div', { class: 'welcome-text' },
          h('h2', { class: 'welcome-title' }, `Welcome back, ${info.user}`),
          h('p', { class: 'welcome-sub' }, `Current region: ${info.region.name}. Open a service from the Service List in the upper left corner, or continue where you left off.`)),
        icon('radar', 'welcome-illustration')),
      h('h2', { class: 'section-title' }, 'Recently Visited Services'),
      h('div', { class: 'service-cards' }, RECENT_SERVICES.map((service) =>
        h('a', { class: 'service-card', href: service.href },
          h('span', { class: 'service-card-icon' }, icon(service.icon)),
          h('span', { class: 'service-card-body' },
            h('span', { class: 'service-card-name' }, service.name),
            h('span', { class: 'service-card-text' }, service.text))))));
  }

  // --- Managed Threat Detection: Detection Result

  function renderDetectionResult(data) {
    const alarms = data.alarms;
    const stat = (label, value, tone) => h('div', { class: `stat stat-${tone}` },
      h('div', { class: 'stat-value' }, String(value)), h('div', { class: 'stat-label' }, label));
    const total = alarms.critical + alarms.high + alarms.medium + alarms.low;

    let detection;
    if (data.logs_analysed) {
      const logs = data.analysed_sources.map((s) => s.log).join(', ');
      detection = fragment(
        h('p', { class: 'analysis-summary' }, icon('success', 'analysis-icon'),
          h('span', null, `Threat detection is analysing the latest log data of ${logs}. No alarms have been generated.`)),
        h('table', { class: 'table' },
          h('thead', null, h('tr', null, h('th', null, 'Data Source'), h('th', null, 'Latest Log Received'), h('th', null, 'Status'))),
          h('tbody', null, data.analysed_sources.map((source) => h('tr', null,
            h('td', null, source.name),
            h('td', null, formatTime(source.latest_log_ms)),
            h('td', null, h('span', { class: 'status status-running' }, source.status)))))));
    } else {
      detection = h('div', { class: 'empty-state' },
        icon('radar', 'empty-illustration'),
        h('p', { class: 'detection-message' }, 'No threats have been found in the latest log data of IAM log, OBS log, DNS log, CTS log up to now'));
    }

    return fragment(
      data.notice && h('div', { class: 'notice notice-info', role: 'note' },
        icon('info', 'notice-icon'),
        h('p', { class: 'notice-text' },
          'After you create the detector, CTS threat detection is enabled by default. However, MTD cannot obtain log data from the CTS service without a tracker. ',
          h('a', { href: '/console/cts/trackers' }, 'Creating a Tracker'))),
      h('section', { class: 'card' },
        h('div', { class: 'card-head' },
          h('h2', { class: 'card-title' }, 'Alarm Statistics'),
          h('span', { class: 'card-extra' }, 'Last 7 days')),
        h('div', { class: 'stats' },
          stat('Total Alarms', total, 'total'),
          stat('Critical', alarms.critical, 'critical'),
          stat('High', alarms.high, 'high'),
          stat('Medium', alarms.medium, 'medium'),
          stat('Low', alarms.low, 'low'))),
      h('section', { class: 'card' },
        h('div', { class: 'card-head' }, h('h2', { class: 'card-title' }, 'Latest Detection')),
        detection));
  }

  // --- Managed Threat Detection: Detection Settings

  function renderDetectionSettings(data) {
    const rows = data.sources.map((source) => {
      const nameId = `ds-name-${source.id}`;
      const noteId = `ds-note-${source.id}`;
      const sw = makeSwitch({
        id: `ds-switch-${source.id}`, checked: source.enabled, labelledby: nameId,
        describedby: source.note ? noteId : null, disabled: !source.supported,
      });
      sw.addEventListener('click', () => toggleDataSource(source, sw));
      return h('tr', null,
        h('td', null, h('span', { class: 'cell-strong', id: nameId }, source.name)),
        h('td', { class: 'cell-muted' }, source.description),
        h('td', null, h('div', { class: 'switch-cell' }, sw,
          source.note && h('span', { class: 'switch-note', id: noteId }, source.note))));
    });
    return h('section', { class: 'card' },
      h('div', { class: 'card-head' },
        h('h2', { class: 'card-title' }, 'Data Sources'),
        h('span', { class: 'card-extra' }, `Region: ${data.region.name}`)),
      h('p', { class: 'card-intro' }, 'MTD analyses the logs of the enabled data sources with threat intelligence and detection models. Disabling a data source stops threat detection on its logs.'),
      h('table', { class: 'table' },
        h('thead', null, h('tr', null,
          h('th', { style: 'width: 28%' }, 'Data Source'),
          h('th', null, 'Description'),
          h('th', { style: 'width: 30%' }, 'Status'))),
        h('tbody', null, rows)));
  }

  async function toggleDataSource(source, sw) {
    if (sw.disabled) return;
    const turnOn = !isOn(sw);
    if (!turnOn) {
      const confirmed = await confirmDialog({
        title: `Disable ${source.short} Threat Detection`,
        message: `After ${source.short} threat detection is disabled, MTD stops analysing ${source.short} logs and cannot detect threats in them. Are you sure you want to disable it?`,
      });
      if (!confirmed) return;
    }
    setBusy(sw, true);
    try {
      const view = await api('PUT', `/mtd/data-sources/${source.id}`, { enabled: turnOn });
      setSwitch(sw, view.enabled);
      toast('success', TOAST_OK);
    } catch (error) {
      if (error.status !== 401) toast('error', error.message);
    } finally {
      setBusy(sw, false);
    }
  }

  // --- Cloud Trace Service: Tracker List

  function renderTrackerList(data) {
    const page = current.page;
    const rows = data.trackers.map((tracker) => {
      const configure = h('button', { type: 'button', class: 'link-btn' }, 'Configure');
      configure.addEventListener('click', () => navigate(`/console/cts/trackers/${encodeURIComponent(tracker.name)}/configure`));
      const onOff = h('button', { type: 'button', class: 'link-btn' }, tracker.enabled ? 'Disable' : 'Enable');
      onOff.addEventListener('click', () => switchTracker(page, data, tracker, onOff));
      const remove = h('button', {
        type: 'button', class: 'link-btn', disabled: true, 'aria-disabled': 'true',
        title: 'The management tracker cannot be deleted while Managed Threat Detection uses it.',
      }, 'Delete');
      return h('tr', null,
        h('td', null, h('span', { class: 'cell-strong' }, tracker.name)),
        h('td', null, tracker.type),
        h('td', null, tracker.transfer_to_lts ? 'Enabled' : 'Disabled'),
        h('td', null, h('span', {
          class: `status ${tracker.enabled ? 'status-normal' : 'status-stopped'}${ui.drift === 'colour' ? ' status-drifted' : ''}`,
        }, tracker.status)),
        h('td', null, h('div', { class: 'ops' }, configure, onOff, remove)));
    });
    return h('section', { class: 'card' },
      h('div', { class: 'card-head' },
        h('p', { class: 'card-intro card-intro-inline' }, 'The management tracker records operations on all cloud resources in this region. Transfer its traces to LTS so that services such as MTD can analyse them.'),
        h('span', { class: 'card-extra' }, `Region: ${data.region.name}`)),
      h('table', { class: 'table' },
        h('thead', null, h('tr', null,
          h('th', null, 'Tracker Name'), h('th', null, 'Type'), h('th', null, 'Transfer to LTS'),
          h('th', null, 'Status'), h('th', null, 'Operation'))),
        h('tbody', null, rows)),
      // The drift knob rewords this footer: a regression no step reads.
      h('div', { class: 'table-footer' }, `${ui.drift === 'label' ? 'Total records' : 'Total Records'}: ${data.trackers.length}`));
  }

  async function switchTracker(page, data, tracker, button) {
    const enable = !tracker.enabled;
    if (!enable) {
      const confirmed = await confirmDialog({
        title: 'Disable Tracker',
        message: `After tracker ${tracker.name} is disabled, it stops recording operations and services that read its traces, such as MTD, receive no new data. Are you sure you want to disable it?`,
      });
      if (!confirmed) return;
    }
    setBusy(button, true);
    try {
      const updated = await api('POST', `/cts/trackers/${encodeURIComponent(tracker.name)}/${enable ? 'enable' : 'disable'}`);
      toast('success', TOAST_OK);
      rerender(page, { ...data, trackers: data.trackers.map((t) => (t.name === updated.name ? updated : t)) });
    } catch (error) {
      if (error.status !== 401) toast('error', error.message);
      if (button.isConnected) setBusy(button, false);
    }
  }

  // --- Cloud Trace Service: Configure Tracker wizard

  const WIZARD_STEPS = ['Basic Information', 'Configure Transfer', 'Preview and Finish'];

  function renderWizard(tracker) {
    // The wizard holds its own settings; nothing reaches the server before Configure.
    const model = { step: 0, lts: tracker.transfer_to_lts, obs: tracker.transfer_to_obs };
    const steps = h('ol', { class: 'wizard-steps', 'aria-label': 'Steps' });
    const panelHost = h('div', { class: 'wizard-panel-host' });
    const footer = h('div', { class: 'wizard-footer' });

    const formRow = (label, ...fields) => h('div', { class: 'form-row' }, h('div', { class: 'form-row-label' }, label), h('div', { class: 'form-row-field' }, fields));
    const readonlyRow = (id, label, value) => formRow(h('label', { for: id, class: 'form-label' }, label),
      h('input', { id, type: 'text', class: 'input', value, readonly: true }));
    const onOff = (on) => (on ? 'Enabled' : 'Disabled');

    function basicInformation() {
      return h('div', { class: 'wizard-panel', role: 'group', 'aria-label': WIZARD_STEPS[0] },
        formRow(h('label', { for: 'tracker-name', class: 'form-label' }, 'Tracker Name'),
          h('input', { id: 'tracker-name', type: 'text', class: 'input', value: tracker.name, readonly: true }),
          h('p', { class: 'form-hint' }, 'The name of the management tracker is generated by the system and cannot be changed.')),
        formRow(h('span', { class: 'form-label', id: 'tracker-type-label' }, 'Tracker Type'),
          h('div', { class: 'radio-group', role: 'radiogroup', 'aria-labelledby': 'tracker-type-label' },
            h('label', { class: 'radio' }, h('input', { type: 'radio', name: 'tracker-type', checked: tracker.type === 'Management', disabled: true }), h('span', null, 'Management')),
            h('label', { class: 'radio' }, h('input', { type: 'radio', name: 'tracker-type', checked: tracker.type === 'Data', disabled: true }), h('span', null, 'Data')))));
    }

    function configureTransfer() {
      const obsSwitch = makeSwitch({ id: 'obs-switch', checked: model.obs, labelledby: 'obs-label' });
      const ltsSwitch = makeSwitch({ id: 'lts-switch', checked: model.lts, labelledby: 'lts-label' });
      const obsDetails = h('div', { class: 'reveal' });
      const ltsDetails = h('div', { class: 'reveal' });
      const drawDetails = () => {
        obsDetails.replaceChildren(...(model.obs ? [readonlyRow('obs-bucket', 'OBS Bucket', tracker.obs_bucket)] : []));
        ltsDetails.replaceChildren(...(model.lts ? [
          readonlyRow('log-group', 'Log Group', tracker.log_group),
          readonlyRow('log-stream', 'Log Stream', tracker.log_stream),
        ] : []));
      };
      obsSwitch.addEventListener('click', () => {
        model.obs = !model.obs;
        setSwitch(obsSwitch, model.obs);
        drawDetails();
      });
      ltsSwitch.addEventListener('click', () => {
        model.lts = !model.lts;
        setSwitch(ltsSwitch, model.lts);
        drawDetails();
      });
      drawDetails();
      return h('div', { class: 'wizard-panel', role: 'group', 'aria-label': WIZARD_STEPS[1] },
        formRow(h('label', { id: 'obs-label', for: 'obs-switch', class: 'form-label' }, 'Transfer to OBS'),
          obsSwitch, h('p', { class: 'form-hint' }, 'Store trace files in an OBS bucket for long-term retention.')),
        obsDetails,
        formRow(h('label', { id: 'lts-label', for: 'lts-switch', class: 'form-label' }, 'Transfer to LTS'),
          ltsSwitch, h('p', { class: 'form-hint' }, 'Send traces to Log Tank Service so that they can be searched and analysed, for example by MTD.')),
        ltsDetails);
    }

    function previewAndFinish() {
      const item = (term, value) => [h('dt', null, term), h('dd', null, value)];
      return h('div', { class: 'wizard-panel', role: 'group', 'aria-label': WIZARD_STEPS[2] },
        h('p', { class: 'card-intro' }, 'Check the settings below, then click the button at the bottom right to apply them.'),
        h('dl', { class: 'preview-list' },
          item('Tracker Name', tracker.name),
          item('Tracker Type', tracker.type),
          item('Transfer to OBS', onOff(model.obs)),
          model.obs && item('OBS Bucket', tracker.obs_bucket),
          item('Transfer to LTS', onOff(model.lts)),
          model.lts && item('Log Group', tracker.log_group),
          model.lts && item('Log Stream', tracker.log_stream)));
    }

    const panels = [basicInformation, configureTransfer, previewAndFinish];

    function go(step) {
      model.step = step;
      draw();
    }

    async function configure(button) {
      setBusy(button, true);
      try {
        await api('PUT', `/cts/trackers/${encodeURIComponent(tracker.name)}`, { transfer_to_lts: model.lts, transfer_to_obs: model.obs });
        toast('success', TOAST_OK);
        navigate('/console/cts/trackers');
      } catch (error) {
        if (error.status !== 401) toast('error', error.message);
        if (button.isConnected) setBusy(button, false);
      }
    }

    function draw() {
      steps.replaceChildren(...WIZARD_STEPS.map((label, index) => h('li', {
        class: index < model.step ? 'step-done' : index === model.step ? 'step-current' : 'step-todo',
        'aria-current': index === model.step ? 'step' : null,
      }, h('span', { class: 'step-label' }, label))));
      panelHost.replaceChildren(panels[model.step]());
      const button = (text, primary, onclick) => {
        const b = h('button', { type: 'button', class: primary ? 'btn btn-primary' : 'btn' }, text);
        b.addEventListener('click', () => onclick(b));
        return b;
      };
      const buttons = [
        [button('Cancel', false, () => navigate('/console/cts/trackers')), button('Next', true, () => go(1))],
        [button('Previous', false, () => go(0)), button('Next', true, () => go(2))],
        [button('Previous', false, () => go(1)), button('Configure', true, configure)],
      ][model.step];
      footer.replaceChildren(...buttons);
    }

    draw();
    return h('section', { class: 'card wizard' }, steps, panelHost, footer);
  }

  // ---------------------------------------------------------------------------------------------
  // Header popups: service list, region list, user menu. One at a time; outside clicks close.

  let popup = null; // { el, trigger, close }

  function closePopups() {
    if (!popup) return;
    const open = popup;
    popup = null;
    open.close();
  }

  function openPopup(el, trigger, onClose) {
    closePopups();
    trigger.setAttribute('aria-expanded', 'true');
    popup = {
      el, trigger,
      close: () => {
        el.remove();
        trigger.setAttribute('aria-expanded', 'false');
        if (onClose) onClose();
      },
    };
  }

  document.addEventListener('mousedown', (event) => {
    if (popup && !popup.el.contains(event.target) && !popup.trigger.contains(event.target)) closePopups();
  }, true);

  document.addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && popup) {
      const trigger = popup.trigger;
      closePopups();
      trigger.focus();
    }
  });

  function toggleServiceList() {
    if (popup && popup.trigger === shell.serviceBtn) {
      closePopups();
      return;
    }
    const search = h('input', { type: 'search', class: 'input service-search', placeholder: 'Search by service name', 'aria-label': 'Search services' });
    const categories = SERVICE_CATALOG.map((group) => h('section', { class: 'service-category' },
      h('h3', { class: 'service-category-title' }, group.category),
      h('ul', { class: 'service-links' }, group.services.map((service) => h('li', null, h('a', { href: service.href }, service.name))))));
    const closeBtn = h('button', { type: 'button', class: 'panel-close', 'aria-label': 'Close Service List' }, icon('close'));
    const panel = h('div', { class: 'service-panel', id: 'service-list-panel', role: 'dialog', 'aria-label': 'Service List' },
      h('div', { class: 'service-panel-head' },
        h('span', { class: 'service-panel-title' }, 'All Services'),
        h('div', { class: 'search-box' }, icon('search', 'search-icon'), search),
        closeBtn),
      h('div', { class: 'service-grid' }, categories));
    search.addEventListener('input', () => {
      const needle = search.value.trim().toLowerCase();
      for (const category of categories) {
        let visible = 0;
        for (const li of category.querySelectorAll('li')) {
          const show = li.textContent.toLowerCase().includes(needle);
          li.hidden = !show;
          if (show) visible += 1;
        }
        category.hidden = visible === 0;
      }
    });
    closeBtn.addEventListener('click', () => closePopups());
    // While the panel is open it is the page: the content behind it is hidden and inert, so a
    // service name also shown on the page underneath is not a second visible match.
    const body = shell.body;
    body.inert = true;
    document.body.classList.add('service-panel-open');
    openPopup(panel, shell.serviceBtn, () => {
      body.inert = false;
      document.body.classList.remove('service-panel-open');
    });
    document.body.append(panel);
    search.focus();
  }

  function toggleRegionList() {
    if (popup && popup.trigger === shell.regionBtn) {
      closePopups();
      return;
    }
    if (!session) return;
    const options = session.regions.map((region) => {
      const selected = region.id === session.region.id;
      const li = h('li', { role: 'option', 'aria-selected': String(selected), tabindex: '-1', class: 'region-option', 'data-region': region.id }, region.name);
      li.addEventListener('click', () => chooseRegion(region));
      return li;
    });
    const list = h('ul', { role: 'listbox', 'aria-label': 'Regions', class: 'popup region-list' }, options);
    list.addEventListener('keydown', (event) => {
      const index = options.indexOf(document.activeElement);
      const focusAt = (i) => options[(i + options.length) % options.length].focus();
      if (event.key === 'ArrowDown') focusAt(index + 1);
      else if (event.key === 'ArrowUp') focusAt(index - 1);
      else if (event.key === 'Home') focusAt(0);
      else if (event.key === 'End') focusAt(options.length - 1);
      else if ((event.key === 'Enter' || event.key === ' ') && index >= 0) chooseRegion(session.regions[index]);
      else if (event.key === 'Tab') closePopups();
      else return;
      event.preventDefault();
    });
    openPopup(list, shell.regionBtn);
    shell.regionWrap.append(list);
    (options.find((li) => li.getAttribute('aria-selected') === 'true') || options[0]).focus();
  }

  async function chooseRegion(region) {
    closePopups();
    shell.regionBtn.focus();
    if (region.id === session.region.id) return;
    const btn = shell.regionBtn;
    btn.disabled = true;
    try {
      await withMask(async () => {
        session = await api('POST', '/region', { region: region.id });
        updateHeader();
        await refreshPage();
      });
    } catch (error) {
      if (error.status !== 401) toast('error', error.message);
    } finally {
      if (btn.isConnected) btn.disabled = false;
    }
  }

  function toggleUserMenu() {
    if (popup && popup.trigger === shell.userBtn) {
      closePopups();
      return;
    }
    const logout = h('button', { type: 'button', role: 'menuitem', class: 'menu-item' }, 'Log Out');
    logout.addEventListener('click', async () => {
      closePopups();
      try {
        await api('POST', '/logout');
      } finally {
        session = null;
        navigate('/login');
      }
    });
    const menu = h('div', { role: 'menu', class: 'popup user-menu', 'aria-label': 'Account' },
      h('div', { class: 'menu-caption' }, 'IAM User'),
      logout);
    openPopup(menu, shell.userBtn);
    shell.userWrap.append(menu);
    logout.focus();
  }

  // ---------------------------------------------------------------------------------------------

  route();
})();
