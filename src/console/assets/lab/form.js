// The lab's "Alarm Notifications" page: a form with native and ARIA-built controls, a save that
// runs behind a loading mask, native alert/confirm/prompt dialogs, a hover menu, a table with
// double-clickable cells, a search box driven by Enter and Escape, and outcomes that come late or
// only on a second try. Everything it remembers lives in the page or, per browser tab, in
// sessionStorage; the server keeps nothing. The texts are the ones docent's end-to-end tests
// match verbatim, so they change only together with those tests.
'use strict';

(() => {
  const { toast, status } = window.lab;

  const TOAST_OK = 'Operation successfully!';
  const TOAST_FAILED = 'Operation failed.';
  const SAVE_MS = 400;
  const DRAFT_DELAY_MS = 300;
  const DRAFT_SHOWN_MS = 1500;
  const DELAYED_MS = 700;
  const REGIONS = ['CN North-Beijing4', 'CN East-Shanghai1', 'CN South-Guangzhou', 'CN-Hong Kong'];
  const INITIAL = { severity: 'Medium', region: REGIONS[0], notification: true };

  const byId = (id) => document.getElementById(id);

  function h(tag, props, ...children) {
    const el = document.createElement(tag);
    for (const [key, value] of Object.entries(props || {})) {
      if (value === undefined || value === null || value === false) continue;
      if (key === 'class') el.className = value;
      else el.setAttribute(key, value === true ? '' : String(value));
    }
    el.append(...children);
    return el;
  }

  // ---------------------------------------------------------------------------------------------
  // Per-tab memory. sessionStorage can be unavailable (storage disabled); the page then simply
  // behaves as on a first load every time.

  const store = {
    get(key) {
      try {
        return sessionStorage.getItem(`docent.lab.form.${key}`);
      } catch (_) {
        return null;
      }
    },
    set(key, value) {
      try {
        sessionStorage.setItem(`docent.lab.form.${key}`, value);
      } catch (_) { /* nothing to remember with */ }
    },
  };

  function countLoad() {
    const loads = (Number(store.get('loads')) || 0) + 1;
    store.set('loads', String(loads));
    document.querySelector('[data-testid="load-count"]').textContent =
      loads === 1 ? 'Loaded 1 time' : `Loaded ${loads} times`;
  }
  countLoad();

  let reference = store.get('reference');
  if (!/^NT-\d{4}$/.test(reference || '')) {
    const digits = new Uint16Array(1);
    crypto.getRandomValues(digits);
    reference = `NT-${String(digits[0] % 10000).padStart(4, '0')}`;
    store.set('reference', reference);
  }
  document.querySelector('[data-testid="reference"]').textContent = reference;

  // The cookie notice comes with the first load of the page in a tab only; it is remembered as
  // soon as it has been shown, and accepting it takes it off the page.
  if (!store.get('cookie-notice')) {
    store.set('cookie-notice', 'shown');
    const accept = h('button', { type: 'button', class: 'btn btn-primary' }, 'Accept cookies');
    const banner = h('div', { role: 'region', 'aria-label': 'Cookie notice', class: 'cookie-banner' },
      h('p', { class: 'cookie-text' }, 'This console uses cookies.'),
      accept);
    accept.addEventListener('click', () => {
      store.set('cookie-notice', 'accepted');
      banner.remove();
    });
    document.body.append(banner);
  }

  // ---------------------------------------------------------------------------------------------
  // The form.

  const form = byId('notification-form');
  const name = byId('notification-name');
  const description = byId('description');
  const severity = byId('severity');
  const email = byId('send-email');
  const sms = byId('send-sms');
  const smsLabel = byId('send-sms-label');
  const notification = byId('enable-notification');
  const save = byId('save');
  const summary = document.querySelector('[data-testid="summary"]');
  const draftSlot = document.querySelector('.draft-slot');

  // A submit would reload the page; nothing here is a real form post.
  form.addEventListener('submit', (event) => event.preventDefault());

  function updateSave() {
    save.disabled = name.value.trim() === '';
  }
  name.addEventListener('input', updateSave);
  // WebDriver's Element Clear empties the field with a change event only, no input event.
  name.addEventListener('change', updateSave);
  updateSave();

  // --- Region: a listbox-style dropdown, as console UI kits build them, not a native select.

  const regionButton = byId('region');
  const regionLabel = byId('region-label');
  const regionValue = regionButton.querySelector('.select-value');
  const regionAnchor = regionButton.parentElement;
  let region = INITIAL.region;
  let listbox = null;

  function setRegion(value) {
    region = value;
    regionValue.textContent = value;
  }

  function openListbox() {
    const options = REGIONS.map((value, index) => {
      const option = h('li', {
        role: 'option', id: `region-option-${index}`, class: 'region-option', tabindex: '-1',
        'aria-selected': String(value === region),
      }, value);
      option.addEventListener('click', () => chooseRegion(value));
      return option;
    });
    listbox = h('ul', { role: 'listbox', id: 'region-listbox', class: 'popup lab-listbox', 'aria-labelledby': 'region-label' }, ...options);
    listbox.addEventListener('keydown', (event) => {
      const index = options.indexOf(document.activeElement);
      const focusAt = (i) => options[(i + options.length) % options.length].focus();
      if (event.key === 'ArrowDown') focusAt(index + 1);
      else if (event.key === 'ArrowUp') focusAt(index - 1);
      else if (event.key === 'Home') focusAt(0);
      else if (event.key === 'End') focusAt(options.length - 1);
      else if ((event.key === 'Enter' || event.key === ' ') && index >= 0) chooseRegion(REGIONS[index]);
      else if (event.key === 'Tab') closeListbox(false);
      else return;
      event.preventDefault();
    });
    regionAnchor.append(listbox);
    regionButton.setAttribute('aria-expanded', 'true');
    regionButton.setAttribute('aria-controls', 'region-listbox');
    (options.find((option) => option.getAttribute('aria-selected') === 'true') || options[0]).focus();
  }

  function closeListbox(refocus) {
    if (!listbox) return;
    listbox.remove();
    listbox = null;
    regionButton.setAttribute('aria-expanded', 'false');
    regionButton.removeAttribute('aria-controls');
    if (refocus) regionButton.focus();
  }

  function chooseRegion(value) {
    setRegion(value);
    closeListbox(true);
  }

  regionButton.addEventListener('click', () => (listbox ? closeListbox(true) : openListbox()));
  regionButton.addEventListener('keydown', (event) => {
    if (event.key === 'ArrowDown' && !listbox) {
      event.preventDefault();
      openListbox();
    }
  });
  // Outside clicks close the list; the label is not outside, since clicking it clicks the button.
  document.addEventListener('mousedown', (event) => {
    const inside = [listbox, regionButton, regionLabel].some((el) => el && el.contains(event.target));
    if (listbox && !inside) closeListbox(false);
  }, true);
  document.addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && listbox) {
      event.preventDefault();
      closeListbox(true);
    }
  });

  // --- Send SMS: an ARIA checkbox; its text beside it toggles it too, as a wrapping label would.

  function setSms(on) {
    sms.setAttribute('aria-checked', String(on));
  }
  function toggleSms() {
    setSms(sms.getAttribute('aria-checked') !== 'true');
  }
  sms.addEventListener('click', toggleSms);
  sms.addEventListener('keydown', (event) => {
    if (event.key !== ' ') return;
    // Space would otherwise scroll the page.
    event.preventDefault();
    if (!event.repeat) toggleSms();
  });
  smsLabel.addEventListener('click', () => {
    toggleSms();
    sms.focus();
  });

  // --- Enable notification: a switch that applies at once, without confirmation.

  const isOn = (sw) => sw.getAttribute('aria-checked') === 'true';
  notification.addEventListener('click', () => {
    notification.setAttribute('aria-checked', String(!isOn(notification)));
  });

  // --- Save: a loading mask over the form, then a toast, the summary and a passing draft note.

  let saving = false;
  let draftTimers = [];

  function values() {
    const onOff = (on) => (on ? 'on' : 'off');
    return [
      ['Name', name.value],
      ['Description', description.value],
      ['Severity', severity.options[severity.selectedIndex].text],
      ['Region', region],
      ['Email', onOff(email.checked)],
      ['SMS', onOff(isOn(sms))],
      ['Notification', onOff(isOn(notification))],
    ];
  }

  function showSummary(rows) {
    summary.replaceChildren(...rows.flatMap(([term, value]) => [h('dt', null, term), h('dd', null, value)]));
    summary.hidden = false;
  }

  function clearSummary() {
    summary.replaceChildren();
    summary.hidden = true;
  }

  function noteDraftSaved() {
    for (const timer of draftTimers) clearTimeout(timer);
    draftSlot.replaceChildren();
    draftTimers = [setTimeout(() => {
      const note = h('p', { class: 'draft-note' }, 'Draft saved');
      draftSlot.append(note);
      draftTimers = [setTimeout(() => note.remove(), DRAFT_SHOWN_MS)];
    }, DRAFT_DELAY_MS)];
  }

  save.addEventListener('click', () => {
    if (saving || save.disabled) return;
    saving = true;
    closeListbox(false);
    const rows = values();
    const mask = h('div', { class: 'loading-mask', 'aria-hidden': 'true' }, h('div', { class: 'spinner' }));
    form.append(mask);
    form.setAttribute('aria-busy', 'true');
    setTimeout(() => {
      mask.remove();
      form.removeAttribute('aria-busy');
      saving = false;
      if (name.value === 'fail') {
        toast('error', TOAST_FAILED);
        return;
      }
      showSummary(rows);
      toast('success', TOAST_OK);
      noteDraftSaved();
    }, SAVE_MS);
  });

  // --- Reset, Rename and Show tip use the browser's own dialogs.

  byId('reset').addEventListener('click', () => {
    if (!window.confirm('Reset all fields?')) {
      status('Reset cancelled');
      return;
    }
    closeListbox(false);
    name.value = '';
    description.value = '';
    severity.value = INITIAL.severity;
    setRegion(INITIAL.region);
    email.checked = false;
    setSms(false);
    notification.setAttribute('aria-checked', String(INITIAL.notification));
    updateSave();
    clearSummary();
    toast('success', 'Fields reset.');
  });

  byId('rename').addEventListener('click', () => {
    const answer = window.prompt('New notification name', name.value);
    if (answer === null) {
      status('Rename cancelled');
    } else if (answer.trim() === '') {
      status('Name cannot be empty');
    } else {
      name.value = answer;
      name.dispatchEvent(new Event('input', { bubbles: true }));
      status(`Renamed to ${answer}`);
    }
  });

  byId('show-tip').addEventListener('click', () => {
    window.alert('Names must be unique.');
    status('Tip shown');
  });

  // ---------------------------------------------------------------------------------------------
  // "More": a menu that follows the pointer, not clicks.

  const moreAnchor = byId('more-menu-anchor');
  const moreButton = byId('more-button');
  const moreMenu = byId('more-menu');

  function showMore(shown) {
    moreMenu.hidden = !shown;
    moreButton.setAttribute('aria-expanded', String(shown));
  }
  moreAnchor.addEventListener('mouseenter', () => showMore(true));
  moreAnchor.addEventListener('mouseleave', () => showMore(false));
  for (const item of moreMenu.querySelectorAll('[role="menuitem"]')) {
    item.addEventListener('click', () => {
      showMore(false);
      toast('success', `${item.textContent} started`);
    });
  }

  // ---------------------------------------------------------------------------------------------
  // The notification list.

  const table = byId('notification-table');
  const total = byId('table-total');
  const rowName = (el) => el.closest('tr').querySelector('.name-cell').textContent;

  table.addEventListener('click', (event) => {
    const button = event.target.closest('button[data-action]');
    if (!button) return;
    const alarm = rowName(button);
    if (button.dataset.action === 'edit') {
      status(`Editing ${alarm}`);
    } else {
      button.closest('tr').remove();
      total.textContent = `Total Records: ${table.tBodies[0].rows.length}`;
      status(`Deleted ${alarm}`);
    }
  });
  table.addEventListener('dblclick', (event) => {
    const cell = event.target.closest('.name-cell');
    if (cell) status(`Renaming ${cell.textContent}`);
  });

  // ---------------------------------------------------------------------------------------------
  // Tools: search on Enter, a connection check that fails the first time, a late message.

  const search = byId('search');
  const output = byId('tools-output');

  search.addEventListener('keydown', (event) => {
    const shown = output.querySelector('[data-testid="search-result"]');
    if (event.key === 'Enter') {
      event.preventDefault();
      if (search.value === '') {
        if (shown) shown.remove();
        return;
      }
      const result = shown || h('p', { 'data-testid': 'search-result', class: 'search-result' });
      result.textContent = `Results for ${search.value}`;
      if (!shown) output.prepend(result);
    } else if (event.key === 'Escape') {
      event.preventDefault();
      search.value = '';
      if (shown) shown.remove();
    }
  });

  let checks = 0;
  byId('check-connection').addEventListener('click', () => {
    checks += 1;
    status(checks === 1 ? 'Connection failed' : 'Connected');
  });

  byId('show-delayed').addEventListener('click', () => {
    setTimeout(() => {
      if (!output.querySelector('.delayed')) output.append(h('p', { class: 'delayed' }, 'Ready'));
    }, DELAYED_MS);
  });

  // ---------------------------------------------------------------------------------------------
  // Back and Forward. Chrome usually restores this page from its back-forward cache instead of
  // loading it, keeping the page as it was; whether it does depends on the browser's heuristics.
  // A restore counts as a load all the same, and, being a later load in the tab, it shows no
  // cookie notice, so the counter and the notice read the same either way. Popups are closed on
  // the way out, as a fresh load would have them.

  window.addEventListener('pagehide', () => {
    closeListbox(false);
    showMore(false);
  });
  window.addEventListener('pageshow', (event) => {
    if (!event.persisted) return;
    countLoad();
    const banner = document.querySelector('.cookie-banner');
    if (banner) banner.remove();
    updateSave();
  });
})();
