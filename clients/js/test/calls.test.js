import test from 'node:test';
import assert from 'node:assert/strict';
import { setup, handshake, settled, flush, track, SignalError } from '../testing/fakes.js';

function connected(overrides) {
  const ctx = setup(overrides);
  handshake(ctx.ws.last());
  return { ...ctx, sock: ctx.ws.last() };
}

test('call → accepted resolves {accepted:true, jobs}', async () => {
  const { client, sock } = connected();
  const p = client.call('demo.echo', { text: 'hi' });
  assert.deepEqual(sock.framesOfType('call'), [{ type: 'call', id: 1, signal: 'demo.echo', opts: { text: 'hi' } }]);
  assert.equal(await settled(p), 'pending');
  sock.receive({ type: 'accepted', id: 1, jobs: 2 });
  assert.deepEqual(await settled(p), { value: { accepted: true, jobs: 2, local: 0 } });
});

test('call → refused rejects with SignalError(code, message)', async () => {
  const { client, sock } = connected();
  const p = client.call('demo.echo');
  assert.deepEqual(sock.framesOfType('call')[0].opts, {});
  sock.receive({ type: 'refused', id: 1, code: 'kwargs_too_large', message: 'too big' });
  const { error } = await settled(p);
  assert.ok(error instanceof SignalError);
  assert.equal(error.code, 'kwargs_too_large');
  assert.equal(error.message, 'too big');
  assert.equal(error.signal, 'demo.echo');
  assert.equal(error.id, 1);
});

test('ids are unique and answers may come in any order', async () => {
  const { client, sock } = connected();
  const a = client.call('demo.echo', { n: 1 });
  const b = track(client.call('demo.chat.post', { n: 2 }));
  const [fa, fb] = sock.framesOfType('call');
  assert.notEqual(fa.id, fb.id);
  sock.receive({ type: 'refused', id: fb.id, code: 'forbidden', message: 'no' });
  sock.receive({ type: 'accepted', id: fa.id, jobs: 1 });
  assert.equal((await settled(a)).value.accepted, true);
  assert.equal((await settled(b)).error.code, 'forbidden');
});

test('local handlers run at once, before the server answers, even for server signals', async () => {
  const { client, sock } = connected();
  const seen = [];
  client.connect('demo.echo', (opts, ctx) => seen.push([opts.text, ctx]));
  const p = client.call('demo.echo', { text: 'x' });
  assert.deepEqual(seen, [['x', { signalId: null, fromServer: false }]]);
  sock.receive({ type: 'accepted', id: 1, jobs: 1 });
  assert.deepEqual((await settled(p)).value, { accepted: true, jobs: 1, local: 1 });
});

test('a signal not in hello.signals with local handlers resolves {accepted:false, local:n} and sends nothing', async () => {
  const { client, sock } = connected();
  client.connect('page.only', () => {});
  client.connect('page.only', () => {});
  assert.deepEqual((await settled(client.call('page.only'))).value, { accepted: false, local: 2 });
  assert.deepEqual(sock.framesOfType('call'), []);
});

test('a signal not in hello.signals and without local handlers rejects with forbidden', async () => {
  const { client, sock } = connected();
  const { error } = await settled(client.call('demo.staff_only'));
  assert.ok(error instanceof SignalError);
  assert.equal(error.code, 'forbidden');
  assert.deepEqual(sock.framesOfType('call'), []);
});

test('a throwing or rejecting local handler is logged; the others still run and count', async () => {
  const { client, logger } = connected();
  const ran = [];
  client.connect('page.x', () => { throw new Error('first'); });
  client.connect('page.x', () => Promise.reject(new Error('async')));
  client.connect('page.x', () => ran.push('third'));
  assert.deepEqual((await settled(client.call('page.x'))).value, { accepted: false, local: 3 });
  assert.deepEqual(ran, ['third']);
  assert.equal(logger.lines.warn.length, 2);
});

test('invalid names: call rejects with invalid_signal_name, connect throws TypeError', async () => {
  const { client } = connected();
  for (const bad of ['', '1abc', 'a..b', 'a.', '.a', 'a-b', 'a b', 'a.1b', 42, null]) {
    assert.equal((await settled(client.call(bad))).error.code, 'invalid_signal_name', String(bad));
    assert.throws(() => client.connect(bad, () => {}), TypeError, String(bad));
  }
  for (const good of ['a', '_a', 'a.b_c', 'A1.b2._c3', 'df.notify']) assert.doesNotThrow(() => client.connect(good, () => {}));
  assert.throws(() => client.connect('a.b', 'not a function'), TypeError);
});

test('opts must be a JSON-serializable object; null/undefined mean {}', async () => {
  const { client, sock } = connected();
  assert.ok((await settled(client.call('demo.echo', [1]))).error instanceof TypeError);
  assert.ok((await settled(client.call('demo.echo', 'x'))).error instanceof TypeError);
  const cyclic = {};
  cyclic.self = cyclic;
  assert.ok((await settled(client.call('demo.echo', cyclic))).error instanceof TypeError);
  client.call('demo.echo', null);
  assert.deepEqual(sock.framesOfType('call').map((f) => f.opts), [{}]);
});

test('opts are captured at call time: later mutation (by the caller or a handler) is not sent', async () => {
  const { client, ws } = setup();
  client.connect('demo.echo', (opts) => { opts.mutated = true; });
  const opts = { text: 'a' };
  client.call('demo.echo', opts);
  opts.text = 'b';
  handshake(ws.last());
  assert.deepEqual(ws.last().framesOfType('call')[0].opts, { text: 'a' });
});

test('connect() returns a remover; disconnect(name[, fn]) removes handlers', async () => {
  const { client } = connected();
  const fn = () => {};
  const remove = client.connect('page.y', fn);
  client.connect('page.y', fn);
  remove();
  remove(); // idempotent: removes only its own registration
  assert.deepEqual((await settled(client.call('page.y'))).value, { accepted: false, local: 1 });
  assert.equal(client.disconnect('page.y', fn), 1);
  client.connect('page.y', () => {});
  client.connect('page.y', () => {});
  assert.equal(client.disconnect('page.y'), 2);
  assert.equal(client.disconnect('never.registered'), 0);
  assert.equal((await settled(client.call('page.y'))).error.code, 'forbidden');
});

test('calls before the first hello are buffered, then sent or settled by the hello list', async () => {
  const { client, ws } = setup();
  client.connect('page.only', () => {});
  const a = client.call('demo.echo', { n: 1 });
  const b = client.call('page.only');
  const c = track(client.call('demo.staff_only'));
  const d = client.call('demo.chat.post', { n: 2 });
  assert.equal(await settled(a), 'pending');
  assert.equal(await settled(b), 'pending'); // the server part waits for hello to know the list
  ws.last().open();
  assert.deepEqual(ws.last().framesOfType('call'), []); // not before hello
  ws.last().receive({ type: 'hello', v: 1, signals: ['demo.echo', 'demo.chat.post'], heartbeat: 25000 });
  assert.deepEqual(ws.last().framesOfType('call').map((f) => [f.id, f.signal, f.opts]), [[1, 'demo.echo', { n: 1 }], [2, 'demo.chat.post', { n: 2 }]]);
  assert.deepEqual((await settled(b)).value, { accepted: false, local: 1 });
  assert.equal((await settled(c)).error.code, 'forbidden');
  ws.last().receive({ type: 'accepted', id: 1, jobs: 1 });
  ws.last().receive({ type: 'accepted', id: 2, jobs: 1 });
  assert.equal((await settled(a)).value.accepted, true);
  assert.equal((await settled(d)).value.accepted, true);
});

test('the buffer is bounded: past bufferSize the oldest buffered call rejects with buffer_full', async () => {
  const { client, ws } = setup({ bufferSize: 2 });
  const calls = [1, 2, 3, 4].map((n) => track(client.call('demo.echo', { n })));
  assert.equal((await settled(calls[0])).error.code, 'buffer_full');
  assert.equal((await settled(calls[1])).error.code, 'buffer_full');
  assert.equal(await settled(calls[2]), 'pending');
  handshake(ws.last());
  assert.deepEqual(ws.last().framesOfType('call').map((f) => f.opts.n), [3, 4]);
});

test('calls while reconnecting are buffered and flushed after the next hello', async () => {
  const { client, ws, clock } = connected();
  ws.last().serverClose(1006);
  assert.equal(client.state, 'reconnecting');
  const p = client.call('demo.echo', { n: 9 });
  const q = client.call('demo.unknown'); // known list: settles at once
  assert.equal((await settled(q)).error.code, 'forbidden');
  clock.advance(250); // random 0.5 × 500 ms
  assert.equal(ws.sockets.length, 2);
  handshake(ws.last());
  const [frame] = ws.last().framesOfType('call');
  assert.deepEqual(frame.opts, { n: 9 });
  ws.last().receive({ type: 'accepted', id: frame.id, jobs: 1 });
  assert.equal((await settled(p)).value.accepted, true);
});

test('a sent call whose answer is lost on disconnect rejects with disconnected and is never re-sent', async () => {
  const { client, ws, clock } = connected();
  const p = client.call('demo.echo', { n: 1 });
  ws.last().serverClose(1001);
  const { error } = await settled(p);
  assert.equal(error.code, 'disconnected');
  assert.equal(error.id, 1);
  clock.advance(20000);
  handshake(ws.last());
  assert.deepEqual(ws.last().framesOfType('call'), []);
  ws.last().receive({ type: 'accepted', id: 1, jobs: 1 }); // stale answer: ignored
});

test('close() rejects sent calls with disconnected and buffered ones with closed; later calls do not hang', async () => {
  const { client, ws } = setup();
  const buffered = client.call('demo.echo');
  client.close();
  assert.equal((await settled(buffered)).error.code, 'closed');
  assert.equal(ws.last().closedWith.code, 1000);

  const c2 = connected();
  const sent = c2.client.call('demo.echo');
  c2.client.close();
  assert.equal((await settled(sent)).error.code, 'disconnected');
  assert.equal((await settled(c2.client.call('demo.echo'))).error.code, 'closed');
  assert.equal((await settled(c2.client.call('demo.other'))).error.code, 'forbidden');
  c2.client.connect('page.z', () => {});
  assert.deepEqual((await settled(c2.client.call('page.z'))).value, { accepted: false, local: 1 });
});

test('a client closed before any hello: local calls resolve, others reject with closed', async () => {
  const { client } = setup({ autoConnect: false });
  client.close();
  client.connect('page.z', () => {});
  assert.deepEqual((await settled(client.call('page.z'))).value, { accepted: false, local: 1 });
  assert.equal((await settled(client.call('demo.echo'))).error.code, 'closed');
});

test('error frame for an unanswered call with a call-level code rejects it', async () => {
  const { client, sock } = connected();
  const p = client.call('demo.echo');
  sock.receive({ type: 'error', id: 1, code: 'bad_frame', message: 'opts must be an object' });
  const { error } = await settled(p);
  assert.equal(error.code, 'bad_frame');
  sock.receive({ type: 'accepted', id: 1, jobs: 1 }); // late answer: ignored
});

test('error frames of settled calls, job errors and id-less errors go to onerror', async () => {
  const { client, sock } = connected();
  const errors = [];
  client.onerror((ctx) => errors.push(ctx));
  const p = client.call('demo.echo');
  sock.receive({ type: 'error', id: 1, code: 'handler_failed', message: 'early' }); // job error before accepted
  assert.equal(await settled(p), 'pending');
  sock.receive({ type: 'accepted', id: 1, jobs: 1 });
  assert.equal((await settled(p)).value.accepted, true);
  sock.receive({ type: 'error', id: 1, code: 'bad_arguments', message: 'missing text', signal: 'demo.echo' });
  sock.receive({ type: 'error', code: 'unknown_frame', message: 'what?' });
  sock.receive({ type: 'error', id: 77, code: 'expired', message: 'too late' });
  assert.deepEqual(errors, [
    { code: 'handler_failed', message: 'early', id: 1, signal: 'demo.echo' },
    { code: 'bad_arguments', message: 'missing text', id: 1, signal: 'demo.echo' },
    { code: 'unknown_frame', message: 'what?', id: null, signal: null },
    { code: 'expired', message: 'too late', id: 77, signal: null },
  ]);
});

test('without an onerror listener a server error is logged once with warn', () => {
  const { sock, logger } = connected();
  sock.receive({ type: 'error', code: 'handler_failed', message: 'x' });
  assert.equal(logger.lines.warn.length, 1);
});

test('answers for unknown ids are ignored', async () => {
  const { client, sock } = connected();
  sock.receive({ type: 'accepted', id: 999, jobs: 1 });
  sock.receive({ type: 'refused', id: 999, code: 'forbidden', message: '' });
  await flush();
  assert.equal(client.state, 'connected');
});

test('a send that throws drops the socket: the call rejects with disconnected and the client reconnects', async () => {
  const { client, sock, clock, ws } = connected();
  sock.readyState = 0; // e.g. a socket the browser considers not open
  const p = track(client.call('demo.echo'));
  assert.equal((await settled(p)).error.code, 'disconnected');
  assert.equal(sock.closedWith.code, 1000); // browsers accept only 1000 and 3000-4999 from a client
  assert.equal(client.state, 'reconnecting');
  clock.advance(250);
  assert.equal(ws.sockets.length, 2);
});
