// Tests of text.js and match.js: normalising text as a reader sees it,
// and the runbook's exact, contained and regex matchers.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { load } = require('./harness');

const { P } = load({ last: 'match' });
const { norm, short, labelText } = P.text;
const { InvalidTarget, compile, matches } = P.match;

test('norm folds runs of white space, non-breaking and zero-width spaces into one space', () => {
  assert.equal(norm('  Create\n\t tracker\u00a0\u00a0now\u200b '), 'Create tracker now');
  assert.equal(norm('a\u200bb'), 'a b');
});

test('norm of nothing is the empty string', () => {
  assert.equal(norm(null), '');
  assert.equal(norm(undefined), '');
  assert.equal(norm(' \n '), '');
});

test('short keeps short text and cuts long text to n characters with an ellipsis', () => {
  assert.equal(short('Save', 10), 'Save');
  assert.equal(short('abcdefghij', 10), 'abcdefghij');
  assert.equal(short('abcdefghijk', 10), 'abcdefghi…');
  assert.equal(short('x'.repeat(61)).length, 60);
});

test('labelText drops a required mark and a trailing colon or star', () => {
  assert.equal(labelText('* Name:'), 'Name');
  assert.equal(labelText('*Name'), 'Name');
  assert.equal(labelText('Tracker name ：'), 'Tracker name');
  assert.equal(labelText('Region *'), 'Region');
  assert.equal(labelText(' Bucket\u00a0name :* '), 'Bucket name');
});

test('labelText keeps colons and stars inside the text', () => {
  assert.equal(labelText('Ratio 1:2'), 'Ratio 1:2');
  assert.equal(labelText('a*b'), 'a*b');
});

test('an exact matcher compares the normalised text', () => {
  const m = { kind: 'exact', value: 'Create Tracker' };
  assert.equal(matches(m, '  Create\n Tracker '), true);
  assert.equal(matches(m, 'Create Tracker now'), false);
  assert.equal(matches(m, 'create tracker'), false);
});

test('a contains matcher finds the text inside the normalised text', () => {
  const m = { kind: 'contains', value: 'Create Tracker' };
  assert.equal(matches(m, 'Now: Create\u00a0\n Tracker now'), true);
  assert.equal(matches(m, 'create tracker'), false);
});

test('a regex matcher searches the normalised text, unanchored unless the pattern says so', () => {
  assert.equal(matches({ kind: 'regex', value: 'Tracker \\d+' }, 'The  Tracker\n42 is on'), true);
  assert.equal(matches({ kind: 'regex', value: '^Tracker$' }, 'The Tracker'), false);
});

test('a leading (?i) or (?is) becomes the regular expression flags', () => {
  const m = compile({ kind: 'regex', value: '(?i)^create' });
  assert.equal(m.re.flags, 'i');
  assert.equal(m.re.source, '^create');
  assert.equal(matches(m, 'CREATE tracker'), true);
  assert.equal(compile({ kind: 'regex', value: '(?is)a.b' }).re.flags, 'is');
});

test('a regex is compiled once and kept on the matcher', () => {
  const m = { kind: 'regex', value: 'x+' };
  matches(m, 'xx');
  const re = m.re;
  matches(m, 'yy');
  assert.equal(m.re, re);
});

test('a regex the browser rejects is an invalid target, said with the pattern', () => {
  assert.throws(() => matches({ kind: 'regex', value: '(unclosed' }, 'x'), (e) => {
    assert.ok(e instanceof InvalidTarget);
    assert.equal(e.message, '/(unclosed/ is not a regular expression the browser accepts');
    return true;
  });
});

test('exact and contains matchers pass through compile unchanged; an unknown kind matches nothing', () => {
  const m = { kind: 'exact', value: 'a' };
  assert.equal(compile(m), m);
  assert.equal(m.re, undefined);
  assert.equal(matches({ kind: 'fuzzy', value: 'a' }, 'a'), false);
});
