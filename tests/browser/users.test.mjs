// End-to-end: topics that depend on the page (chat rooms) and on the signed-in user (USER fan-out,
// permissions). Each browser context is one browser: its cookie is its user, its pages are its tabs.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  TIMEOUT, startEnvironment, click, openConnected, waitConnected, items, waitForItem, echoRoundTrip, unique, withDiagnostics, closeAfter
} from './support/browser.mjs';

let env;
before(async () => { env = await startEnvironment(); });
after(async () => { if (env) await env.close(); });

/** A new browser signed in as `name` (the demo's /login sets the cookie, then redirects to `/`). */
async function signedIn(t, name, { staff = false } = {}) {
  const [context] = closeAfter(t, await env.newContext());
  const page = await openConnected(context, `/login?name=${encodeURIComponent(name)}${staff ? '&staff=true' : ''}`);
  assert.equal(new URL(page.url()).pathname, '/');
  assert.equal(await page.textContent('#user'), name);
  return { context, page };
}

async function postChat(page, text) {
  await page.fill('#chat-text', text);
  await click(page, '#chat-send');
}

test('chat: a post reaches every page of its room and no other room', withDiagnostics(() => env, async (t) => {
  const [context] = closeAfter(t, await env.newContext());
  const lobby1 = await openConnected(context, '/chat/lobby');
  const lobby2 = await openConnected(context, '/chat/lobby');
  const games = await openConnected(context, '/chat/games');

  const text = unique('lobby');
  await postChat(lobby1, text);
  await waitForItem(lobby1, '#chat-log', `anonymous: ${text}`);
  await waitForItem(lobby2, '#chat-log', `anonymous: ${text}`);
  // A later post in games comes back to games: the lobby post, published before it, would be there too.
  const inGames = unique('games');
  await postChat(games, inGames);
  await waitForItem(games, '#chat-log', `anonymous: ${inGames}`);
  assert.deepEqual(await items(games, '#chat-log'), [`anonymous: ${inGames}`]);
  // And the other way round, proved by a later lobby post.
  const again = unique('lobby-again');
  await postChat(lobby2, again);
  await waitForItem(lobby1, '#chat-log', `anonymous: ${again}`);
  assert.deepEqual(await items(lobby1, '#chat-log'), [`anonymous: ${text}`, `anonymous: ${again}`]);
  await waitForItem(lobby2, '#chat-log', `anonymous: ${again}`);
  assert.deepEqual(await items(lobby2, '#chat-log'), [`anonymous: ${text}`, `anonymous: ${again}`]);
  assert.deepEqual(await items(lobby1, '#errors'), []);
}));

test('USER fan-out: a ping reaches every tab of its user and no other user', withDiagnostics(() => env, async (t) => {
  const alice = await signedIn(t, 'alice');
  const aliceTab2 = await openConnected(alice.context, '/');
  assert.equal(await aliceTab2.textContent('#user'), 'alice');
  const bob = await signedIn(t, 'bob');

  await click(alice.page, '#ping-btn');
  await waitForItem(alice.page, '#ping-log', 'pinged by alice');
  await waitForItem(aliceTab2, '#ping-log', 'pinged by alice');
  // Bob's own ping is published after alice's reached her tabs: a leak of hers would show up first.
  await click(bob.page, '#ping-btn');
  await waitForItem(bob.page, '#ping-log', 'pinged by bob');
  assert.deepEqual(await items(bob.page, '#ping-log'), ['pinged by bob']);
  // And bob's ping did not reach alice: proved by a later ping of hers.
  await click(aliceTab2, '#ping-btn');
  await alice.page.locator('#ping-log li').nth(1).waitFor({ state: 'attached', timeout: TIMEOUT });
  await aliceTab2.locator('#ping-log li').nth(1).waitFor({ state: 'attached', timeout: TIMEOUT });
  assert.deepEqual(await items(alice.page, '#ping-log'), ['pinged by alice', 'pinged by alice']);
  assert.deepEqual(await items(aliceTab2, '#ping-log'), ['pinged by alice', 'pinged by alice']);
  assert.deepEqual(await items(alice.page, '#errors'), []);
}));

test('anonymous demo.user.ping is refused', withDiagnostics(() => env, async (t) => {
  const [context] = closeAfter(t, await env.newContext());
  const page = await openConnected(context, '/');
  assert.equal(await page.textContent('#user'), 'anonymous');

  await click(page, '#ping-btn');
  await waitForItem(page, '#ping-log', 'refused: forbidden');
  await page.locator('#errors li', { hasText: /^demo\.user\.ping: forbidden/ }).waitFor({ state: 'attached', timeout: TIMEOUT });
  await echoRoundTrip(page, unique('after-ping'));
  assert.deepEqual(await items(page, '#ping-log'), ['refused: forbidden'], 'no "pinged by" ever');
}));

test('demo.staff_only: refused for anonymous (handler never runs), done for staff', withDiagnostics(() => env, async (t) => {
  const [context] = closeAfter(t, await env.newContext());
  const page = await context.newPage();
  const sentSignals = recordSentSignals(page);
  await page.goto('/');
  await waitConnected(page);

  // The button: the client knows from `hello` that this window may not call it and refuses locally.
  await click(page, '#staff-btn');
  await waitForItem(page, '#staff-log', 'refused: forbidden');
  await page.locator('#errors li', { hasText: /^demo\.staff_only: forbidden/ }).waitFor({ state: 'attached', timeout: TIMEOUT });
  await echoRoundTrip(page, unique('after-staff-click'));
  assert.deepEqual(sentSignals, ['demo.echo'], 'the page sent the echo but never demo.staff_only');

  // The wire: a second socket of the same window (same token) sends the call anyway; the server refuses it.
  const wire = await page.evaluate(async (timeout) => {
    const init = JSON.parse(document.getElementById('switchboard-init').textContent);
    const url = new URL(init.url, location.href);
    url.protocol = 'ws:';
    const ws = new WebSocket(url.href);
    const frames = [];
    const next = (type) => new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ${type} frame; got ${JSON.stringify(frames)}`)), timeout);
      const onMessage = (event) => {
        const frame = JSON.parse(event.data);
        frames.push(frame);
        if (frame.type === type) { clearTimeout(timer); ws.removeEventListener('message', onMessage); resolve(frame); }
      };
      ws.addEventListener('message', onMessage);
    });
    await new Promise((resolve, reject) => { ws.onopen = resolve; ws.onerror = () => reject(new Error('raw socket failed')); });
    const hello = next('hello');
    ws.send(JSON.stringify({ type: 'connect', v: 1, token: init.token }));
    const helloFrame = await hello;
    const refused = next('refused');
    ws.send(JSON.stringify({ type: 'call', id: 1, signal: 'demo.staff_only', opts: {} }));
    const refusedFrame = await refused;
    ws.close();
    return { signals: helloFrame.signals, refused: refusedFrame };
  }, TIMEOUT);
  assert.ok(wire.signals.includes('demo.echo'), 'hello lists demo.echo');
  assert.ok(!wire.signals.includes('demo.staff_only'), 'hello does not list demo.staff_only for anonymous');
  assert.equal(wire.refused.id, 1);
  assert.equal(wire.refused.code, 'forbidden');

  // Had the handler run, demo.staff_done would reach this window (the page's socket too) before this echo.
  await echoRoundTrip(page, unique('after-staff'));
  assert.deepEqual(await items(page, '#staff-log'), ['refused: forbidden'], 'no "done by" ever');

  // A staff user gets the answer.
  const staff = await signedIn(t, 'bob', { staff: true });
  await click(staff.page, '#staff-btn');
  await waitForItem(staff.page, '#staff-log', 'done by bob');
  assert.deepEqual(await items(staff.page, '#staff-log'), ['done by bob']);
  assert.deepEqual(await items(staff.page, '#errors'), []);
}));

/** The names of the signals the page's own WebSocket(s) send in `call` frames, as they are sent. */
function recordSentSignals(page) {
  const sent = [];
  page.on('websocket', (ws) => ws.on('framesent', ({ payload }) => {
    try {
      const frame = JSON.parse(typeof payload === 'string' ? payload : payload.toString('utf8'));
      if (frame.type === 'call') sent.push(frame.signal);
    } catch { /* not JSON: not ours */ }
  }));
  return sent;
}
