// The lab's "Instances" page: a table whose rows never hold still. Every ?every=<ms> (default 40)
// its body is thrown away and built again from new elements, and with ?shuffle=1 (the default;
// ?shuffle=0 keeps the order) the rows come back in another order each time, as a console list
// does when it polls and re-sorts. An element found a moment ago may be gone, or the row under
// the pointer may be another one, by the time a click lands. The page logs which row's Open was
// clicked, so a test can tell the row it meant from the row it got. Pause stops the rebuilding.
'use strict';

(() => {
  const { ms, flag } = window.lab;

  const NAMES = ['Alpha', 'Bravo', 'Charlie', 'Delta', 'Echo'];
  // At least a millisecond: an interval of 0 would rebuild as fast as the browser can spin.
  const EVERY_MS = ms('every', 40, { min: 1 });
  const SHUFFLE = flag('shuffle', true);

  const table = document.getElementById('instances');
  const body = table.tBodies[0];
  const opened = document.querySelector('[data-testid="opened"]');
  const pause = document.getElementById('pause');
  const log = [];
  let order = NAMES.slice();
  let timer = null;

  function shuffled(names) {
    const copy = names.slice();
    for (let i = copy.length - 1; i > 0; i -= 1) {
      const j = Math.floor(Math.random() * (i + 1));
      [copy[i], copy[j]] = [copy[j], copy[i]];
    }
    return copy;
  }

  function row(name) {
    const tr = document.createElement('tr');
    const nameCell = document.createElement('td');
    nameCell.textContent = name;
    const statusCell = document.createElement('td');
    statusCell.textContent = 'Running';
    const operationCell = document.createElement('td');
    const open = document.createElement('button');
    open.className = 'btn-link';
    open.textContent = 'Open';
    operationCell.append(open);
    tr.append(nameCell, statusCell, operationCell);
    return tr;
  }

  function rebuild() {
    if (SHUFFLE) {
      // A new order every time; one in 120 shuffles would otherwise give the same one back.
      const before = order.join();
      do order = shuffled(NAMES); while (order.join() === before);
    }
    body.replaceChildren(...order.map(row));
  }

  function start() {
    timer = setInterval(rebuild, EVERY_MS);
    pause.textContent = 'Pause';
  }

  function stop() {
    clearInterval(timer);
    timer = null;
    pause.textContent = 'Resume';
  }

  // Listened for on the table, which stays, rather than on buttons that are replaced all the time.
  table.addEventListener('click', (event) => {
    const button = event.target.closest('button.btn-link');
    if (!button) return;
    log.push(button.closest('tr').cells[0].textContent);
    opened.textContent = `Opened: ${log.join(', ')}`;
  });

  pause.addEventListener('click', () => (timer === null ? start() : stop()));

  // The first rows keep the list's own order; the shuffling starts with the first rebuild.
  body.replaceChildren(...order.map(row));
  start();
})();
