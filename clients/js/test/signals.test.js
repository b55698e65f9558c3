// Server → browser signal frames.
import test from 'node:test';
import assert from 'node:assert/strict';
import { setup, handshake } from '../testing/fakes.js';

function connected(overrides) {
  const ctx = setup(overrides);
  handshake(ctx.ws.last());
  return { ...ctx, sock: ctx.ws.last() };
}

test('a signal frame runs the browser handlers with opts and ctx {signalId, fromServer:true}', () => {
  const { client, sock } = connected();
  const seen = [];
  client.connect('demo.echoed', (opts, ctx) => seen.push([opts, ctx]));
  sock.receive({ type: 'signal', signal: 'demo.echoed', opts: { text: 'hi' }, signal_id: 'abc' });
  assert.deepEqual(seen, [[{ text: 'hi' }, { signalId: 'abc', fromServer: true }]]);
});

test('server-originated signals are never sent back, even when the server may be called with that name', () => {
  const { client, sock } = connected();
  let runs = 0;
  client.connect('demo.echo', () => runs++);
  sock.receive({ type: 'signal', signal: 'demo.echo', opts: {}, signal_id: 's1' });
  assert.equal(runs, 1);
  assert.deepEqual(sock.frames().map((f) => f.type), ['connect']);
});

test('the same signal_id runs once (several topics, several nodes)', () => {
  const { client, sock } = connected();
  let runs = 0;
  client.connect('demo.chat.message', () => runs++);
  const frame = { type: 'signal', signal: 'demo.chat.message', opts: {}, signal_id: 'same' };
  sock.receive(frame);
  sock.receive(frame);
  sock.receive({ ...frame, signal_id: 'other' });
  assert.equal(runs, 2);
});

test('dedupe survives a reconnect and remembers only the last maxSeenIds ids', () => {
  const { client, sock, ws, clock } = connected({ maxSeenIds: 2 });
  let runs = 0;
  client.connect('s.x', () => runs++);
  const send = (s, id) => s.receive({ type: 'signal', signal: 's.x', opts: {}, signal_id: id });
  send(sock, 'a');
  sock.serverClose(1001);
  clock.advance(1000);
  handshake(ws.last());
  send(ws.last(), 'a'); // replayed after reconnect: still seen
  assert.equal(runs, 1);
  send(ws.last(), 'b');
  send(ws.last(), 'c'); // evicts 'a'
  send(ws.last(), 'a');
  assert.equal(runs, 4);
});

test('signal frames without signal_id run every time; missing or bad opts become {}', () => {
  const { client, sock } = connected();
  const seen = [];
  client.connect('s.y', (opts, ctx) => seen.push([opts, ctx.signalId]));
  sock.receive({ type: 'signal', signal: 's.y' });
  sock.receive({ type: 'signal', signal: 's.y', opts: [1], signal_id: 7 });
  assert.deepEqual(seen, [[{}, null], [{}, '7']]);
});

test('signal frames with a missing or invalid name are ignored', () => {
  const { sock, client } = connected();
  sock.receive({ type: 'signal', opts: {}, signal_id: 'x' });
  sock.receive({ type: 'signal', signal: 'bad name', opts: {}, signal_id: 'y' });
  assert.equal(client.state, 'connected');
});

test('handlers run in registration order; a throwing one does not stop the others; removal during dispatch is safe', () => {
  const { client, sock, logger } = connected();
  const order = [];
  let removeSecond = null;
  client.connect('s.z', () => { order.push(1); removeSecond(); throw new Error('first fails'); });
  removeSecond = client.connect('s.z', () => order.push(2));
  client.connect('s.z', () => order.push(3));
  sock.receive({ type: 'signal', signal: 's.z', opts: {}, signal_id: '1' });
  assert.deepEqual(order, [1, 2, 3]); // the list is copied before dispatch
  sock.receive({ type: 'signal', signal: 's.z', opts: {}, signal_id: '2' });
  assert.deepEqual(order, [1, 2, 3, 1, 3]);
  assert.equal(logger.lines.warn.length, 2);
});

test('handlers get the client as this', () => {
  const { client, sock } = connected();
  let self = null;
  client.connect('s.this', function () { self = this; });
  sock.receive({ type: 'signal', signal: 's.this', opts: {}, signal_id: '1' });
  assert.equal(self, client);
});

test('df.notify is registered through the public table and can be replaced', () => {
  const { client, sock } = connected();
  assert.equal(client.disconnect('df.notify'), 1); // the built-in
  const got = [];
  client.connect('df.notify', (opts) => got.push(opts.content));
  sock.receive({ type: 'signal', signal: 'df.notify', opts: { content: 'hi' }, signal_id: 'n1' });
  assert.deepEqual(got, ['hi']);
  const bare = setup({ builtins: false }).client;
  assert.equal(bare.disconnect('df.notify'), 0);
});
