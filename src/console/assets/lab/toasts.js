// The lab's "Notifications" page: outcomes announced in every way a console may announce them,
// for docent's toast watching. A burst of a hundred short-lived toasts, toasts inside a shadow
// root and inside a shadow root within a shadow root (both attached only when the button is
// clicked), a live region whose text alone changes, an error toast that comes late, and flash
// messages that carry none of the usual toast marks. The markup differs per button on purpose.
// Timings come from the query string (see params.js): ?life=<ms> (default 50) and ?gap=<ms> (10)
// for the burst, ?delay=<ms> (300) for the late error.
'use strict';

(() => {
  const { ms } = window.lab;

  const LIFE_MS = ms('life', 50);
  const GAP_MS = ms('gap', 10);
  const DELAY_MS = ms('delay', 300);
  const BURST_SIZE = 100;
  const SHADOW_MS = 300;
  const LIVE_MS = 500;
  const ERROR_MS = 3000;
  const FLASH_MS = 2000;
  const FADE_MS = 4000;

  const byId = (id) => document.getElementById(id);
  const testid = (id) => document.querySelector(`[data-testid="${id}"]`);
  const stack = document.querySelector('.toast-stack');
  const flashes = document.querySelector('.acme-flashes');

  function div(className, text, role) {
    const el = document.createElement('div');
    el.className = className;
    if (role) el.setAttribute('role', role);
    el.textContent = text;
    return el;
  }

  /** Puts `el` into `container` and takes it out again after `lifeMs`. */
  function showFor(container, el, lifeMs) {
    container.append(el);
    setTimeout(() => el.remove(), lifeMs);
  }

  // ---------------------------------------------------------------------------------------------
  // Fire 100 toasts: one at a time, each gone before the next comes.

  const burst = testid('burst');
  let bursting = false;

  byId('fire-burst').addEventListener('click', () => {
    // A second burst over the first would interleave the numbers; one runs at a time.
    if (bursting) return;
    bursting = true;
    burst.textContent = '';
    let shown = 0;
    const next = () => {
      shown += 1;
      const el = div('toast toast-success', `Toast ${String(shown).padStart(3, '0')}`);
      stack.append(el);
      setTimeout(() => {
        el.remove();
        if (shown < BURST_SIZE) {
          setTimeout(next, GAP_MS);
        } else {
          bursting = false;
          burst.textContent = 'Burst done';
        }
      }, LIFE_MS);
    };
    next();
  });

  // ---------------------------------------------------------------------------------------------
  // Shadow toasts. Document styles do not reach into a shadow root, so the toast's look comes
  // with the element, as an adopted stylesheet that adds no node to the shadow tree.

  const toastSheet = new CSSStyleSheet();
  toastSheet.replaceSync(`
    :host { display: block; }
    .toast {
      box-sizing: border-box;
      display: flex;
      align-items: center;
      min-width: 280px;
      max-width: 420px;
      margin-bottom: 10px;
      padding: 12px 18px;
      border: 1px solid #a6e3c3;
      border-radius: 4px;
      background: #effaf4;
      box-shadow: 0 6px 20px rgba(0, 0, 0, .15);
      pointer-events: none;
    }
  `);
  const panelSheet = new CSSStyleSheet();
  panelSheet.replaceSync(':host { display: block; }');

  /** A toast host of the kind web-component libraries ship. */
  class Notifier extends HTMLElement {
    constructor() {
      super();
      // Runs when the element is created, that is on the click: there is no shadow root before.
      this.attachShadow({ mode: 'open' }).adoptedStyleSheets = [toastSheet];
    }

    show(text, lifeMs) {
      showFor(this.shadowRoot, div('toast', text, 'status'), lifeMs);
    }
  }

  /** A panel whose own shadow tree holds a notifier: a toast two shadow roots deep. */
  class Panel extends HTMLElement {
    constructor() {
      super();
      this.attachShadow({ mode: 'open' }).adoptedStyleSheets = [panelSheet];
    }
  }

  customElements.define('docent-notifier', Notifier);
  customElements.define('docent-panel', Panel);

  // The hosts stay in the stack once their toast is gone; they are empty and take no room.
  byId('shadow-toast').addEventListener('click', () => {
    const notifier = document.createElement('docent-notifier');
    stack.append(notifier);
    notifier.show('Saved in the shadow', SHADOW_MS);
  });

  byId('nested-shadow-toast').addEventListener('click', () => {
    const panel = document.createElement('docent-panel');
    const notifier = document.createElement('docent-notifier');
    panel.shadowRoot.append(notifier);
    stack.append(panel);
    notifier.show('Deep in the shadow', SHADOW_MS);
  });

  // ---------------------------------------------------------------------------------------------
  // Text-only toast: the live region is there from the start; only its text comes and goes.

  const live = testid('live');
  let liveTimer = null;

  byId('text-toast').addEventListener('click', () => {
    clearTimeout(liveTimer);
    live.textContent = 'Export started';
    liveTimer = setTimeout(() => {
      live.textContent = '';
    }, LIVE_MS);
  });

  // ---------------------------------------------------------------------------------------------
  // Slow error: the failure shows up after the click's step may already have moved on.

  byId('slow-error').addEventListener('click', () => {
    setTimeout(() => {
      showFor(stack, div('toast toast-error', 'Quota exceeded', 'alert'), ERROR_MS);
    }, DELAY_MS);
  });

  // ---------------------------------------------------------------------------------------------
  // Counter: an outcome with no toast at all, for a step that has nothing to do with the others.

  const counter = testid('counter');
  let count = 0;

  byId('count').addEventListener('click', () => {
    count += 1;
    counter.textContent = `Count: ${count}`;
  });

  // ---------------------------------------------------------------------------------------------
  // Flash messages of a made-up UI kit, with none of the marks a toast is usually recognised by:
  // no role, no aria-live, no class name that says toast, message, notice or alert.

  byId('custom-notice').addEventListener('click', () => {
    showFor(flashes, div('acme-flash', 'Flash saved'), FLASH_MS);
  });

  byId('custom-failure').addEventListener('click', () => {
    showFor(flashes, div('acme-flash acme-flash--bad', 'Flash failed'), FLASH_MS);
  });

  // ---------------------------------------------------------------------------------------------
  // Slow fade: a toast that starts leaving at once and takes FADE_MS to go, as a library's
  // message fades while the person reads it. A figure taken meanwhile must not wait it out.

  byId('slow-fade').addEventListener('click', () => {
    const el = div('toast toast-success', 'Fading slowly', 'status');
    el.style.transition = `opacity ${FADE_MS}ms linear`;
    stack.append(el);
    requestAnimationFrame(() => requestAnimationFrame(() => {
      el.classList.add('toast-leaving');
      el.style.opacity = '0.2';
    }));
    setTimeout(() => el.remove(), FADE_MS);
  });
})();
