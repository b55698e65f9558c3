// End-to-end: calls from a real page to the demo's server handlers, and what comes back.
// One demo process and one Chromium for the whole file (see support/).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  TIMEOUT, startEnvironment, click, openConnected, waitConnected, waitForText, items, waitForItem, echoRoundTrip, unique, withDiagnostics, closeAfter
} from './support/browser.mjs';

let env;
before(async () => { env = await startEnvironment(); });
after(async () => { if (env) await env.close(); });

test('the home page connects and demo.echo comes back to the window', withDiagnostics(() => env, async (t) => {
  const [context] = closeAfter(t, await env.newContext());
  const page = await context.newPage();

  const response = await page.goto('/');
  assert.equal(response.status(), 200);
  // The page's own script and the client script are static files served by the demo.
  const demoJs = await page.request.get('/demo.js');
  assert.equal(demoJs.status(), 200, 'GET /demo.js');
  await waitConnected(page);

  const text = unique('echo');
  await echoRoundTrip(page, text); // call → server handler on a worker → WINDOW topic → this page
  assert.deepEqual(await items(page, '#echo-log'), [text]);
  assert.deepEqual(await items(page, '#errors'), []);
}));

test('two tabs of one browser: echo stays in its window, broadcast reaches both', withDiagnostics(() => env, async (t) => {
  const [context] = closeAfter(t, await env.newContext());
  const pageA = await openConnected(context, '/');
  const pageB = await openConnected(context, '/');

  const fromA = unique('window-a');
  await echoRoundTrip(pageA, fromA);
  // B's own round trip starts after A got its echo: had A's echo been sent to B too, it would be there by now.
  const fromB = unique('window-b');
  await echoRoundTrip(pageB, fromB);
  assert.deepEqual(await items(pageB, '#echo-log'), [fromB], 'B sees only its own echo');
  assert.deepEqual(await items(pageA, '#echo-log'), [fromA], 'A sees only its own echo');

  const shout = unique('broadcast');
  await pageA.fill('#broadcast-text', shout);
  await click(pageA, '#broadcast-btn');
  await waitForItem(pageA, '#broadcast-log', shout);
  await waitForItem(pageB, '#broadcast-log', shout);
  assert.deepEqual(await items(pageA, '#broadcast-log'), [shout]);
  assert.deepEqual(await items(pageB, '#broadcast-log'), [shout]);
}));

test('demo.slow reports progress up to 5/5, then a success notification', withDiagnostics(() => env, async (t) => {
  const [context] = closeAfter(t, await env.newContext());
  const page = await openConnected(context, '/');

  await click(page, '#slow-btn');
  await waitForText(page, '#slow-status', '5/5');
  assert.equal(await page.locator('#slow-progress').evaluate((el) => `${el.value}/${el.max}`), '5/5');
  // The toast disappears after 5 s; it is sent right after the last progress step, so it is caught here.
  const toast = page.locator('.df-notification.df-level-success');
  await toast.first().waitFor({ state: 'attached', timeout: TIMEOUT });
  assert.match(await toast.first().textContent(), /Slow job done \(5 steps\)\./);
  assert.deepEqual(await items(page, '#errors'), []);
}));

test('demo.delayed answers after the echo of a call made right after it', withDiagnostics(() => env, async (t) => {
  const [context] = closeAfter(t, await env.newContext());
  const page = await openConnected(context, '/');
  const delayed = 'delayed (1 s)';

  await page.fill('#delay-seconds', '1');
  await click(page, '#delayed-btn');
  assert.deepEqual(await items(page, '#echo-log'), [], 'nothing right after the click');
  // A call made after the delayed one overtakes it: its echo arrives while the delayed answer still waits.
  const marker = unique('after-delayed');
  await echoRoundTrip(page, marker);
  assert.deepEqual(await items(page, '#echo-log'), [marker], 'the delayed answer is not there before the later echo');

  await waitForItem(page, '#echo-log', delayed);
  assert.deepEqual(await items(page, '#echo-log'), [marker, delayed]);
  assert.deepEqual(await items(page, '#errors'), []);
}));
