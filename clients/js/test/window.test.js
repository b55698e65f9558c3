// Token-authenticated clients (docs/windows.md): df.start from a window endpoint, accessTokenFactory on every
// (re)connect, df.fetch / df.windowHeaders and the jQuery prefilter adding X-Switchboard-Window.
import test from 'node:test';
import assert from 'node:assert/strict';
import { setup, handshake, settled, flush, createClient, fakeClock, fakeWebSocketFactory, recordingLogger, loadPage, fakeDocument, addInitElement } from '../testing/fakes.js';

/** A fetch whose answers the test gives: each call is recorded with its own `answer(status, body)` / `fail(err)`. */
function fakeFetch() {
  const calls = [];
  const fetch = (input, init) => new Promise((resolve, reject) => {
    calls.push({
      input, init,
      answer: (status, body) => resolve({ ok: status >= 200 && status < 300, status, json: () => (typeof body === 'string' ? Promise.reject(new SyntaxError('not JSON')) : Promise.resolve(body)) }),
      fail: reject,
    });
  });
  return { fetch, calls, last: () => calls[calls.length - 1] };
}

const header = (init, name) => new Headers(init.headers).get(name);

/** An unstarted client on fakes, in a page at https://app.test/spa (the location the relative URLs resolve against). */
function spa(extra = {}) {
  const clock = fakeClock();
  const ws = fakeWebSocketFactory();
  const logger = recordingLogger();
  const http = fakeFetch();
  const client = createClient({
    WebSocket: ws.FakeWebSocket, fetch: http.fetch, setTimeout: clock.setTimeout, clearTimeout: clock.clearTimeout,
    now: clock.now, random: () => 0.5, logger, autoConnect: false, builtins: false, ...extra,
  });
  return { client, clock, ws, logger, http };
}

function atPage(href, fn) {
  const saved = globalThis.location;
  globalThis.location = { href };
  return Promise.resolve().then(fn).finally(() => { globalThis.location = saved; });
}

test('df.start({ windowEndpoint }) POSTs with the bearer token, then connects to the url it answers, with access_token', () => atPage('https://app.test/spa', async () => {
  let n = 0;
  const { client, ws, http } = spa();
  client.start({ windowEndpoint: 'https://api.test/switchboard/window', accessTokenFactory: () => 'jwt-' + (++n) });
  await flush();
  assert.equal(http.calls.length, 1);
  assert.equal(http.last().input, 'https://api.test/switchboard/window');
  assert.equal(http.last().init.method, 'POST');
  assert.equal(header(http.last().init, 'Authorization'), 'Bearer jwt-1');
  assert.equal(ws.sockets.length, 0); // no socket before the window
  http.last().answer(200, { url: '/switchboard/ws', token: 'win-token', v: 1 });
  await flush();
  assert.equal(ws.sockets.length, 1);
  // The relative url is the endpoint server's path, not the page's; the factory is asked again for the socket.
  assert.equal(ws.last().url, 'wss://api.test/switchboard/ws?access_token=jwt-2');
  handshake(ws.last());
  assert.deepEqual(ws.last().frames()[0], { type: 'connect', v: 1, token: 'win-token' });
  assert.deepEqual(await settled(client.ready), { value: undefined });
}));

test('accessTokenFactory is asked on every reconnect, sync or async, and a failing factory is retried', async () => {
  const tokens = ['a', 'b', 'c'];
  let fail = false;
  const { client, ws, clock, logger } = spa({
    accessTokenFactory: () => (fail ? Promise.reject(new Error('refresh failed')) : Promise.resolve(tokens.shift())),
  });
  client.start({ url: 'wss://h.test/switchboard/ws', token: 'tok' });
  await flush();
  assert.equal(ws.last().url, 'wss://h.test/switchboard/ws?access_token=a');
  handshake(ws.last());
  ws.last().serverClose(1011);
  fail = true;
  clock.advance(20000);
  await flush();
  assert.equal(ws.sockets.length, 1); // the factory failed: no socket without a token
  assert.equal(logger.lines.warn.length, 1);
  fail = false;
  clock.advance(20000);
  await flush();
  assert.equal(ws.sockets.length, 2);
  assert.equal(ws.last().url, 'wss://h.test/switchboard/ws?access_token=b');
  ws.last().open();
  assert.deepEqual(ws.last().frames()[0], { type: 'connect', v: 1, token: 'tok' }); // same window: same token
});

test('a factory answering null connects without access_token; a plain value connects without waiting a turn', () => {
  const values = [null, 'x y&z'];
  const { client, ws, clock } = spa({ accessTokenFactory: () => values.shift() });
  client.start({ url: 'ws://h.test/ws', token: 't' });
  assert.equal(ws.last().url, 'ws://h.test/ws');
  ws.last().serverClose(1011);
  clock.advance(1000); // the reconnect delay, well before the handshake timeout
  assert.equal(ws.sockets.length, 2);
  assert.equal(ws.last().url, 'ws://h.test/ws?access_token=x+y%26z');
});

test('a refused window request (401) ends the client like a refused token: close 4001, terminal, no socket', () => atPage('https://app.test/spa', async () => {
  const { client, ws, http, clock } = spa();
  const closes = [];
  client.onclose((ctx) => closes.push(ctx));
  client.start({ windowEndpoint: '/switchboard/window' });
  await flush();
  assert.equal(http.last().input, 'https://app.test/switchboard/window');
  assert.equal(header(http.last().init, 'Authorization'), null);
  http.last().answer(401, {});
  await flush();
  assert.equal(closes.length, 1);
  assert.equal(closes[0].code, 4001);
  assert.equal(closes[0].terminal, true);
  assert.match(closes[0].reason, /401/);
  assert.equal(client.state, 'closed');
  assert.equal((await settled(client.ready)).error.code, 'closed');
  clock.advance(60000);
  assert.equal(http.calls.length, 1);
  assert.equal(ws.sockets.length, 0);
}));

test('a window request that fails on the network or with 503 is tried again with backoff; a non-init answer is terminal', () => atPage('https://app.test/spa', async () => {
  const { client, ws, http, clock } = spa();
  client.start({ windowEndpoint: '/switchboard/window' });
  await flush();
  http.last().fail(new TypeError('Failed to fetch'));
  await flush();
  clock.advance(20000);
  await flush();
  assert.equal(http.calls.length, 2);
  http.last().answer(503, {});
  await flush();
  clock.advance(20000);
  await flush();
  assert.equal(http.calls.length, 3);
  http.last().answer(200, { url: '/switchboard/ws', token: 'w', v: 1 });
  await flush();
  assert.equal(ws.last().url, 'wss://app.test/switchboard/ws');

  const other = spa();
  other.client.start({ windowEndpoint: '/switchboard/window' });
  await flush();
  other.http.last().answer(200, '<html>sign in</html>');
  await flush();
  assert.equal(other.client.state, 'closed');
}));

test('start() validates windowEndpoint and accessTokenFactory at once', () => {
  const { client } = spa();
  assert.throws(() => client.start({ windowEndpoint: 42 }), TypeError);
  assert.throws(() => client.start({ windowEndpoint: '/relative/without/page' }), TypeError);
  assert.throws(() => client.start({ url: 'ws://h/ws', token: 't', accessTokenFactory: 'jwt' }), TypeError);
});

test('no double start: df.start after the init element started df is ignored with a warning', () => {
  const document = fakeDocument();
  addInitElement(document);
  const { global, ws, logs } = loadPage({ document });
  assert.equal(ws.sockets.length, 1);
  global.df.start({ windowEndpoint: '/switchboard/window' });
  assert.equal(ws.sockets.length, 1);
  assert.equal(logs.warn.length, 1);
  assert.match(logs.warn[0][0], /already started/);
});

test('no double start: df.start before DOMContentLoaded wins over an init element found later', () => {
  const document = fakeDocument({ readyState: 'loading' });
  const { global, ws, logs } = loadPage({ document });
  global.df.start({ url: 'wss://example.test/switchboard/ws', token: 'explicit' });
  addInitElement(document, { url: '/other/ws', token: 'from-element', v: 1 });
  document.fire('DOMContentLoaded');
  assert.equal(ws.sockets.length, 1);
  ws.last().open();
  assert.equal(ws.last().frames()[0].token, 'explicit');
  assert.deepEqual(logs, { info: [], warn: [] });
});

// --- requests acting as the window ---

test('df.fetch adds X-Switchboard-Window (the current window token) to same-origin requests only', () => atPage('https://app.test/page', async () => {
  const http = fakeFetch();
  const { client } = setup({ url: 'wss://app.test/switchboard/ws', token: 'page-token', fetch: http.fetch });
  const saving = client.fetch('/api/save', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
  client.fetch('https://elsewhere.test/track');
  client.fetch(new URL('https://app.test/api/url-object'));
  await flush();
  const [save, foreign, urlObject] = http.calls;
  assert.equal(save.input, '/api/save');
  assert.equal(save.init.method, 'POST');
  assert.equal(save.init.body, '{}');
  assert.equal(header(save.init, 'X-Switchboard-Window'), 'page-token');
  assert.equal(header(save.init, 'Content-Type'), 'application/json');
  assert.equal(header(foreign.init, 'X-Switchboard-Window'), null); // never to a third party
  assert.equal(header(urlObject.init, 'X-Switchboard-Window'), 'page-token');
  save.answer(200, { ok: 1 });
  assert.equal((await saving).status, 200); // fetch's own response
}));

test('df.fetch: the Switchboard server origin counts as own; the bearer token is added unless the request has one', () => atPage('https://spa.test/', async () => {
  const { client, http } = spa({ url: 'wss://api.test/switchboard/ws', token: 'win', accessTokenFactory: async () => 'jwt' });
  client.fetch('https://api.test/orders');
  client.fetch('https://api.test/orders', { headers: { Authorization: 'Bearer mine' } });
  client.fetch('https://cdn.test/x');
  await flush();
  await flush();
  const byAuth = http.calls.map((call) => [header(call.init, 'X-Switchboard-Window'), header(call.init, 'Authorization')]);
  assert.deepEqual(byAuth.sort(), [[null, null], ['win', 'Bearer jwt'], ['win', 'Bearer mine']]);
}));

test('df.fetch keeps the headers of a Request it is given; no header before the window has a token', () => atPage('https://app.test/', async () => {
  const { client, http } = spa();
  client.fetch('/before-start');
  client.start({ url: '/switchboard/ws', token: 'later' });
  client.fetch(new Request('https://app.test/req', { headers: { 'X-Custom': '1' } }));
  await flush();
  assert.equal(header(http.calls[0].init, 'X-Switchboard-Window'), null);
  assert.equal(header(http.calls[1].init, 'X-Custom'), '1');
  assert.equal(header(http.calls[1].init, 'X-Switchboard-Window'), 'later');
}));

test('df.windowHeaders gives the header for own origins, {} for others', () => atPage('https://app.test/page', () => {
  const { client } = setup({ url: 'wss://app.test/switchboard/ws', token: 'tk' });
  assert.deepEqual(client.windowHeaders('/api'), { 'X-Switchboard-Window': 'tk' });
  assert.deepEqual(client.windowHeaders(), { 'X-Switchboard-Window': 'tk' });
  assert.deepEqual(client.windowHeaders('https://other.test/api'), {});
  assert.deepEqual(client.windowHeaders('http://app.test/api'), {}); // another scheme is another origin
}));

/** A jQuery stand-in: $.ajaxPrefilter as jQuery calls it (options with the url, a jqXHR collecting headers). */
function fakeJQuery() {
  const prefilters = [];
  const jq = function () {};
  jq.ajaxPrefilter = (fn) => prefilters.push(fn);
  jq.ajax = (url) => {
    const headers = {};
    const jqXHR = { setRequestHeader: (name, value) => { headers[name] = value; } };
    for (const fn of prefilters) fn({ url }, { url }, jqXHR);
    return headers;
  };
  jq.prefilters = prefilters;
  return jq;
}

test('with jQuery on the page, its same-origin requests carry X-Switchboard-Window (jQuery before or after df.js)', () => {
  const document = fakeDocument();
  addInitElement(document);
  const jQuery = fakeJQuery();
  loadPage({ document, jQuery });
  assert.deepEqual(jQuery.ajax('/api/save'), { 'X-Switchboard-Window': 'page-token' });
  assert.deepEqual(jQuery.ajax('https://example.test/api'), { 'X-Switchboard-Window': 'page-token' });
  assert.deepEqual(jQuery.ajax('https://tracker.test/t'), {});

  const late = fakeDocument({ readyState: 'loading' });
  const page = loadPage({ document: late });
  const jq = fakeJQuery();
  page.global.jQuery = jq;
  addInitElement(late, { url: '/switchboard/ws', token: 'late-token', v: 1 });
  late.fire('DOMContentLoaded');
  assert.deepEqual(jq.ajax('/x'), { 'X-Switchboard-Window': 'late-token' });
  assert.equal(jq.prefilters.length, 1); // hooked once
});
