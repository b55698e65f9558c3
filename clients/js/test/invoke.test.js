// Remote functions (issue 11, protocol §2 `invoke`/`result`): df.invoke, df.fn, and `result` frames, settled at once
// (refusal at dispatch, no pos) or through the §7 ordering (the worker's result, published to the window's topic).
import test from 'node:test';
import assert from 'node:assert/strict';
import { setup, handshake, settled, flush, track, SignalError } from '../testing/fakes.js';

const T = 'aaaaaaaaaaaaaaaa'; // the window's WINDOW topic
const E = 'e1';
const FUNCTIONS = ['demo.add', 'demo.fail'];

/** A connected client whose hello lists FUNCTIONS and tracks topic T at 3. */
function connected(overrides) {
  const ctx = setup(overrides);
  handshake(ctx.ws.last(), { functions: FUNCTIONS, pos: { [T]: [3, E] }, recovered: null });
  return { ...ctx, sock: ctx.ws.last() };
}

/** The worker's result for invoke `id`, published to T at `seq`. */
const published = (id, seq, body, signalId = 'r' + id + '-' + seq) => ({ type: 'result', id, ...body, signal_id: signalId, pos: { [T]: [seq, E] } });
const invokes = (sock) => sock.framesOfType('invoke');

test('invoke sends one invoke frame and resolves with the value of its result', async () => {
  const { client, sock } = connected();
  const p = client.invoke('demo.add', { a: 2, b: 3 });
  assert.deepEqual(invokes(sock), [{ type: 'invoke', id: 1, signal: 'demo.add', opts: { a: 2, b: 3 } }]);
  assert.equal(await settled(p), 'pending');
  sock.receive(published(1, 4, { value: 5 }));
  assert.deepEqual(await settled(p), { value: 5 });
  assert.deepEqual(client.positions[T], { seq: 4, epoch: E }); // the result advanced the window's topic
});

test('values: any JSON; a missing value is null; kwargs default to {} and are captured at invoke time', async () => {
  const { client, sock } = connected();
  const kwargs = { a: 1 };
  const values = [null, 0, 'text', [1, 2], { nested: { ok: true } }, false, undefined];
  const ps = values.map((v, i) => client.invoke('demo.add', i === 0 ? undefined : kwargs));
  kwargs.a = 'changed';
  assert.deepEqual(invokes(sock).map((f) => f.opts), [{}, ...values.slice(1).map(() => ({ a: 1 }))]);
  values.forEach((value, i) => sock.receive(published(i + 1, 4 + i, value === undefined ? {} : { value })));
  for (const [i, p] of ps.entries()) assert.deepEqual(await settled(p), { value: values[i] === undefined ? null : values[i] });
});

test('calls and invokes take ids from one counter', () => {
  const { client, sock } = connected();
  track(client.call('demo.echo'));
  track(client.invoke('demo.add'));
  track(client.call('demo.echo'));
  assert.deepEqual(sock.frames().filter((f) => f.id).map((f) => [f.type, f.id]), [['call', 1], ['invoke', 2], ['call', 3]]);
});

test('a refusal at dispatch (no pos) rejects at once with its code, message, signal and id', async () => {
  const { client, sock } = connected();
  const codes = ['invalid_signal_name', 'unknown_signal', 'forbidden', 'kwargs_too_large', 'unavailable', 'rate_limited'];
  const ps = codes.map(() => track(client.invoke('demo.add', { a: 1 })));
  codes.forEach((code, i) => sock.receive({ type: 'result', id: i + 1, error: { code, message: 'no: ' + code } }));
  for (const [i, p] of ps.entries()) {
    const { error } = await settled(p);
    assert.ok(error instanceof SignalError, codes[i]);
    assert.deepEqual([error.code, error.message, error.signal, error.id], [codes[i], 'no: ' + codes[i], 'demo.add', i + 1]);
  }
  assert.deepEqual(client.positions[T], { seq: 3, epoch: E }); // not sequenced: no position moved
});

test("a worker's error (sequenced) rejects with handler_failed, bad_arguments or expired", async () => {
  const { client, sock } = connected();
  const codes = ['handler_failed', 'bad_arguments', 'expired'];
  const ps = codes.map(() => track(client.invoke('demo.fail')));
  codes.forEach((code, i) => sock.receive(published(i + 1, 4 + i, { error: { code, message: code === 'handler_failed' ? 'nope' : 'x' } })));
  for (const [i, p] of ps.entries()) {
    const { error } = await settled(p);
    assert.ok(error instanceof SignalError);
    assert.deepEqual([error.code, error.signal, error.id], [codes[i], 'demo.fail', i + 1]);
  }
  assert.equal((await settled(ps[0])).error.message, 'nope');
  assert.deepEqual(client.positions[T], { seq: 6, epoch: E });
});

test('client-side checks: bad name, a name not in hello.functions, bad kwargs or options; nothing is sent', async () => {
  const { client, sock } = connected();
  for (const bad of ['', '1abc', 'a..b', 'a-b', 42, null]) {
    const { error } = await settled(client.invoke(bad));
    assert.equal(error.code, 'invalid_signal_name', String(bad));
  }
  const forbidden = (await settled(client.invoke('demo.echo'))).error; // a signal (hello.signals), not a function
  assert.deepEqual([forbidden.code, forbidden.signal, forbidden.id], ['forbidden', 'demo.echo', null]);
  assert.equal((await settled(client.invoke('demo.nothing'))).error.code, 'forbidden');
  const cyclic = {};
  cyclic.self = cyclic;
  for (const [kwargs, options] of [[[1], undefined], ['x', undefined], [cyclic, undefined], [{}, 5], [{}, { timeout: 0 }],
    [{}, { timeout: -1 }], [{}, { timeout: '100' }], [{}, { timeout: NaN }], [{}, { timeout: Infinity }], [{}, { timeout: 2 ** 31 }]]) {
    assert.ok((await settled(client.invoke('demo.add', kwargs, options))).error instanceof TypeError, JSON.stringify([kwargs === cyclic ? 'cyclic' : kwargs, options]));
  }
  assert.deepEqual(invokes(sock), []);
});

test('a hello without functions (an older server) lets nothing be invoked', async () => {
  const { client, ws } = setup();
  handshake(ws.last());
  assert.equal((await settled(client.invoke('demo.add'))).error.code, 'forbidden');
  assert.deepEqual(invokes(ws.last()), []);
});

test('timeout: default options.invokeTimeout (30000 ms), then a late result is ignored', async () => {
  const { client, sock, clock, logger } = connected();
  const p = track(client.invoke('demo.add', { a: 1, b: 1 }));
  clock.advance(29999);
  assert.equal(await settled(p), 'pending');
  clock.advance(1);
  const { error } = await settled(p);
  assert.ok(error instanceof SignalError);
  assert.deepEqual([error.code, error.signal, error.id], ['timeout', 'demo.add', 1]);
  sock.receive(published(1, 4, { value: 2 }));
  assert.deepEqual((await settled(p)).error.code, 'timeout');
  assert.ok(logger.lines.debug.some((line) => /unknown or settled invoke 1/.test(line[0])));
  assert.deepEqual(client.positions[T], { seq: 4, epoch: E }); // the late result still advanced the topic
});

test('timeout: per invoke {timeout}, or options.invokeTimeout; a settled invoke leaves no timer', async () => {
  const { client, sock, clock } = connected({ invokeTimeout: 500 });
  const fast = track(client.invoke('demo.add', {}, { timeout: 100 }));
  const dflt = track(client.invoke('demo.add'));
  const answered = client.invoke('demo.add', {}, { timeout: 100000 });
  sock.receive(published(3, 4, { value: 1 }));
  assert.deepEqual(await settled(answered), { value: 1 });
  clock.advance(100);
  assert.equal((await settled(fast)).error.code, 'timeout');
  assert.equal(await settled(dflt), 'pending');
  client.options.invokeTimeout = 50; // live option: read by each invoke
  const later = track(client.invoke('demo.add'));
  clock.advance(50);
  assert.equal((await settled(later)).error.code, 'timeout');
  clock.advance(350);
  assert.equal((await settled(dflt)).error.code, 'timeout');
  assert.deepEqual(clock.pending().filter((ms) => ms > 25000 || ms === 0), []); // only the heartbeat remains
});

test('an invoke that times out while waiting for hello is never sent', async () => {
  const { client, ws, clock } = setup();
  const p = track(client.invoke('demo.add', {}, { timeout: 100 }));
  clock.advance(100);
  assert.equal((await settled(p)).error.code, 'timeout');
  handshake(ws.last(), { functions: FUNCTIONS });
  assert.deepEqual(invokes(ws.last()), []);
});

test('invokes before hello wait with the calls, in order, and go out when hello lists them', async () => {
  const { client, ws } = setup();
  const a = client.invoke('demo.add', { n: 1 });
  track(client.call('demo.echo', { n: 2 }));
  const forbidden = track(client.invoke('demo.staff_fn'));
  assert.equal(await settled(a), 'pending');
  handshake(ws.last(), { functions: FUNCTIONS, pos: { [T]: [0, E] } });
  assert.deepEqual(ws.last().frames().filter((f) => f.id).map((f) => [f.type, f.id, f.opts.n]), [['invoke', 1, 1], ['call', 2, 2]]);
  assert.equal((await settled(forbidden)).error.code, 'forbidden');
  ws.last().receive(published(1, 1, { value: 'ok' }));
  assert.deepEqual(await settled(a), { value: 'ok' });
});

test('a sent invoke stays pending across a reconnect and is settled by the replayed result', async () => {
  const { client, sock, clock, ws } = connected();
  const p = client.invoke('demo.add', { a: 2, b: 3 });
  sock.serverClose(1006);
  assert.equal(client.state, 'reconnecting');
  assert.equal(await settled(p), 'pending'); // no `disconnected` rejection
  clock.advance(250);
  const next = ws.last();
  next.open();
  assert.deepEqual(next.frames()[0].resume, { [T]: [3, E] });
  next.receive(published(1, 4, { value: 5 })); // published while the socket was down: replayed before hello
  assert.deepEqual(await settled(p), { value: 5 });
  next.receive({ type: 'hello', v: 1, signals: [], functions: FUNCTIONS, heartbeat: 25000, pos: { [T]: [4, E] }, recovered: true });
  assert.equal(client.state, 'connected');
  assert.deepEqual(invokes(next), []); // never re-sent
});

test('a sent invoke also survives a reconnect whose result comes live after hello', async () => {
  const { client, sock, clock, ws } = connected();
  const p = client.invoke('demo.add', { a: 1, b: 1 });
  sock.serverClose(1001);
  clock.advance(250);
  handshake(ws.last(), { functions: FUNCTIONS, pos: { [T]: [3, E] }, recovered: true });
  assert.equal(await settled(p), 'pending');
  ws.last().receive(published(1, 4, { value: 2 }));
  assert.deepEqual(await settled(p), { value: 2 });
});

test('a result behind a gap is held (and resume asked) until the gap fills, then applied in order', async () => {
  const { client, sock } = connected();
  const order = [];
  client.connect('s.msg', (opts, ctx) => order.push(ctx.signalId));
  const p = client.invoke('demo.add', { a: 2, b: 3 });
  p.then((v) => order.push('result ' + v));
  sock.receive(published(1, 5, { value: 5 }));
  assert.equal(await settled(p), 'pending');
  assert.deepEqual(sock.framesOfType('resume').map((f) => f.pos), [{ [T]: [3, E] }]);
  sock.receive({ type: 'signal', signal: 's.msg', opts: {}, signal_id: 'm4', pos: { [T]: [4, E] } });
  assert.deepEqual(await settled(p), { value: 5 });
  assert.deepEqual(order, ['m4', 'result 5']);
  assert.deepEqual(client.positions[T], { seq: 5, epoch: E });
});

test('the same result twice (same signal_id) settles once; a second result for a settled id is ignored', async () => {
  const { client, sock, logger } = connected();
  const p = client.invoke('demo.add');
  const frame = published(1, 4, { value: 1 }, 'sig-1');
  sock.receive(frame);
  sock.receive(frame); // same position again: seen
  sock.receive({ ...frame, pos: { [T]: [5, E] } }); // same signal_id at a new position (another node's copy)
  assert.deepEqual(await settled(p), { value: 1 });
  assert.deepEqual(client.positions[T], { seq: 5, epoch: E });
  assert.deepEqual(logger.lines.debug.filter((l) => /unknown or settled/.test(l[0])), []); // deduplicated before lookup
  sock.receive(published(1, 6, { error: { code: 'handler_failed', message: 'late' } }, 'sig-2'));
  sock.receive({ type: 'result', id: 1, error: { code: 'forbidden', message: 'late too' } });
  sock.receive({ type: 'result', id: 99, value: 1 });
  assert.deepEqual(await settled(p), { value: 1 });
  assert.equal(logger.lines.debug.filter((l) => /unknown or settled/.test(l[0])).length, 3);
  assert.equal(client.state, 'connected');
});

test('results never run signal handlers nor onerror listeners', async () => {
  const { client, sock } = connected();
  const ran = [];
  const errors = [];
  for (const name of ['demo.add', 'demo.fail', 'result']) client.connect(name, () => ran.push(name));
  client.onerror((ctx) => errors.push(ctx));
  const ok = client.invoke('demo.add');
  const ko = track(client.invoke('demo.fail'));
  sock.receive({ ...published(1, 4, { value: 1 }), signal: 'demo.add', opts: {} });
  sock.receive({ ...published(2, 5, { error: { code: 'handler_failed', message: 'nope' } }), signal: 'demo.fail' });
  sock.receive({ type: 'result', id: 7, signal: 'result', value: 0 });
  assert.deepEqual(await settled(ok), { value: 1 });
  assert.equal((await settled(ko)).error.code, 'handler_failed');
  assert.deepEqual([ran, errors], [[], []]);
});

test('a call-level error frame naming an invoke rejects it; a job error naming it does not', async () => {
  const { client, sock } = connected();
  const errors = [];
  client.onerror((ctx) => errors.push(ctx.code));
  const a = track(client.invoke('demo.add'));
  const b = client.invoke('demo.add');
  sock.receive({ type: 'error', id: 1, code: 'bad_frame', message: 'opts must be an object' });
  sock.receive({ type: 'error', id: 2, code: 'handler_failed', message: 'not for invokes' });
  assert.deepEqual([(await settled(a)).error.code, (await settled(a)).error.id], ['bad_frame', 1]);
  assert.equal(await settled(b), 'pending');
  assert.deepEqual(errors, ['handler_failed']);
});

test('buffer_full: invokes and calls share the bounded buffer, the oldest is dropped', async () => {
  const { client, ws } = setup({ bufferSize: 2 });
  const a = track(client.invoke('demo.add', { n: 1 }));
  const b = track(client.call('demo.echo', { n: 2 }));
  const c = track(client.invoke('demo.add', { n: 3 }));
  const d = track(client.invoke('demo.add', { n: 4 }));
  const { error } = await settled(a);
  assert.deepEqual([error.code, error.signal, error.id], ['buffer_full', 'demo.add', null]);
  assert.equal((await settled(b)).error.code, 'buffer_full');
  assert.equal(await settled(c), 'pending');
  handshake(ws.last(), { functions: FUNCTIONS });
  assert.deepEqual(invokes(ws.last()).map((f) => f.opts.n), [3, 4]);
  assert.equal(await settled(d), 'pending');
});

test('closed: buffered and sent invokes reject with closed on close(); later invokes too', async () => {
  const { client, ws } = setup();
  const buffered = track(client.invoke('demo.add'));
  client.close();
  assert.equal((await settled(buffered)).error.code, 'closed');
  assert.equal((await settled(client.invoke('demo.add'))).error.code, 'closed'); // no hello ever: unknown list
  assert.deepEqual(invokes(ws.last()), []);

  const c2 = connected();
  const sent = track(c2.client.invoke('demo.add'));
  c2.client.close();
  const { error } = await settled(sent);
  assert.deepEqual([error.code, error.id], ['closed', 1]);
  assert.equal((await settled(c2.client.invoke('demo.add'))).error.code, 'closed');
  assert.equal((await settled(c2.client.invoke('demo.other'))).error.code, 'forbidden');
  assert.deepEqual(c2.clock.pending(), []); // no invoke timer left
});

test('a terminal close (4001) rejects the sent invokes with closed', async () => {
  const { client, sock } = connected();
  const p = track(client.invoke('demo.add'));
  sock.serverClose(4001, 'token expired');
  assert.equal(client.state, 'closed');
  assert.equal((await settled(p)).error.code, 'closed');
});

test('df.fn: the property path is the function name, a call invokes it with kwargs and options', async () => {
  const { client, sock, clock } = connected();
  const p = client.fn.demo.add({ a: 2, b: 3 });
  const slow = track(client.fn.demo.fail({}, { timeout: 10 }));
  const deep = (await settled(client.fn.a.b.c.d())).error; // not in hello.functions: refused locally, by its full name
  assert.deepEqual([deep.code, deep.signal], ['forbidden', 'a.b.c.d']);
  assert.deepEqual(invokes(sock).map((f) => [f.signal, f.opts]), [['demo.add', { a: 2, b: 3 }], ['demo.fail', {}]]);
  sock.receive(published(1, 4, { value: 5 }));
  assert.deepEqual(await settled(p), { value: 5 });
  clock.advance(10);
  assert.equal((await settled(slow)).error.code, 'timeout');
  assert.equal((await settled(client.fn())).error.code, 'invalid_signal_name'); // df.fn itself names nothing
  const fn = client.fn.demo.add;
  assert.equal(typeof fn, 'function');
  assert.throws(() => new fn(), TypeError);
});

test('df.fn is not thenable: awaiting a path, JSON.stringify and string coercion invoke nothing', async () => {
  const { client, sock } = connected();
  assert.equal(client.fn.demo.then, undefined);
  assert.equal(client.fn.then, undefined);
  const awaited = await client.fn.demo;
  assert.equal(typeof awaited, 'function'); // the path itself, not a result
  assert.equal(String(await Promise.resolve(client.fn.demo.add)), '[df.fn demo.add]');
  assert.equal(JSON.stringify({ f: client.fn.demo }), '{}');
  assert.equal(String(client.fn.demo.add), '[df.fn demo.add]');
  assert.equal(`${client.fn}`, '[df.fn ]');
  assert.equal(client.fn[Symbol.iterator], undefined);
  await flush();
  assert.deepEqual(invokes(sock), []);
});

test('every client from createClient has its own invoke and fn', async () => {
  const one = connected();
  const two = connected();
  assert.notEqual(one.client.fn, two.client.fn);
  track(one.client.fn.demo.add({ x: 1 }));
  assert.equal(invokes(one.sock).length, 1);
  assert.equal(invokes(two.sock).length, 0);
});
