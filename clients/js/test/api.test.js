// The public surface: what a client and the Switchboard namespace expose, and that types/df.d.ts
// documents each member (the .d.ts is hand-written; this catches a member added on one side only).
import test from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { setup } from '../testing/fakes.js';

const dts = readFileSync(new URL('../types/df.d.ts', import.meta.url), 'utf8');
const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

const CLIENT_MEMBERS = ['call', 'close', 'connect', 'disconnect', 'fetch', 'fn', 'invoke', 'onclose', 'onerror', 'onreconnect',
  'onstate', 'options', 'positions', 'protocol', 'ready', 'start', 'state', 'windowHeaders'];

function interfaceBody(name) {
  const start = dts.indexOf(`export interface ${name} `);
  assert.ok(start >= 0, `df.d.ts declares ${name}`);
  return dts.slice(start, dts.indexOf('\n}\n', start));
}

test('a client exposes exactly the documented members', () => {
  const { client } = setup({ autoConnect: false });
  assert.deepEqual(Object.keys(client).sort(), CLIENT_MEMBERS);
  const body = interfaceBody('SwitchboardClient');
  for (const member of CLIENT_MEMBERS) assert.match(body, new RegExp(`\\n  (readonly )?${member}[<(:]`), member);
});

test('options and createClient options are all typed', () => {
  const { client } = setup({ autoConnect: false });
  const body = interfaceBody('SwitchboardOptions');
  for (const key of Object.keys(client.options)) assert.match(body, new RegExp(`\\n  ${key}: number;`), key);
  const create = interfaceBody('CreateClientOptions');
  for (const key of ['url', 'token', 'WebSocket', 'setTimeout', 'clearTimeout', 'random', 'now', 'logger', 'document', 'builtins', 'autoConnect', 'accessTokenFactory', 'fetch']) {
    assert.match(create, new RegExp(`\\n  ${key}\\?:`), key);
  }
});

test('the Switchboard namespace and the package entry points', () => {
  assert.deepEqual(Object.keys(globalThis.Switchboard).sort(), ['SignalError', 'createClient', 'protocol', 'registerBuiltins']);
  assert.ok(Object.isFrozen(globalThis.Switchboard));
  assert.match(interfaceBody('SwitchboardNamespace'), /\n  readonly registerBuiltins: typeof registerBuiltins;/);
  assert.equal(pkg.name, '@switchboard-aspnet/client');
  assert.equal(pkg.type, 'module');
  assert.equal(pkg.types, './types/df.d.ts');
  assert.equal(pkg.exports['.'].default, './src/df.mjs');
  // ./df.js (the served name) and ./df-builtins.js stay importable: both are the module entry, every part.
  assert.equal(pkg.exports['./df.js'].default, './src/df.mjs');
  assert.equal(pkg.exports['./df-builtins.js'].default, './src/df.mjs');
  // dist/ is built by `npm pack` (prepack): test/package.test.js checks it in the packed package.
  const targets = Object.values(pkg.exports).flatMap((t) => (typeof t === 'string' ? [t] : Object.values(t)));
  for (const target of targets.filter((t) => !t.startsWith('./dist/'))) {
    assert.ok(existsSync(new URL('../' + target, import.meta.url)), target);
  }
  assert.equal(pkg.dependencies, undefined);
  assert.equal(pkg.scripts.test, 'node --test test/');
});
