// End-to-end: remote functions from a real page (df.invoke, df.fn) to the demo's demo.add, demo.fail and demo.me
// ([Authorize]), and the home page's calculator. One demo process and one Chromium for the whole file (see support/).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startEnvironment, click, openConnected, waitForText, items, withDiagnostics, closeAfter } from './support/browser.mjs';

let env;
before(async () => { env = await startEnvironment(); });
after(async () => { if (env) await env.close(); });

test('the calculator adds through df.invoke and through df.fn.demo.add', withDiagnostics(() => env, async (t) => {
  const [context] = closeAfter(t, await env.newContext());
  const page = await openConnected(context, '/');

  await page.fill('#calc-a', '2');
  await page.fill('#calc-b', '3');
  await click(page, '#calc-btn');
  await waitForText(page, '#calc-result', '5');

  await page.fill('#calc-a', '1.5');
  await page.fill('#calc-b', '2.25');
  await click(page, '#calc-fn-btn');
  await waitForText(page, '#calc-result', '3.75');
  assert.deepEqual(await items(page, '#errors'), []);
}));

test('df.invoke and df.fn resolve with the return value; hello lists the functions', withDiagnostics(() => env, async (t) => {
  const [context] = closeAfter(t, await env.newContext());
  const page = await openConnected(context, '/');

  const results = await page.evaluate(async () => {
    const [viaInvoke, viaProxy, concurrent] = await Promise.all([
      df.invoke('demo.add', { a: 20, b: 22 }),
      df.fn.demo.add({ a: -1, b: 0.5 }),
      Promise.all([1, 2, 3, 4, 5].map((n) => df.fn.demo.add({ a: n, b: n }, { timeout: 10000 })))
    ]);
    return { viaInvoke, viaProxy, concurrent };
  });

  assert.deepEqual(results, { viaInvoke: 42, viaProxy: -0.5, concurrent: [2, 4, 6, 8, 10] });
}));

test('demo.fail rejects with handler_failed and the SignalException message', withDiagnostics(() => env, async (t) => {
  const [context] = closeAfter(t, await env.newContext());
  const page = await openConnected(context, '/');

  const failure = await page.evaluate(() => df.fn.demo.fail().then(
    (value) => ({ resolved: value }),
    (err) => ({ name: err.name, code: err.code, message: err.message, signal: err.signal })));
  assert.deepEqual(failure, { name: 'SignalError', code: 'handler_failed', message: 'nope', signal: 'demo.fail' });

  await click(page, '#fail-btn');
  await waitForText(page, '#calc-result', 'error: handler_failed (nope)');
  // A function's failure is its result, not a call error: nothing reaches df.onerror.
  assert.deepEqual(await items(page, '#errors'), []);
}));

test('a signal is not a function: invoking demo.echo rejects, and the page keeps working', withDiagnostics(() => env, async (t) => {
  const [context] = closeAfter(t, await env.newContext());
  const page = await openConnected(context, '/');

  const refused = await page.evaluate(() => df.invoke('demo.echo', { text: 'x' }).then(() => null, (err) => err.code));
  assert.equal(refused, 'forbidden'); // not in hello.functions: the client refuses it without a round trip

  await click(page, '#calc-btn');
  await waitForText(page, '#calc-result', '5');
}));

test('demo.me has [Authorize]: an anonymous window is refused, a signed-in one gets its name', withDiagnostics(() => env, async (t) => {
  const [anonymous, member] = closeAfter(t, await env.newContext(), await env.newContext());
  const stranger = await openConnected(anonymous, '/');
  const alice = await openConnected(member, '/login?name=alice');

  // Not in the anonymous window's hello.functions (the server evaluated the attribute), so refused.
  const refused = await stranger.evaluate(() => df.invoke('demo.me').then(() => null, (err) => err.code));
  assert.equal(refused, 'forbidden');
  assert.equal(await alice.evaluate(() => df.fn.demo.me()), 'alice');
}));
