// The query-string settings of the lab's waiting and toast pages (/lab/mask, /lab/rerender,
// /lab/toasts): how long a mask stays, how often a table is rebuilt, how fast toasts come and go.
// A test states the timing it needs in the URL; a value the page cannot use falls back to the
// page's default instead of breaking the page. Loaded after lab.js, whose window.lab it extends.
'use strict';

(() => {
  // setTimeout treats anything above 2^31 - 1 ms as 0, which would turn "very long" into "at once".
  const MAX_MS = 2147483647;

  function raw(name) {
    return new URLSearchParams(window.location.search).get(name);
  }

  /**
   * A duration in milliseconds: `?name=<whole number>` at least `min`. A word listed in `words`
   * (such as "forever") stands for its value. Missing, empty, negative, fractional, too large or
   * otherwise unreadable values give `fallback`.
   */
  function ms(name, fallback, { min = 0, words = {} } = {}) {
    const value = raw(name);
    if (value === null) return fallback;
    const text = value.trim().toLowerCase();
    if (Object.prototype.hasOwnProperty.call(words, text)) return words[text];
    if (!/^\d+$/.test(text)) return fallback;
    const number = Number(text);
    return number >= min && number <= MAX_MS ? number : fallback;
  }

  /** A yes/no setting: `?name=1` or `?name=0`; anything else gives `fallback`. */
  function flag(name, fallback) {
    const value = (raw(name) || '').trim();
    if (value === '1') return true;
    if (value === '0') return false;
    return fallback;
  }

  Object.assign(window.lab, { ms, flag });
})();
