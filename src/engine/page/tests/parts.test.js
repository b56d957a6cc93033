// Tests of how the helper is put together: probe.rs joins every part in
// the folder; each part parses alone, takes from the namespace only what
// earlier parts registered, and uses no other part's name without taking
// it (which a browser would only report when that line runs).
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const vm = require('node:vm');
const { PAGE_DIR, partOrder, sourceOf, load } = require('./harness');
const { makeWindow } = require('./fake-dom');

// The code of a part with its comments, strings, the text of its template
// literals and its regular expression literals blanked out: what is left
// are names and punctuation.
const codeOf = (src) => {
  let out = '';
  let last = ''; // the last character of code, to tell a regex from a division
  let i = 0;
  const skipString = (quote) => {
    for (i++; i < src.length && src[i] !== quote; i++) if (src[i] === '\\') i++;
    i++;
  };
  const template = () => {
    let parts = ' ';
    for (i++; i < src.length && src[i] !== '`'; i++) {
      if (src[i] === '\\') { i++; continue; }
      if (src[i] === '$' && src[i + 1] === '{') {
        let depth = 1, j = i + 2;
        for (; j < src.length && depth; j++) {
          if (src[j] === '{') depth++;
          else if (src[j] === '}') depth--;
        }
        parts += ` ${codeOf(src.slice(i + 2, j - 1))} `;
        i = j - 1;
      }
    }
    i++;
    return parts;
  };
  while (i < src.length) {
    const c = src[i], d = src[i + 1];
    if (c === '/' && d === '/') { while (i < src.length && src[i] !== '\n') i++; continue; }
    if (c === '/' && d === '*') { i = src.indexOf('*/', i + 2) + 2; continue; }
    if (c === "'" || c === '"') { skipString(c); out += ' "" '; last = '"'; continue; }
    if (c === '`') { out += template(); last = '`'; continue; }
    if (c === '/' && (last === '' || '(,=:[!&|?{};'.includes(last))) {
      let inClass = false;
      for (i++; i < src.length; i++) {
        if (src[i] === '\\') { i++; continue; }
        if (src[i] === '[') inClass = true;
        else if (src[i] === ']') inClass = false;
        else if (src[i] === '/' && !inClass) break;
      }
      for (i++; /[a-z]/.test(src[i] || ''); i++);
      out += ' /re/ ';
      last = '/';
      continue;
    }
    out += c;
    if (!/\s/.test(c)) last = c;
    i++;
  }
  return out;
};

// What a part takes: `const { a, b } = P.part;`.
const takes = (code) => {
  const out = [];
  for (const m of code.matchAll(/const\s*\{([^}]*)\}\s*=\s*P\.(\w+)\s*;/g)) {
    for (const name of m[1].split(',').map((s) => s.trim()).filter(Boolean)) out.push({ part: m[2], name });
  }
  return out;
};
// What a part registers: `P.part = { a, b };` (shorthand names only).
const registers = (code) => {
  const m = /P\.(\w+)\s*=\s*\{([^}]*)\}\s*;/.exec(code);
  return m ? { part: m[1], names: m[2].split(',').map((s) => s.trim()).filter(Boolean) } : null;
};
// Every name a part declares anywhere (its own, its locals and parameters).
const declared = (code) => {
  const names = new Set();
  const add = (list) => list.split(',').map((s) => s.replace(/=.*$/s, '').replace(/^\.\.\./, '').trim()).filter((s) => /^\w+$/.test(s)).forEach((s) => names.add(s));
  for (const m of code.matchAll(/\b(?:const|let|var|function|class)\s+(\w+)/g)) names.add(m[1]);
  for (const m of code.matchAll(/\b(?:const|let|var)\s*[{[]([^}\]]*)[}\]]/g)) add(m[1]);
  for (const m of code.matchAll(/\(([^()]*)\)\s*=>/g)) add(m[1].replace(/[{}[\]]/g, ','));
  for (const m of code.matchAll(/(\w+)\s*=>/g)) names.add(m[1]);
  for (const m of code.matchAll(/function\s*\w*\s*\(([^)]*)\)/g)) add(m[1]);
  for (const m of code.matchAll(/catch\s*\((\w+)\)/g)) names.add(m[1]);
  for (const m of code.matchAll(/^\s*(?:async\s+)?(\w+)\s*\(([^)]*)\)\s*\{/gm)) add(m[2]);
  return names;
};
// Names used as values: not a property (`x.name`) or an object key (`{ name: … }`).
const used = (source) => {
  const code = source.replace(/\.\.\./g, ' '); // a spread is not a property access
  const names = new Set();
  for (const m of code.matchAll(/(?<![.\w$])([A-Za-z_$][\w$]*)(?!\s*:(?!:))/g)) names.add(m[1]);
  for (const m of code.matchAll(/(?<![.\w$])([A-Za-z_$][\w$]*)\s*:/g)) {
    const before = code.slice(0, m.index).trimEnd().slice(-1);
    if (before !== '{' && before !== ',') names.add(m[1]);
  }
  return names;
};

const files = partOrder();
const info = files.map((file) => {
  const code = codeOf(sourceOf(file));
  return { file, code, takes: takes(code), registers: registers(code) };
});

test('probe.rs joins every part in the folder, each once', () => {
  const inFolder = fs.readdirSync(PAGE_DIR).filter((f) => f.endsWith('.js')).sort();
  assert.deepEqual([...files].sort(), inFolder);
  assert.equal(new Set(files).size, files.length);
  assert.equal(files[0], 'text.js');
  assert.equal(files[files.length - 1], 'api.js');
});

test('every part parses alone and is one function run once', () => {
  for (const file of files) {
    const src = sourceOf(file);
    assert.doesNotThrow(() => new vm.Script(src, { filename: file }), file);
    assert.match(src, /^(\/\/.*\n)+\(\(\) => \{\n/, `${file} opens with its comment and its function`);
    assert.match(src, /\n\}\)\(\);\n$/, `${file} ends by running its function`);
  }
});

test('every part but the last registers what it offers under its own name', () => {
  const names = info.slice(0, -1).map((p) => p.registers && p.registers.part);
  assert.equal(new Set(names).size, names.length);
  for (const p of info.slice(0, -1)) assert.ok(p.registers, `${p.file} registers nothing`);
  assert.equal(info[info.length - 1].registers, null);
});

test('each part takes only what the parts before it registered', () => {
  const win = makeWindow('');
  const context = vm.createContext(win);
  for (const p of info) {
    const before = win.__docentParts;
    for (const { part, name } of p.takes) {
      assert.ok(before && before[part], `${p.file} takes from ${part}, which no earlier part registered`);
      assert.ok(name in before[part], `${p.file} takes ${name}, which ${part} does not offer`);
      assert.notEqual(before[part][name], undefined, `${p.file} takes ${part}.${name}, which is undefined`);
    }
    vm.runInContext(sourceOf(p.file), context, { filename: p.file });
  }
  assert.equal(typeof win.__docent, 'object');
});

test('no part uses a name of another part without taking it', () => {
  const offeredBy = new Map();
  for (const p of info) if (p.registers) for (const name of p.registers.names) offeredBy.set(name, p.registers.part);
  const problems = [];
  for (const p of info) {
    const own = declared(p.code);
    const taken = new Set(p.takes.map((t) => t.name));
    for (const name of used(p.code)) {
      const from = offeredBy.get(name);
      if (from && (!p.registers || from !== p.registers.part) && !taken.has(name) && !own.has(name)) {
        problems.push(`${p.file} uses ${name} of ${from} without taking it`);
      }
    }
  }
  assert.deepEqual(problems, []);
});

test('every name a part takes is used', () => {
  const problems = [];
  for (const p of info) {
    const body = p.code.replace(/const\s*\{[^}]*\}\s*=\s*P\.\w+\s*;/g, '');
    const names = used(body);
    for (const { part, name } of p.takes) if (!names.has(name)) problems.push(`${p.file} takes ${part}.${name} and never uses it`);
  }
  assert.deepEqual(problems, []);
});

test('the checks above see what they look for', () => {
  // A part that calls another part's function without taking it, seen by the name check.
  const code = codeOf("(() => {\n  const { norm } = P.text; // takes norm\n  const s = '/x/'; const re = /readText/;\n  P.x = { f: () => readText(norm(s)) };\n})();\n");
  assert.deepEqual(takes(code), [{ part: 'text', name: 'norm' }]);
  assert.ok(used(code).has('readText'));
  assert.ok(!declared(code).has('readText'));
  assert.ok(!used(codeOf("const a = 'readText'; // readText\n")).has('readText'));
  assert.ok(!used(codeOf('const a = { readText: 1 }; b.readText();')).has('readText'));
  assert.ok(used(codeOf('const a = `${readText(el)}`;')).has('readText'));
  assert.ok(used(codeOf('const a = ok ? readText : b;')).has('readText'));
  assert.ok(used(codeOf('const a = [x, ...readText(el)];')).has('readText'));
});

test('a part does nothing in a document that already has the helper', () => {
  for (const file of files) {
    const win = makeWindow('');
    win.__docent = { version: 'page', document: win.document };
    const before = Object.keys(win).sort();
    const nativeAttach = win.Element.prototype.attachShadow;
    vm.runInContext(sourceOf(file), vm.createContext(win), { filename: file });
    assert.deepEqual(Object.keys(win).sort(), before, file);
    assert.equal(win.Element.prototype.attachShadow, nativeAttach, file);
    assert.deepEqual(win.__docent, { version: 'page', document: win.document }, file);
  }
});

test('the whole helper loads from the parts', () => {
  assert.equal(typeof load().win.__docent.probe, 'function');
});
