// Shared by the lab pages of the simulated console: toasts in the console's own DOM and timing,
// the page's status line, and buttons whose whole job is to report one line of status (marked
// with data-status in the HTML, so simple pages need no script of their own). Page scripts
// reach the helpers through window.lab. Vanilla ES2020, no dependencies.
'use strict';

(() => {
  const root = document.documentElement;
  // The server writes the console's fault knobs into <html>; the defaults are the console's.
  const ui = {
    toastMs: Number(root.dataset.toastMs) || 2000,
    animationMs: Number(root.dataset.animationMs) || 200,
  };

  const ICONS = {
    success: '<svg viewBox="0 0 24 24"><circle cx="12" cy="12" r="10" fill="currentColor"/><path d="M7 12.4l3.3 3.3L17.2 8.8" fill="none" stroke="#fff" stroke-width="2.2" stroke-linecap="round" stroke-linejoin="round"/></svg>',
    error: '<svg viewBox="0 0 24 24"><circle cx="12" cy="12" r="10" fill="currentColor"/><path d="M8.6 8.6l6.8 6.8M15.4 8.6l-6.8 6.8" fill="none" stroke="#fff" stroke-width="2.2" stroke-linecap="round"/></svg>',
  };

  function icon(name, className) {
    const template = document.createElement('template');
    template.innerHTML = ICONS[name].trim();
    const svg = template.content.firstElementChild;
    svg.setAttribute('aria-hidden', 'true');
    svg.setAttribute('focusable', 'false');
    svg.classList.add('icon', className);
    return svg;
  }

  /** The console's toast: shown at once, faded out after toastMs, removed when the fade ends. */
  function toast(kind, text) {
    let region = document.querySelector('.toast-region');
    if (!region) {
      region = document.createElement('div');
      region.className = 'toast-region';
      document.body.append(region);
    }
    const el = document.createElement('div');
    el.className = `toast toast-${kind}`;
    el.setAttribute('role', kind === 'success' ? 'status' : 'alert');
    const span = document.createElement('span');
    span.className = 'toast-text';
    span.textContent = text;
    el.append(icon(kind === 'success' ? 'success' : 'error', 'toast-icon'), span);
    region.append(el);
    setTimeout(() => {
      el.classList.add('toast-leaving');
      setTimeout(() => el.remove(), ui.animationMs);
    }, ui.toastMs);
  }

  /** Replaces the status line's text: it holds the latest outcome only, never a history. */
  function status(text) {
    const line = document.querySelector('[data-testid="status"]');
    if (line) line.textContent = text;
  }

  document.addEventListener('click', (event) => {
    const button = event.target.closest && event.target.closest('button[data-status]');
    if (button && !button.disabled) status(button.dataset.status);
  });

  window.lab = { toast, status, ui };
})();
