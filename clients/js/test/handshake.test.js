import test from 'node:test';
import assert from 'node:assert/strict';
import { setup, handshake, settled, flush, HELLO, createClient, fakeWebSocketFactory } from '../testing/fakes.js';

test('opens one socket and sends the connect frame with the token and v:1 on open', () => {
  const { ws, client } = setup();
  assert.equal(ws.sockets.length, 1);
  assert.equal(ws.last().url, 'ws://test.local/switchboard/ws');
  assert.equal(client.state, 'connecting');
  assert.deepEqual(ws.last().sent, []);
  ws.last().open();
  assert.deepEqual(ws.last().frames(), [{ type: 'connect', v: 1, token: 'tok-1' }]);
});

test('df.ready resolves after hello, not before; state becomes connected', async () => {
  const { ws, client } = setup();
  const states = [];
  client.onstate((ctx) => states.push(ctx.state));
  ws.last().open();
  assert.equal(await settled(client.ready), 'pending');
  ws.last().receive(HELLO);
  assert.deepEqual(await settled(client.ready), { value: undefined });
  assert.equal(client.state, 'connected');
  assert.deepEqual(states, ['connected']);
});

test('autoConnect:false waits for start(); start() may supply url and token', () => {
  const ws = fakeWebSocketFactory();
  const client = createClient({ WebSocket: ws.FakeWebSocket, autoConnect: false, setTimeout: () => 0, clearTimeout() {} });
  assert.equal(ws.sockets.length, 0);
  assert.equal(typeof client.start, 'function');
  assert.equal(client.start({ url: 'wss://h.test/s/ws', token: 't2' }), client);
  assert.equal(ws.sockets.length, 1);
  client.start(); // a second start is a no-op
  assert.equal(ws.sockets.length, 1);
  ws.last().open();
  assert.deepEqual(ws.last().frames(), [{ type: 'connect', v: 1, token: 't2' }]);
});

test('start() rejects a missing url, a missing token and a non-WebSocket URL', () => {
  const ws = fakeWebSocketFactory();
  const make = (extra) => createClient({ WebSocket: ws.FakeWebSocket, autoConnect: false, ...extra });
  assert.throws(() => make({ token: 't' }).start(), TypeError);
  assert.throws(() => make({ url: 'ws://h/ws' }).start(), TypeError);
  assert.throws(() => make({ url: 'ftp://h/ws', token: 't' }).start(), TypeError);
  assert.throws(() => make({ url: '/relative/without/page', token: 't' }).start(), TypeError);
  assert.equal(ws.sockets.length, 0);
});

test('relative URLs resolve against location.href with http→ws and https→wss', () => {
  const ws = fakeWebSocketFactory();
  const saved = globalThis.location;
  try {
    for (const [href, url, expected] of [
      ['https://example.test/chat/room?x=1#top', '/switchboard/ws', 'wss://example.test/switchboard/ws'],
      ['http://localhost:5000/a/b', 'switchboard/ws', 'ws://localhost:5000/a/switchboard/ws'],
      ['https://example.test/', 'ws://other.test:81/ws#frag', 'ws://other.test:81/ws'],
      ['http://example.test/', 'https://api.test/sb/ws', 'wss://api.test/sb/ws'],
    ]) {
      globalThis.location = { href };
      createClient({ url, token: 't', WebSocket: ws.FakeWebSocket, setTimeout: () => 0, clearTimeout() {} });
      assert.equal(ws.last().url, expected, `${url} on ${href}`);
    }
  } finally {
    if (saved === undefined) delete globalThis.location; else globalThis.location = saved;
  }
});

test('hello fields: unknown fields ignored, non-string signals dropped, repeated hello only updates the list', async () => {
  const { ws, client } = setup();
  const reconnects = [];
  client.onreconnect((ctx) => reconnects.push(ctx));
  handshake(ws.last(), { signals: ['a.b', 42, null], extra: { future: true } });
  assert.equal((await settled(client.call('a.b'))), 'pending');
  assert.deepEqual(ws.last().framesOfType('call').map((f) => f.signal), ['a.b']);
  ws.last().receive({ ...HELLO, signals: ['c.d'] });
  assert.deepEqual(reconnects, []);
  client.call('c.d');
  assert.deepEqual(ws.last().framesOfType('call').map((f) => f.signal), ['a.b', 'c.d']);
});

test('unknown frame types, non-JSON, non-object and binary frames are ignored', async () => {
  const { ws, client } = setup();
  handshake(ws.last());
  const sock = ws.last();
  sock.receive({ type: 'from_the_future', x: 1 });
  sock.receive('not json');
  sock.receive('[1,2]');
  sock.receive('null');
  sock.onmessage({ data: new ArrayBuffer(2) });
  sock.receive({ noType: true });
  await flush();
  assert.equal(client.state, 'connected');
  assert.deepEqual(sock.framesOfType('error'), []); // the client never answers frames with errors
  assert.equal(sock.sent.length, 1); // just the connect frame
});

test('close() closes the socket with 1000, fires close (terminal) and the closed state', async () => {
  const { ws, client } = setup();
  handshake(ws.last());
  const closes = [];
  const states = [];
  client.onclose((ctx) => closes.push(ctx));
  client.onstate((ctx) => states.push(ctx.state));
  client.close();
  assert.deepEqual(ws.last().closedWith, { code: 1000, reason: 'client closed' });
  assert.deepEqual(closes, [{ code: 1000, reason: 'client closed', terminal: true }]);
  assert.deepEqual(states, ['closed']);
  assert.equal(client.state, 'closed');
  client.close(); // idempotent
  assert.equal(closes.length, 1);
});

test('close() before the first hello rejects df.ready with code closed', async () => {
  const { client } = setup();
  client.close();
  const result = await settled(client.ready);
  assert.equal(result.error.code, 'closed');
});

test('listener registration returns an unsubscribe function and rejects non-functions', () => {
  const { ws, client } = setup();
  const seen = [];
  const off = client.onstate((ctx) => seen.push(ctx.state));
  off();
  handshake(ws.last());
  assert.deepEqual(seen, []);
  assert.throws(() => client.onerror('nope'), TypeError);
});

test('a throwing listener is logged and does not stop the others', () => {
  const { ws, client, logger } = setup();
  const seen = [];
  client.onstate(() => { throw new Error('boom'); });
  client.onstate((ctx) => seen.push(ctx.state));
  handshake(ws.last());
  assert.deepEqual(seen, ['connected']);
  assert.equal(logger.lines.warn.length, 1);
});

test('options carry the documented defaults and accept overrides', () => {
  const { client } = setup();
  assert.deepEqual(client.options, { bufferSize: 256, minReconnectDelay: 500, maxReconnectDelay: 20000, pongTimeout: 10000, maxSeenIds: 1024, maxHeldFrames: 1000, invokeTimeout: 30000 });
  assert.equal(setup({ bufferSize: 3 }).client.options.bufferSize, 3);
  assert.equal(client.protocol, globalThis.Switchboard.protocol);
});
