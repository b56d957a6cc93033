// The help articles shown inside the lab's Help Center iframe. Its own search field, Search
// button and toast region live in the frame's document, so that a step only reaches them after
// switching into the frame, and the outer page's Search button is a different one.
'use strict';

(() => {
  const { toast } = window.lab;
  const query = document.getElementById('help-query');
  const output = document.getElementById('articles-output');

  document.getElementById('articles-search').addEventListener('submit', (event) => {
    event.preventDefault();
    const result = document.createElement('p');
    result.className = 'result';
    result.textContent = query.value.trim() === '' ? 'Type a keyword' : '2 articles found';
    output.replaceChildren(result);
  });

  document.getElementById('rate').addEventListener('click', () => toast('success', 'Thanks for your feedback'));
})();
