// The lab's "Batch Jobs" page: things that are on the page and visible, yet not ready for a click.
// A loading mask over the whole viewport swallows clicks until it goes, a drawer's Confirm button
// is shown while it still slides in, and a field stays read-only until a late unlock. The page
// counts what reached its target and what landed on the mask, so a test can tell a step that
// waited from one that clicked too early. Timings come from the query string (see params.js):
// ?mask=<ms>|forever (default 1000, 0 for no mask), ?slide=<ms> (600), ?unlock=<ms> (500).
'use strict';

(() => {
  const { toast, ms } = window.lab;

  const MASK_MS = ms('mask', 1000, { words: { forever: Infinity } });
  const SLIDE_MS = ms('slide', 600);
  const UNLOCK_MS = ms('unlock', 500);

  const byId = (id) => document.getElementById(id);
  const testid = (id) => document.querySelector(`[data-testid="${id}"]`);

  function h(tag, props, ...children) {
    const el = document.createElement(tag);
    for (const [key, value] of Object.entries(props || {})) {
      if (key === 'class') el.className = value;
      else el.setAttribute(key, value);
    }
    el.append(...children);
    return el;
  }

  // ---------------------------------------------------------------------------------------------
  // The loading mask: made here rather than written in the HTML, so that ?mask=0 has no mask at
  // all, not one that is taken away as soon as the script runs.

  const maskClicks = testid('mask-clicks');
  let maskClickCount = 0;
  let mask = null;
  let maskTimer = null;

  function showMask() {
    if (MASK_MS === 0) return;
    if (!mask) {
      mask = h('div', { class: 'loading-mask' },
        h('div', { class: 'spinner' }),
        h('span', { class: 'loading-text' }, 'Loading…'));
      // Counted on the mask itself: a click meant for a button beneath ends up here instead.
      mask.addEventListener('click', () => {
        maskClickCount += 1;
        maskClicks.textContent = `Clicks on the mask: ${maskClickCount}`;
      });
      document.body.append(mask);
    }
    clearTimeout(maskTimer);
    if (MASK_MS !== Infinity) {
      maskTimer = setTimeout(() => {
        mask.remove();
        mask = null;
      }, MASK_MS);
    }
  }
  showMask();

  byId('reload').addEventListener('click', showMask);

  // ---------------------------------------------------------------------------------------------
  // Submit: a click that reaches the button counts, and is confirmed by the console's toast.

  const submits = testid('submits');
  let submitCount = 0;
  document.querySelector('.form-footer .btn-primary').addEventListener('click', (event) => {
    // Only clicks from the user's pointer or keyboard count. A script's element.click() goes
    // straight to the button through any mask and would hide the very thing this page shows.
    if (!event.isTrusted) return;
    submitCount += 1;
    submits.textContent = `Submitted ${submitCount} ${submitCount === 1 ? 'time' : 'times'}`;
    toast('success', 'Job submitted');
  });

  // ---------------------------------------------------------------------------------------------
  // The drawer slides in at a constant speed, so its buttons are on screen and moving for the
  // whole of ?slide, and only a click after the slide has ended confirms.

  const drawerStatus = testid('drawer-status');
  let drawer = null;

  function openDrawer() {
    if (drawer) return;
    let settled = false;
    const confirm = h('button', { type: 'button', class: 'btn btn-primary' }, 'Confirm');
    const cancel = h('button', { type: 'button', class: 'btn' }, 'Cancel');
    const panel = h('aside', { class: 'drawer', role: 'dialog', 'aria-label': 'Job details' },
      h('div', { class: 'drawer-head' }, h('h2', { class: 'drawer-title' }, 'Job details')),
      h('dl', { class: 'preview-list drawer-body' },
        h('dt', null, 'Schedule'), h('dd', null, 'Every day at 02:00'),
        h('dt', null, 'Last run'), h('dd', null, 'Succeeded in 4 min 12 s'),
        h('dt', null, 'Next run'), h('dd', null, 'Tonight')),
      h('div', { class: 'drawer-footer' }, confirm, cancel));
    panel.style.transition = `transform ${SLIDE_MS}ms linear`;
    document.body.append(panel);
    drawer = panel;

    // The buttons' own hover transitions bubble up here too; only the panel's slide counts.
    panel.addEventListener('transitionend', (event) => {
      if (event.target === panel && event.propertyName === 'transform') settled = true;
    });
    confirm.addEventListener('click', () => {
      drawerStatus.textContent = settled ? 'Confirmed' : 'Clicked while moving';
    });
    cancel.addEventListener('click', () => {
      panel.remove();
      drawer = null;
    });

    // Laid out off screen first, so that the change below is a transition and not a jump.
    panel.getBoundingClientRect();
    panel.classList.add('drawer-open');
    // A zero-length transition never ends with a transitionend.
    if (SLIDE_MS === 0) settled = true;
  }

  byId('open-drawer').addEventListener('click', openDrawer);

  // ---------------------------------------------------------------------------------------------
  // The job name is read-only until some time after Unlock.

  const jobName = byId('job-name');
  byId('unlock').addEventListener('click', () => {
    setTimeout(() => jobName.removeAttribute('readonly'), UNLOCK_MS);
  });
})();
