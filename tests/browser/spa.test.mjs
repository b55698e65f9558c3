// End-to-end: the single-page app sample (/spa.html, no init element) signs in with a bearer token, gets its
// window from the window endpoint, connects with accessTokenFactory (access_token on the socket URL) and talks
// to the same signals as the rendered pages; df.fetch acts as its window.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startEnvironment, click, openConnected, waitConnected, waitForText, waitForItem, echoRoundTrip, unique, withDiagnostics, closeAfter
} from './support/browser.mjs';

let env;
before(async () => { env = await startEnvironment(); });
after(async () => { if (env) await env.close(); });

async function signedInSpa(t, name) {
  const [context] = closeAfter(t, await env.newContext());
  const page = await context.newPage();
  const sockets = [];
  page.on('websocket', (ws) => sockets.push(ws.url()));
  await page.goto('/spa.html');
  await waitForText(page, '#status', 'not started');
  await page.fill('#signin-name', name);
  await click(page, '#signin-btn');
  await waitConnected(page);
  await waitForText(page, '#user', name);
  return { context, page, sockets };
}

test('the SPA signs in with a bearer token, connects with access_token and gets its echo back', withDiagnostics(() => env, async (t) => {
  const name = unique('carol');
  const { page, sockets } = await signedInSpa(t, name);

  assert.equal(sockets.length, 1);
  const socketUrl = new URL(sockets[0]);
  assert.equal(socketUrl.pathname, '/switchboard/ws');
  assert.ok(socketUrl.searchParams.get('access_token'), 'the bearer token rides on the WebSocket URL');
  await echoRoundTrip(page, unique('spa-echo'));

  // df.fetch: the request carries X-Switchboard-Window and the bearer token; the server answers this window.
  await click(page, '#fetch-btn');
  await waitForItem(page, '#echo-log', `fetch as window of ${name}`);
  assert.deepEqual(await page.locator('#errors li').allTextContents(), []);
}));

test('the SPA chats with the rendered chat page of the same room', withDiagnostics(() => env, async (t) => {
  const name = unique('dave');
  const { page } = await signedInSpa(t, name);
  const [other] = closeAfter(t, await env.newContext());
  const chatPage = await openConnected(other, '/chat/lobby');

  const text = unique('from-spa');
  await page.fill('#chat-text', text);
  await click(page, '#chat-send');
  await waitForItem(chatPage, '#chat-log', `${name}: ${text}`);
  await waitForItem(page, '#chat-log', `${name}: ${text}`);
}));

test('without a token the window endpoint answers 401', withDiagnostics(() => env, async (t) => {
  const [context] = closeAfter(t, await env.newContext());
  // Through Playwright's request API: a page's fetch would log the 401 as a console error.
  const response = await context.request.post('/switchboard/window');
  assert.equal(response.status(), 401);
}));
