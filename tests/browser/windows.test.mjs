// End-to-end: windows under server control (docs/windows.md). The chat page's "join room" field adds a room to
// the live window (demo.chat.join → IWindowControl.SubscribeAsync), and /logout closes every window of the user
// (IWindowControl.CloseUserAsync): the other tab sees close 4003 in df.onclose and does not reconnect.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { TIMEOUT, startEnvironment, click, openConnected, items, waitForItem, waitForText, unique, withDiagnostics, closeAfter } from './support/browser.mjs';

let env;
before(async () => { env = await startEnvironment(); });
after(async () => { if (env) await env.close(); });

async function postChat(page, text) {
  await page.fill('#chat-text', text);
  await click(page, '#chat-send');
}

test('join room: the window shows the joined room\'s lines from then on, without a reload', withDiagnostics(() => env, async (t) => {
  const [context] = closeAfter(t, await env.newContext());
  const lobby = await openConnected(context, '/chat/lobby');
  const games = await openConnected(context, '/chat/games');

  // Before the join, a games line does not reach the lobby page (proved by a later lobby line that does).
  const early = unique('early');
  await postChat(games, early);
  await waitForItem(games, '#chat-log', `anonymous: ${early}`);

  await lobby.fill('#join-room', 'games');
  await click(lobby, '#join-btn');
  await waitForItem(lobby, '#joined-rooms', 'games');
  const later = unique('later');
  await postChat(games, later);
  await waitForItem(lobby, '#chat-log', `[games] anonymous: ${later}`);
  const own = unique('own');
  await postChat(lobby, own);
  await waitForItem(lobby, '#chat-log', `anonymous: ${own}`);
  assert.deepEqual(await items(lobby, '#chat-log'), [`[games] anonymous: ${later}`, `anonymous: ${own}`]);
  // No reload happened: the page is the same document, and it tracks the joined room's topic id.
  assert.equal(await lobby.evaluate(() => performance.getEntriesByType('navigation').length), 1);
  assert.equal(await lobby.evaluate(() => Object.keys(df.positions).length), 4); // BROADCAST, WINDOW, the rooms lobby and games
  assert.deepEqual(await items(lobby, '#errors'), []);
}));

test('/logout closes the user\'s other tab with 4003: df.onclose reports it, no reconnect', withDiagnostics(() => env, async (t) => {
  const [context] = closeAfter(t, await env.newContext());
  const [bobContext] = closeAfter(t, await env.newContext());
  const first = await openConnected(context, '/login?name=carol');
  const second = await openConnected(context, '/chat/lobby');
  const bob = await openConnected(bobContext, '/login?name=bob');
  assert.equal(await second.textContent('#user'), 'carol');
  const closes = second.evaluate(() => new Promise((resolve) => df.onclose((ctx) => resolve(ctx))));

  const started = Date.now();
  const loggingOut = first.goto('/logout', { timeout: TIMEOUT });
  const ctx = await closes;
  const elapsed = Date.now() - started;
  assert.ok(elapsed < 2000, `the other tab was closed within 2 s (${elapsed} ms)`);
  await loggingOut;
  assert.deepEqual(ctx, { code: 4003, reason: 'signed out', terminal: true });
  await waitForText(second, '#close-info', '(closed 4003: signed out)');
  await waitForText(second, '#status', 'closed');
  assert.equal(await second.evaluate(() => df.state), 'closed');
  assert.equal(await first.textContent('#user'), 'anonymous');
  // bob is not carol: his tab is still connected and answers.
  const text = unique('bob');
  await bob.fill('#echo-text', text);
  await click(bob, '#echo-btn');
  await waitForItem(bob, '#echo-log', text);
  assert.equal(await bob.textContent('#status'), 'connected');
}));
