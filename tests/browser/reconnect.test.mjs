// End-to-end: the client reconnects after its WebSocket goes away, keeps its window, and sends the calls
// made while it was away once it is back.
//
// How the socket goes away: Playwright's context.setOffline(true) does not touch an open WebSocket to
// 127.0.0.1 in Chromium (checked: the page stays `connected`), and `df` does not expose its socket. So an
// init script (test instrumentation only, the demo is unchanged) records every WebSocket the page creates,
// and the test either makes the server close df's socket (a frame larger than MaxFrameBytes: the server
// closes with 1009, "reconnect" in protocol.md §5) or closes it from the page, as a network drop would.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  TIMEOUT, startEnvironment, click, openConnected, waitConnected, items, waitForItem, echoRoundTrip, unique, withDiagnostics, closeAfter
} from './support/browser.mjs';

let env;
before(async () => { env = await startEnvironment(); });
after(async () => { if (env) await env.close(); });

/** Runs in the page before its scripts: remembers every WebSocket in window.__sockets. */
function recordSockets() {
  const Native = window.WebSocket;
  const sockets = [];
  Object.defineProperty(window, '__sockets', { value: sockets });
  window.WebSocket = class extends Native {
    constructor(...args) {
      super(...args);
      sockets.push(this);
    }
  };
}

async function openInstrumented(t) {
  const [context] = closeAfter(t, await env.newContext());
  await context.addInitScript(recordSockets);
  const page = await context.newPage();
  await page.goto('/');
  await waitConnected(page);
  // Every state change of the client from now on, in order.
  await page.evaluate(() => { window.__states = []; df.onstate((ctx) => window.__states.push(ctx.state)); });
  return { context, page };
}

/**
 * Makes df's current socket go away and resolves, once the client has noticed (state `reconnecting`),
 * with the close code df reported and the number of sockets created so far.
 * how = 'server': send a frame over MaxFrameBytes, the server closes with 1009; 'client': close() it.
 * thenClick: a selector clicked at that moment, while disconnected (a buffered call).
 */
function dropSocket(page, { how, thenClick = null }) {
  return page.evaluate(({ timeout, how, thenClick }) => new Promise((resolve, reject) => {
    const sockets = window.__sockets;
    const current = sockets[sockets.length - 1];
    if (!current || current.readyState !== WebSocket.OPEN) { reject(new Error('no open socket to drop')); return; }
    const timer = setTimeout(() => reject(new Error('the client did not notice the lost socket')), timeout);
    let code = null;
    const offClose = df.onclose((ctx) => { code = ctx.code; }); // df reports the close before its state changes
    const off = df.onstate(({ state }) => {
      if (state !== 'reconnecting') return;
      off();
      offClose();
      clearTimeout(timer);
      // Still disconnected here (the reconnect timer has not fired yet): a click now is a buffered call.
      if (thenClick) document.querySelector(thenClick).click();
      resolve({ code, sockets: sockets.length });
    });
    if (how === 'server') current.send(JSON.stringify({ type: 'ping', padding: 'x'.repeat(70 * 1024) }));
    else current.close();
  }), { timeout: TIMEOUT, how, thenClick });
}

test('after the server closes its socket, the page reconnects, keeps its window and echo works', withDiagnostics(() => env, async (t) => {
  const { context, page } = await openInstrumented(t);
  // Another window of the same browser, to check broadcasts still reach the reconnected one.
  const observer = await openConnected(context, '/');

  const before = unique('before-drop');
  await echoRoundTrip(page, before);
  assert.equal(await page.evaluate(() => window.__sockets.length), 1);

  const dropped = await dropSocket(page, { how: 'server' });
  assert.deepEqual(dropped, { code: 1009, sockets: 1 }, 'closed by the server with 1009, no new socket yet');
  await waitConnected(page);
  assert.deepEqual(await page.evaluate(() => window.__states), ['reconnecting', 'connected']);
  assert.equal(await page.evaluate(() => window.__sockets.length), 2, 'one new socket');

  // Same window (same token, so the same WINDOW topic): the echo finds its way back.
  const afterText = unique('after-drop');
  await echoRoundTrip(page, afterText);
  assert.deepEqual(await items(page, '#echo-log'), [before, afterText]);
  // BROADCAST again too.
  const shout = unique('broadcast-after-drop');
  await observer.fill('#broadcast-text', shout);
  await click(observer, '#broadcast-btn');
  await waitForItem(page, '#broadcast-log', shout);
  await waitForItem(observer, '#broadcast-log', shout);
  assert.deepEqual(await items(page, '#errors'), []);
}));

test('after the page loses its socket, a call made while reconnecting is sent once it is back', withDiagnostics(() => env, async (t) => {
  const { page } = await openInstrumented(t);
  const text = unique('buffered');
  await page.fill('#echo-text', text);

  await dropSocket(page, { how: 'client', thenClick: '#echo-btn' });
  await waitForItem(page, '#echo-log', text);
  assert.equal(await page.textContent('#status'), 'connected');
  assert.equal(await page.evaluate(() => window.__sockets.length), 2);
  assert.deepEqual(await items(page, '#echo-log'), [text]);
  assert.deepEqual(await items(page, '#errors'), [], 'the buffered call was not rejected');
}));
