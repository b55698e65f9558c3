// Reconnect loop, close codes, heartbeat.
import test from 'node:test';
import assert from 'node:assert/strict';
import { setup, handshake, settled, track } from '../testing/fakes.js';

/** Closes the current socket from the server side and returns the reconnect delay that was armed. */
function closeAndGetDelay({ ws, clock }, code = 1006) {
  ws.last().serverClose(code);
  const armed = clock.pending();
  assert.equal(armed.length, 1, 'only the reconnect timer is armed');
  return armed[0];
}

test('full-jitter exponential backoff: random(0, min(max, 500·2^attempt))', () => {
  let r = 0.5;
  const ctx = setup({ random: () => r });
  const delays = [];
  for (let i = 0; i < 8; i++) {
    delays.push(closeAndGetDelay(ctx));
    ctx.clock.advance(delays[i]);
    assert.equal(ctx.ws.sockets.length, i + 2, 'a new socket after the delay');
  }
  assert.deepEqual(delays, [250, 500, 1000, 2000, 4000, 8000, 10000, 10000]);
  r = 0.999;
  assert.equal(closeAndGetDelay(ctx), 19980);
  ctx.clock.advance(20000);
  r = 0;
  assert.equal(closeAndGetDelay(ctx), 0);
});

test('the delay honours minReconnectDelay/maxReconnectDelay options', () => {
  const ctx = setup({ random: () => 0.999999, minReconnectDelay: 100, maxReconnectDelay: 300 });
  const delays = [];
  for (let i = 0; i < 4; i++) { delays.push(closeAndGetDelay(ctx)); ctx.clock.advance(1000); }
  assert.deepEqual(delays, [99, 199, 299, 299]);
});

test('the attempt counter resets after hello; onreconnect reports the attempts it took', () => {
  const ctx = setup({ random: () => 0.5 });
  const reconnects = [];
  const states = [];
  ctx.client.onreconnect((c) => reconnects.push(c));
  ctx.client.onstate((c) => states.push(c.state));
  handshake(ctx.ws.last());
  assert.equal(closeAndGetDelay(ctx), 250);
  ctx.clock.advance(250);
  assert.equal(closeAndGetDelay(ctx), 500);
  ctx.clock.advance(500);
  assert.equal(closeAndGetDelay(ctx), 1000);
  ctx.clock.advance(1000);
  handshake(ctx.ws.last(), { signals: ['x.y'] });
  assert.deepEqual(reconnects, [{ attempts: 3, signals: ['x.y'], recovered: null }]);
  assert.equal(closeAndGetDelay(ctx), 250); // reset
  assert.deepEqual(states, ['connected', 'reconnecting', 'connected', 'reconnecting']);
});

test('the same token is used on every reconnect', () => {
  const ctx = setup();
  handshake(ctx.ws.last());
  closeAndGetDelay(ctx, 1011);
  ctx.clock.advance(1000);
  ctx.ws.last().open();
  assert.deepEqual(ctx.ws.last().frames(), [{ type: 'connect', v: 1, token: 'tok-1' }]);
});

test('a token frame replaces the token: every later reconnect sends the renewed one', () => {
  const ctx = setup();
  handshake(ctx.ws.last());
  ctx.ws.last().receive({ type: 'token', token: 'tok-2', expires: 1767225600000 });
  closeAndGetDelay(ctx, 1006);
  ctx.clock.advance(1000);
  ctx.ws.last().open();
  assert.deepEqual(ctx.ws.last().frames(), [{ type: 'connect', v: 1, token: 'tok-2' }]);
  handshake(ctx.ws.last());
  ctx.ws.last().receive({ type: 'token', token: 'tok-3', expires: 1767229200000 });
  closeAndGetDelay(ctx, 4100);
  ctx.clock.advance(1000);
  ctx.ws.last().open();
  assert.equal(ctx.ws.last().frames()[0].token, 'tok-3');
  assert.equal(ctx.ws.sockets.length, 3);
});

test('a token frame without a token string is ignored: the last good token stays', () => {
  const ctx = setup();
  handshake(ctx.ws.last());
  for (const bad of [{ type: 'token' }, { type: 'token', token: '' }, { type: 'token', token: 42 }]) ctx.ws.last().receive(bad);
  closeAndGetDelay(ctx, 1006);
  ctx.clock.advance(1000);
  ctx.ws.last().open();
  assert.equal(ctx.ws.last().frames()[0].token, 'tok-1');
});

test('every socket close fires onclose {code, reason, terminal:false} for reconnecting codes', () => {
  for (const code of [1000, 1001, 1006, 1009, 1011, 4008, 4100, 4101, 4150, 4199, 3000]) {
    const ctx = setup();
    const closes = [];
    ctx.client.onclose((c) => closes.push(c));
    handshake(ctx.ws.last());
    ctx.ws.last().serverClose(code, 'why');
    assert.deepEqual(closes, [{ code, reason: 'why', terminal: false }], String(code));
    assert.equal(ctx.client.state, 'reconnecting');
    ctx.clock.advance(1000);
    assert.equal(ctx.ws.sockets.length, 2, `reconnects after ${code}`);
  }
});

test('terminal close codes (4000–4099) stop reconnecting, fire close, reject buffered calls', async () => {
  for (const code of [4000, 4001, 4002, 4009, 4099]) {
    const ctx = setup();
    const closes = [];
    const states = [];
    ctx.client.onclose((c) => closes.push(c));
    ctx.client.onstate((c) => states.push(c.state));
    handshake(ctx.ws.last());
    const sent = track(ctx.client.call('demo.echo'));
    ctx.ws.last().serverClose(code, 'token expired');
    assert.deepEqual(closes, [{ code, reason: 'token expired', terminal: true }]);
    assert.deepEqual(states, ['connected', 'closed']);
    assert.equal(ctx.client.state, 'closed');
    assert.equal((await settled(sent)).error.code, 'disconnected');
    assert.equal((await settled(ctx.client.call('demo.echo'))).error.code, 'closed');
    ctx.clock.advance(60000);
    assert.equal(ctx.ws.sockets.length, 1, `no reconnect after ${code}`);
    assert.deepEqual(ctx.clock.pending(), []);
    assert.equal(ctx.logger.lines.warn.length, 1); // a real problem: the page must be reloaded
  }
});

test('a terminal close before the first hello rejects df.ready and buffered calls', async () => {
  const ctx = setup();
  const buffered = track(ctx.client.call('demo.echo'));
  ctx.ws.last().open();
  ctx.ws.last().serverClose(4001, 'invalid token');
  assert.equal((await settled(ctx.client.ready)).error.code, 'closed');
  assert.equal((await settled(buffered)).error.code, 'closed');
});

test('close() during the backoff wait cancels the reconnect', () => {
  const ctx = setup();
  handshake(ctx.ws.last());
  ctx.ws.last().serverClose(1006);
  const closes = [];
  ctx.client.onclose((c) => closes.push(c));
  ctx.client.close();
  assert.deepEqual(closes, [{ code: 1000, reason: 'client closed', terminal: true }]);
  ctx.clock.advance(60000);
  assert.equal(ctx.ws.sockets.length, 1);
});

test('a WebSocket constructor that throws is retried with backoff', () => {
  let fail = true;
  const ctx = setup({ autoConnect: false });
  const Real = ctx.ws.FakeWebSocket;
  const client = setup({
    WebSocket: function (url) { if (fail) throw new Error('blocked'); return new Real(url); },
    setTimeout: ctx.clock.setTimeout, clearTimeout: ctx.clock.clearTimeout, now: ctx.clock.now,
    logger: ctx.logger,
  }).client;
  assert.equal(client.state, 'connecting');
  assert.deepEqual(ctx.clock.pending(), [250]);
  fail = false;
  ctx.clock.advance(250);
  assert.equal(ctx.ws.sockets.length, 1);
});

test('no hello within pongTimeout after opening: drop the socket and reconnect', () => {
  const ctx = setup();
  const closes = [];
  ctx.client.onclose((c) => closes.push(c));
  ctx.ws.last().open();
  ctx.clock.advance(9999);
  assert.equal(ctx.ws.last().closedWith, null);
  ctx.clock.advance(1);
  assert.equal(ctx.ws.sockets[0].closedWith.code, 4008);
  assert.deepEqual(closes, [{ code: 4008, reason: 'no hello from the server', terminal: false }]);
  ctx.clock.advance(250);
  assert.equal(ctx.ws.sockets.length, 2);
});

test('heartbeat: a ping after `heartbeat` ms without sending, none while the client keeps sending and hearing', () => {
  const ctx = setup();
  handshake(ctx.ws.last(), { heartbeat: 1000 });
  const sock = ctx.ws.last();
  const pings = () => sock.framesOfType('ping').length;
  ctx.clock.advance(999);
  assert.equal(pings(), 0);
  ctx.clock.advance(1);
  assert.equal(pings(), 1);
  sock.receive({ type: 'pong' });
  // Busy connection: a call every 600 ms, each answered. No ping is needed.
  for (let i = 0; i < 10; i++) {
    ctx.clock.advance(600);
    ctx.client.call('demo.echo');
    const last = sock.framesOfType('call').at(-1);
    sock.receive({ type: 'accepted', id: last.id, jobs: 1 });
  }
  assert.equal(pings(), 1);
  // Silence again: the next ping comes `heartbeat` ms after the last frame.
  ctx.clock.advance(999);
  assert.equal(pings(), 1);
  ctx.clock.advance(1);
  assert.equal(pings(), 2);
});

test('heartbeat: the client pings when it hears nothing, even while it keeps sending', () => {
  const ctx = setup();
  handshake(ctx.ws.last(), { heartbeat: 1000 });
  const sock = ctx.ws.last();
  for (let i = 0; i < 5; i++) { ctx.clock.advance(300); track(ctx.client.call('demo.echo')); }
  assert.equal(sock.framesOfType('ping').length, 1); // at t=1000 although a call went out at t=900
});

test('heartbeat: no pong within pongTimeout drops the connection (4100) and reconnects; pending calls reject', async () => {
  const ctx = setup();
  const closes = [];
  ctx.client.onclose((c) => closes.push(c));
  handshake(ctx.ws.last(), { heartbeat: 25000 });
  const sock = ctx.ws.last();
  ctx.clock.advance(25000);
  assert.equal(sock.framesOfType('ping').length, 1);
  const sent = track(ctx.client.call('demo.echo'));
  ctx.clock.advance(9999);
  assert.equal(sock.closedWith, null);
  ctx.clock.advance(1);
  assert.equal(sock.closedWith.code, 4100);
  assert.deepEqual(closes, [{ code: 4100, reason: 'no pong from the server', terminal: false }]);
  assert.equal(ctx.client.state, 'reconnecting');
  assert.equal((await settled(sent)).error.code, 'disconnected');
  ctx.clock.advance(250);
  assert.equal(ctx.ws.sockets.length, 2);
  sock.receive({ type: 'pong' }); // the old socket is detached: nothing happens
  assert.equal(ctx.client.state, 'reconnecting');
});

test('heartbeat: a pong in time keeps the connection', () => {
  const ctx = setup();
  handshake(ctx.ws.last(), { heartbeat: 25000 });
  const sock = ctx.ws.last();
  const pingTimes = [];
  while (pingTimes.length < 5) {
    ctx.clock.advance(1000);
    if (sock.framesOfType('ping').length > pingTimes.length) {
      pingTimes.push(ctx.clock.now());
      ctx.clock.advance(9000); // pong 9 s late: still within pongTimeout
      sock.receive({ type: 'pong' });
    }
  }
  // The client sends nothing but pings, so they come every `heartbeat` ms after the previous one.
  assert.deepEqual(pingTimes, [25000, 50000, 75000, 100000, 125000]);
  assert.equal(ctx.ws.sockets.length, 1);
  assert.equal(ctx.client.state, 'connected');
});

test('heartbeat 0 or missing: no pings', () => {
  const ctx = setup();
  handshake(ctx.ws.last(), { heartbeat: undefined });
  ctx.clock.advance(600000);
  assert.equal(ctx.ws.last().framesOfType('ping').length, 0);
  assert.deepEqual(ctx.clock.pending(), []);
});

test('a socket that closes while the client closes it produces no extra events', () => {
  const ctx = setup();
  handshake(ctx.ws.last());
  const sock = ctx.ws.last();
  const closes = [];
  ctx.client.onclose((c) => closes.push(c));
  ctx.client.close();
  sock.serverClose(1000); // handlers were detached
  assert.equal(closes.length, 1);
  assert.deepEqual(ctx.clock.pending(), []);
});
