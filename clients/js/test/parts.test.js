// The client is split into classic-script parts (src/parts.json) that the server concatenates into
// /switchboard/df.js and src/df.mjs imports one by one. These tests guard what the split can break: the two
// lists of parts, the parts staying classic scripts, the internal namespace staying internal, both entry points
// publishing the same surface, and the guard that keeps the first copy when the client is loaded twice.
import test from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import vm from 'node:vm';
import { PART_NAMES, DF_SOURCE, parts, loadPage, fakeDocument, addInitElement } from '../testing/fakes.js';

const KEY = Symbol.for('switchboard.parts');
const src = (name) => readFileSync(new URL('../src/' + name, import.meta.url), 'utf8');

/** A fresh global (no DOM unless given) that ran `source` as a classic script. */
function run(source, globals = {}) {
  const sandbox = { URL, console, setTimeout, clearTimeout, ...globals };
  vm.createContext(sandbox);
  vm.runInContext(source, sandbox);
  return sandbox;
}

test('parts.json lists every script of src/ once, the namespace first and the page boot last', () => {
  const scripts = readdirSync(new URL('../src/', import.meta.url)).filter((f) => f.endsWith('.js'));
  assert.deepEqual([...PART_NAMES].sort(), scripts.sort());
  assert.equal(new Set(PART_NAMES).size, PART_NAMES.length);
  assert.equal(PART_NAMES[0], 'df-namespace.js');
  assert.equal(PART_NAMES.at(-1), 'df-boot.js');
});

test('df.mjs imports exactly the parts of parts.json, in the same order', () => {
  const imports = [...src('df.mjs').matchAll(/^import\s+['"]\.\/([^'"]+)['"];?\s*$/gm)].map((m) => m[1]);
  assert.deepEqual(imports, PART_NAMES);
  assert.doesNotMatch(src('df.mjs'), /\bimport\b[^'"\n]*\bfrom\b/); // nothing imported but the parts
});

test('every part is a classic script, and does nothing without an open namespace', () => {
  for (const name of PART_NAMES) {
    assert.doesNotThrow(() => new vm.Script(src(name), { filename: name }), name); // import/export would not compile
    if (name === 'df-namespace.js') continue;
    const alone = run(src(name));
    assert.deepEqual(Object.getOwnPropertySymbols(alone), [], name);
    assert.equal(alone.Switchboard, undefined, name);
  }
});

test('the internal namespace is hidden, complete and frozen once loaded', () => {
  const descriptor = Object.getOwnPropertyDescriptor(globalThis, KEY);
  assert.equal(descriptor.enumerable, false);
  assert.equal(descriptor.writable, false);
  assert.ok(Object.isFrozen(parts));
  for (const [name, value] of Object.entries(parts)) assert.notEqual(value, undefined, name);
  assert.equal(parts.createClient, globalThis.Switchboard.createClient);
  assert.equal(parts.registerBuiltins, globalThis.Switchboard.registerBuiltins);
});

test('the served script and the ES module publish the same surface', () => {
  const served = run(DF_SOURCE);
  assert.deepEqual([...Object.keys(served.Switchboard)], Object.keys(globalThis.Switchboard));
  assert.ok(Object.isFrozen(served.Switchboard));
  assert.deepEqual(JSON.parse(JSON.stringify(served.Switchboard.protocol)), JSON.parse(JSON.stringify(globalThis.Switchboard.protocol)));
  assert.equal(served.df, undefined); // no DOM, no default client, as in node
  const names = served.Switchboard.registerBuiltins(served.Switchboard.createClient({ autoConnect: false, builtins: false }), null);
  assert.deepEqual([...names], [...globalThis.Switchboard.protocol.builtinSignals]);
});

test('loaded twice, part by part after the served script (a page with both <script> and the module), the first copy stays', () => {
  const document = fakeDocument();
  addInitElement(document);
  const page = loadPage({ document });
  const { df, Switchboard } = page.global;
  const namespace = page.global[KEY];
  for (const name of PART_NAMES) vm.runInContext(src(name), page.global, { filename: name });
  assert.equal(page.global.df, df);
  assert.equal(page.global.Switchboard, Switchboard);
  assert.equal(page.global[KEY], namespace);
  assert.equal(page.ws.sockets.length, 1);
});

test('after an older single-file df.js (a Switchboard already published), the parts do nothing', () => {
  const older = Object.freeze({ protocol: { version: 1 } });
  const sandbox = run(DF_SOURCE, { Switchboard: older });
  assert.equal(sandbox.Switchboard, older);
  assert.equal(sandbox[KEY], undefined);
});
