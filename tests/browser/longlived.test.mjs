// End-to-end: a page open longer than its window token's lifetime still reconnects. The demo runs with a 4 s
// WindowTokenLifetime; the server sends the connected page new tokens (`token` frames, protocol.md §3), and after
// the page's original token has expired, a dropped socket reconnects with the newest one instead of ending with 4001.
//
// As in reconnect.test.mjs, an init script (test instrumentation only) records the page's WebSockets, what df sends
// on them and the `token` frames it receives.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { TIMEOUT, startEnvironment, waitConnected, echoRoundTrip, unique, withDiagnostics, closeAfter } from './support/browser.mjs';

const LIFETIME_MS = 4000;

let env;
before(async () => { env = await startEnvironment({ demoArgs: ['--Switchboard:WindowTokenLifetime=00:00:04'] }); });
after(async () => { if (env) await env.close(); });

/** Runs in the page before its scripts: window.__sockets, window.__sent (frames df sent, parsed), window.__tokens ({socket, token, expires}). */
function recordSockets() {
  const Native = window.WebSocket;
  const sockets = [];
  const sent = [];
  const tokens = [];
  Object.defineProperty(window, '__sockets', { value: sockets });
  Object.defineProperty(window, '__sent', { value: sent });
  Object.defineProperty(window, '__tokens', { value: tokens });
  window.WebSocket = class extends Native {
    constructor(...args) {
      super(...args);
      sockets.push(this);
      const socket = sockets.length - 1;
      this.addEventListener('message', (event) => {
        const frame = JSON.parse(event.data);
        if (frame.type === 'token') tokens.push({ socket, ...frame });
      });
    }
    send(data) {
      sent.push(JSON.parse(data));
      super.send(data);
    }
  };
}

test('a page open past its token lifetime reconnects with the token the server renewed', withDiagnostics(() => env, async (t) => {
  const [context] = closeAfter(t, await env.newContext());
  await context.addInitScript(recordSockets);
  const page = await context.newPage();
  const loaded = Date.now();
  await page.goto('/');
  await waitConnected(page);
  const original = await page.evaluate(() => JSON.parse(document.getElementById('switchboard-init').textContent).token);
  assert.equal(await page.evaluate(() => window.__sent[0].token), original);

  // Renewed while connected, before the original expires (it is valid until at most `loaded` + 4 s).
  await page.waitForFunction(() => window.__tokens.length >= 1, null, { timeout: TIMEOUT, polling: 50 });
  const first = await page.evaluate(() => window.__tokens[0]);
  assert.notEqual(first.token, original);
  assert.ok(first.expires > loaded + LIFETIME_MS, `the new token outlives the original (expires ${first.expires - loaded} ms after load)`);

  // Past the original token's expiry, the socket drops (as a network cut would): df reconnects with the newest token.
  await page.waitForFunction((until) => Date.now() > until, loaded + LIFETIME_MS + 500, { timeout: TIMEOUT, polling: 100 });
  const closes = [];
  await page.exposeFunction('__closed', (c) => closes.push(c));
  await page.evaluate(() => { df.onclose((c) => window.__closed(c)); window.__sockets[window.__sockets.length - 1].close(); });
  await page.waitForFunction(() => window.__sockets.length === 2 && document.querySelector('#status')?.textContent === 'connected',
    null, { timeout: TIMEOUT, polling: 50 });
  // Everything the first socket received came before its close event, which started the reconnect.
  const [connect, tokens] = await page.evaluate(() => [window.__sent.filter((f) => f.type === 'connect').at(-1),
    window.__tokens.filter((f) => f.socket === 0).map((f) => f.token)]);
  assert.equal(connect.token, tokens.at(-1));
  assert.notEqual(connect.token, original);
  assert.ok(closes.every((c) => !c.terminal), `no terminal close: ${JSON.stringify(closes)}`);
  await echoRoundTrip(page, unique('after-renewal'));
}));
