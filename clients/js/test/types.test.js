// types/df.d.ts types the opts of every built-in browser signal (SwitchboardBrowserSignals, docs/typescript.md): a
// built-in added to the client without its type would leave it untyped. tsc itself runs in
// tests/browser/typescript.test.mjs.
import test from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { setup } from '../testing/fakes.js';

const dts = readFileSync(new URL('../types/df.d.ts', import.meta.url), 'utf8');

test('every built-in browser signal has its opts type in SwitchboardBrowserSignals', () => {
  const { client } = setup({ autoConnect: false });
  const start = dts.indexOf('  interface SwitchboardBrowserSignals {');
  assert.ok(start >= 0, 'df.d.ts declares SwitchboardBrowserSignals');
  const body = dts.slice(start, dts.indexOf('\n  }\n', start));
  const typed = [...body.matchAll(/^ {4}'([\w.]+)': /gm)].map((m) => m[1]);

  for (const name of client.protocol.builtinSignals) assert.ok(typed.includes(name), `${name} is typed`);
  assert.deepEqual(typed.filter((n) => !client.protocol.builtinSignals.includes(n)).sort(), ['df.resync', 'switchboard.presence']);
});
