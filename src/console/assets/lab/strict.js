// The lab's "Log Transfer" page: look-alikes and hard-to-name controls, for docent's strictness.
// Two Configure buttons told apart only by their row, an Export button in each of two tab panels
// (one hidden) and a third in a template that is never rendered, six fields each labelled a
// different way, a switch whose real checkbox is 0x0 under the track the user sees, and a Publish
// button that is disabled by aria-disabled only, so it still receives clicks and must ignore them.
// The Export buttons report through lab.js's data-status; everything else is here.
'use strict';

(() => {
  const { status } = window.lab;

  // --- Log groups: the row's first cell says which group a Configure belongs to.

  document.getElementById('log-groups').addEventListener('click', (event) => {
    const button = event.target.closest('button.btn-link');
    if (button) status(`Configuring ${button.closest('tr').cells[0].textContent}`);
  });

  // --- Tabs, with the arrow keys moving between them as the ARIA tabs pattern has it.

  const tabs = Array.from(document.querySelectorAll('[role="tab"]'));

  function select(tab) {
    for (const other of tabs) {
      const selected = other === tab;
      other.setAttribute('aria-selected', String(selected));
      other.tabIndex = selected ? 0 : -1;
      document.getElementById(other.getAttribute('aria-controls')).hidden = !selected;
    }
  }

  for (const tab of tabs) {
    tab.addEventListener('click', () => select(tab));
    tab.addEventListener('keydown', (event) => {
      const step = { ArrowRight: 1, ArrowLeft: -1 }[event.key];
      if (!step) return;
      event.preventDefault();
      const next = tabs[(tabs.indexOf(tab) + step + tabs.length) % tabs.length];
      select(next);
      next.focus();
    });
  }

  // --- Transfer to LTS: the state line follows the hidden checkbox, whoever changed it.

  const lts = document.querySelector('.switch__input');
  const ltsState = document.querySelector('[data-testid="lts-state"]');
  const showLts = () => {
    ltsState.textContent = `Transfer to LTS is ${lts.checked ? 'on' : 'off'}`;
  };
  lts.addEventListener('change', showLts);

  // --- Publish is enabled by agreeing to the terms; while aria-disabled, clicks do nothing.

  const agree = document.querySelector('input[name="agree"]');
  const publish = document.querySelector('.publish-row .btn');
  const updatePublish = () => {
    if (agree.checked) publish.removeAttribute('aria-disabled');
    else publish.setAttribute('aria-disabled', 'true');
  };
  agree.addEventListener('change', updatePublish);
  publish.addEventListener('click', () => {
    if (publish.getAttribute('aria-disabled') === 'true') return;
    status('Published');
  });

  // The browser may bring back checkbox states on a reload or a return through history, without
  // a change event; the text and the button are brought in line with them then.
  const sync = () => {
    showLts();
    updatePublish();
  };
  sync();
  window.addEventListener('pageshow', sync);
})();
