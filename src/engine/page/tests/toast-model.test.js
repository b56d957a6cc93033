// Tests of toast-model.js: a toast's kind from its classes and words,
// where it showed, how its text changes are read, and the recorder's list.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { load, plain } = require('./harness');

const { P } = load({ last: 'toast-model' });
const { kindOfClassList, kindOfWords, placeIn, revision, STORE_LIMIT, openStore, append, since, LEAVING } = P.toastModel;

test('component libraries\' type classes give the kind', () => {
  assert.equal(kindOfClassList('el-message el-message--success'), 'success');
  assert.equal(kindOfClassList('ant-message-notice ant-message-error'), 'error');
  assert.equal(kindOfClassList('anticon anticon-close-circle'), 'error');
  assert.equal(kindOfClassList('MuiAlert-root MuiAlert-filledWarning'), 'warning');
  assert.equal(kindOfClassList('tiny-notify tiny-notify--info'), 'info');
  assert.equal(kindOfClassList('Toastify__toast--error'), 'error');
  assert.equal(kindOfClassList('icon-circle-check-filled'), 'success');
});

test('a kind word inside a longer class word does not count', () => {
  assert.equal(kindOfClassList('terrorist informal successor'), null);
  assert.equal(kindOfClassList('ErrorBoundary'), null);
  assert.equal(kindOfClassList('errorless'), null);
});

test('the first class token that names a kind decides', () => {
  assert.equal(kindOfClassList('el-message el-message--error is-success'), 'error');
  assert.equal(kindOfClassList('is-success el-message--error'), 'success');
});

test('no class attribute says nothing', () => {
  assert.equal(kindOfClassList(''), null);
  assert.equal(kindOfClassList(null), null);
});

test('the words of a toast give its kind, an error word before a success word', () => {
  assert.equal(kindOfWords('Could not create the tracker'), 'error');
  assert.equal(kindOfWords('Tracker created, but 1 bucket failed'), 'error');
  assert.equal(kindOfWords("You can't do that"), 'error');
  assert.equal(kindOfWords('Warning: the quota is nearly used'), 'warning');
  assert.equal(kindOfWords('Saved successfully'), 'success');
  assert.equal(kindOfWords('Tracker mtd-1 is ready'), null);
});

test('kind words are whole words', () => {
  assert.equal(kindOfWords('An unfailing service'), null);
  assert.equal(kindOfWords('Errorless run'), null);
});

test('where a toast showed is its box\'s centre as fractions of the viewport', () => {
  assert.deepEqual(plain(placeIn({ left: 1000, top: 20, width: 200, height: 40 }, 1280, 800)), { x: 1100 / 1280, y: 40 / 800 });
});

test('a toast that slides in from beyond an edge is placed at that edge', () => {
  assert.deepEqual(plain(placeIn({ left: 1300, top: -100, width: 200, height: 40 }, 1280, 800)), { x: 1, y: 0 });
});

test('an empty box or viewport has no place', () => {
  assert.equal(placeIn({ left: 0, top: 0, width: 0, height: 40 }, 1280, 800), null);
  assert.equal(placeIn({ left: 0, top: 0, width: 10, height: 10 }, 0, 800), null);
});

test('a toast\'s changed text is the same toast, filled in, emptied or a new message', () => {
  const entry = { text: 'Tracker created' };
  assert.equal(revision(entry, 'Tracker created'), 'same');
  assert.equal(revision(entry, 'Tracker created mtd-1 is ready'), 'grown');
  assert.equal(revision(entry, ''), 'emptied');
  assert.equal(revision(entry, 'Bucket deleted'), 'new');
  assert.equal(revision(undefined, 'Bucket deleted'), 'new');
  assert.equal(revision(undefined, ''), 'emptied');
  // Emptied earlier (the entry is null): what shows next is a new announcement.
  assert.equal(revision(null, 'Tracker created'), 'new');
});

test('a saved store is kept; anything else starts a fresh one', () => {
  const saved = { id: 'abc', seq: 3, items: [{ seq: 3, text: 'x' }] };
  assert.equal(openStore(saved), saved);
  for (const garbage of [null, 5, 'x', { items: 'x' }, {}]) {
    const store = openStore(garbage);
    assert.deepEqual(plain({ seq: store.seq, items: store.items }), { seq: 0, items: [] });
    assert.match(store.id, /^[0-9a-z]+$/);
  }
  assert.notEqual(openStore(null).id, openStore(null).id);
});

test('entries are numbered in order and only the most recent are kept', () => {
  const store = openStore(null);
  const first = append(store, { text: 'a', kind: 'info' });
  assert.deepEqual(plain(first), { seq: 1, text: 'a', kind: 'info' });
  for (let i = 0; i < STORE_LIMIT + 9; i++) append(store, { text: `t${i}` });
  assert.equal(store.items.length, STORE_LIMIT);
  assert.equal(store.seq, STORE_LIMIT + 10);
  assert.equal(store.items[0].seq, 11);
  assert.equal(store.items[STORE_LIMIT - 1].seq, STORE_LIMIT + 10);
});

test('the entries after the caller\'s cursor for this store, and all of them without one', () => {
  const store = openStore({ id: 'mine', seq: 0, items: [] });
  for (const text of ['a', 'b', 'c']) append(store, { text });
  assert.deepEqual(plain(since(store, { mine: 1 }).map((t) => t.text)), ['b', 'c']);
  assert.deepEqual(plain(since(store, { other: 2 }).map((t) => t.text)), ['a', 'b', 'c']);
  assert.equal(since(store, undefined).length, 3);
  assert.equal(since(store, { mine: 3 }).length, 0);
});

test('leaving classes of component libraries\' transitions are recognised', () => {
  for (const cls of ['el-message-fade-leave-active', 'ant-move-up-leave', 'fade-out', 'v-snack-transition-exiting', 'is-hiding', 'toast-closing']) {
    assert.ok(LEAVING.test(cls), cls);
  }
  for (const cls of ['el-message--success', 'ant-move-up-enter', 'fade-in']) assert.ok(!LEAVING.test(cls), cls);
});
