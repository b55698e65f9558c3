// Ordering and replay (protocol §7): positions per topic, gaps, resume/resumed, df.resync, reconnect resume.
// src/df-ordering.js decides; most tests drive it through a client (frames in, handlers and resume frames out),
// the first ones call createOrdering directly through the hooks a client gives it.
import test from 'node:test';
import assert from 'node:assert/strict';
import { setup, handshake, track, parts, fakeClock } from '../testing/fakes.js';

const T = 'aaaaaaaaaaaaaaaa';
const U = 'bbbbbbbbbbbbbbbb';
const E = 'e1';

/** A connected client whose window has topics T (at 3) and U (at 10), recording what runs. */
function connected({ pos = { [T]: [3, E], [U]: [10, E] }, ...overrides } = {}) {
  const ctx = setup(overrides);
  handshake(ctx.ws.last(), { pos, recovered: null });
  const ran = [];
  const resyncs = [];
  ctx.client.connect('s.msg', (opts, c) => ran.push(c.signalId));
  ctx.client.connect('df.resync', (opts, c) => resyncs.push([opts, c]));
  return { ...ctx, sock: ctx.ws.last(), ran, resyncs };
}

/** A signal frame `s.msg` with signal_id `id` and positions {topic: seq} (epoch E unless given as [seq, epoch]). */
function sig(id, pos) {
  const p = pos === undefined ? undefined : Object.fromEntries(Object.entries(pos).map(([t, v]) => [t, Array.isArray(v) ? v : [v, E]]));
  return { type: 'signal', signal: 's.msg', opts: {}, signal_id: id, ...(p ? { pos: p } : {}) };
}

const resumes = (sock) => sock.framesOfType('resume');
const at = (seq, epoch = E) => ({ seq, epoch });

/** createOrdering alone, with recording hooks (what df-client.js passes it). */
function bareOrdering({ maxHeldFrames = 1000, pongTimeout = 10000 } = {}) {
  const clock = fakeClock();
  const ran = [];
  const sent = [];
  const resyncs = [];
  const ordering = parts.createOrdering({
    run: (frame) => ran.push(frame.signal_id),
    live: () => true,
    sendResume: (pos) => { sent.push(pos); return sent.length; },
    resync: (ids) => resyncs.push(ids),
    setTimeout: clock.setTimeout,
    clearTimeout: clock.clearTimeout,
    options: { maxHeldFrames, pongTimeout },
  });
  return { ordering, clock, ran, sent, resyncs };
}

test('createOrdering: a gap holds the frame and asks resume through sendResume; the late frame releases both in order', () => {
  const { ordering, clock, ran, sent, resyncs } = bareOrdering();
  assert.equal(ordering.hello({ [T]: [3, E] }, null), null);
  ordering.receive(sig('x')); // not sequenced: runs at once
  ordering.receive(sig('b', { [T]: 5 }));
  assert.deepEqual(ran, ['x']);
  assert.deepEqual(sent, [{ [T]: [3, E] }]);
  assert.deepEqual(clock.pending(), [10000]);
  ordering.receive(sig('a', { [T]: 4 }));
  assert.deepEqual(ran, ['x', 'a', 'b']);
  assert.deepEqual(ordering.snapshot(), { [T]: at(5) });
  assert.deepEqual(ordering.resumeFrame(), { [T]: [5, E] });
  ordering.resumed(1, true); // the answer of a gap closed meanwhile changes nothing
  assert.deepEqual([ran.length, resyncs, clock.pending()], [3, [], []]);
});

test('createOrdering: resumed(false) and the resume timeout give up through resync, and continue from the held frames', () => {
  const { ordering, clock, ran, sent, resyncs } = bareOrdering();
  ordering.hello({ [T]: [3, E], [U]: [10, E] }, null);
  ordering.receive(sig('t', { [T]: 6 }));
  ordering.resumed(1, false);
  assert.deepEqual([ran, resyncs], [['t'], [[T]]]);
  ordering.receive(sig('u', { [U]: 12 }));
  assert.deepEqual(sent.at(-1), { [U]: [10, E] });
  clock.advance(10000); // no `resumed` within pongTimeout
  assert.deepEqual([ran, resyncs], [['t', 'u'], [[T], [U]]]);
  assert.deepEqual(ordering.snapshot(), { [T]: at(6), [U]: at(12) });
});

test('hello.pos initialises df.positions, a frozen snapshot', () => {
  const { client } = connected();
  assert.deepEqual(client.positions, { [T]: at(3), [U]: at(10) });
  assert.ok(Object.isFrozen(client.positions));
  assert.ok(Object.isFrozen(client.positions[T]));
  assert.notEqual(client.positions, client.positions); // a fresh snapshot per read
  const before = setup();
  assert.deepEqual(before.client.positions, {});
});

test('in-order frames run and advance their topic', () => {
  const { sock, client, ran } = connected();
  sock.receive(sig('a', { [T]: 4 }));
  sock.receive(sig('b', { [T]: 5 }));
  sock.receive(sig('c', { [U]: 11 }));
  assert.deepEqual(ran, ['a', 'b', 'c']);
  assert.deepEqual(client.positions, { [T]: at(5), [U]: at(11) });
  assert.deepEqual(resumes(sock), []);
});

test('frames without pos, or only with untracked topics, run as before (dedupe by signal_id)', () => {
  const { sock, client, ran } = connected();
  sock.receive(sig('a'));
  sock.receive(sig('a'));
  sock.receive(sig('b', { cccccccccccccccc: 99 }));
  sock.receive(sig('c', { [T]: 'x' })); // a malformed entry is ignored
  assert.deepEqual(ran, ['a', 'b', 'c']);
  assert.deepEqual(client.positions, { [T]: at(3), [U]: at(10) });
});

test('a duplicate position is dropped, even under another signal_id', () => {
  const { sock, client, ran } = connected();
  sock.receive(sig('a', { [T]: 4 }));
  sock.receive(sig('a', { [T]: 4 }));
  sock.receive(sig('other', { [T]: 4 }));
  sock.receive(sig('old', { [T]: 2 }));
  assert.deepEqual(ran, ['a']);
  assert.deepEqual(client.positions[T], at(4));
  assert.deepEqual(resumes(sock), []);
});

test('a frame in two topics advances both and runs once; seen through one topic, new through the other, it runs', () => {
  const { sock, client, ran } = connected();
  sock.receive(sig('a', { [T]: 4, [U]: 11 }));
  assert.deepEqual(client.positions, { [T]: at(4), [U]: at(11) });
  sock.receive(sig('b', { [T]: 5 }));
  // Same message arriving through U only now: its T position was passed, its U position is next.
  sock.receive(sig('c', { [T]: 4, [U]: 12 }));
  assert.deepEqual(ran, ['a', 'b', 'c']);
  assert.deepEqual(client.positions, { [T]: at(5), [U]: at(12) });
  // A signal_id already run still advances the position, without running again.
  sock.receive(sig('a', { [U]: 13 }));
  assert.deepEqual(ran, ['a', 'b', 'c']);
  assert.deepEqual(client.positions[U], at(13));
});

test('a gap sends resume with the last positions of the gapped topics and holds later frames of that topic', () => {
  const { sock, client, ran } = connected();
  sock.receive(sig('a', { [T]: 4 }));
  track(client.call('demo.echo')); // a call takes id 1: resume ids share the counter
  assert.equal(sock.framesOfType('call')[0].id, 1);
  sock.receive(sig('f6', { [T]: 6 }));
  assert.deepEqual(resumes(sock), [{ type: 'resume', id: 2, pos: { [T]: [4, E] } }]);
  sock.receive(sig('f7', { [T]: 7 }));
  sock.receive(sig('x', { [T]: 8, [U]: 11 })); // held: behind T's gap, although next in U
  sock.receive(sig('y', { [U]: 12 }));          // held: U's next frame is held
  sock.receive(sig('z', { cccccccccccccccc: 1 })); // not ordered: runs at once
  assert.deepEqual(ran, ['a', 'z']);
  assert.equal(resumes(sock).length, 1, 'one resume per gap; U is not gapped, only waiting');
  assert.deepEqual(client.positions, { [T]: at(4), [U]: at(10) });
});

test('the replay and resumed release held frames in order, without duplicates', () => {
  const { sock, client, ran, resyncs } = connected();
  sock.receive(sig('f6', { [T]: 6, [U]: 11 }));
  sock.receive(sig('f7', { [T]: 7 }));
  const [{ id }] = resumes(sock);
  // Replay: the missing 4 and 5, then 6 and 7 again (carrying only T's position), then resumed.
  sock.receive(sig('f4', { [T]: 4 }));
  assert.deepEqual(ran, ['f4']);
  sock.receive(sig('f5', { [T]: 5 }));
  assert.deepEqual(ran, ['f4', 'f5', 'f6', 'f7']);
  sock.receive(sig('f6', { [T]: 6 }));
  sock.receive(sig('f7', { [T]: 7 }));
  sock.receive({ type: 'resumed', id, recovered: true });
  sock.receive(sig('f8', { [T]: 8 }));
  assert.deepEqual(ran, ['f4', 'f5', 'f6', 'f7', 'f8']);
  assert.deepEqual(client.positions, { [T]: at(8), [U]: at(11) });
  assert.deepEqual(resyncs, []);
  assert.equal(resumes(sock).length, 1);
});

test('a late out-of-order frame fills the gap without waiting for resumed; the later resumed is harmless', () => {
  const { sock, client, ran, resyncs, clock } = connected();
  sock.receive(sig('f5', { [T]: 5 }));
  sock.receive(sig('f6', { [T]: 6 }));
  const [{ id }] = resumes(sock);
  sock.receive(sig('f4', { [T]: 4 })); // the late one
  assert.deepEqual(ran, ['f4', 'f5', 'f6']);
  assert.deepEqual(client.positions[T], at(6));
  assert.deepEqual(clock.pending(), [25000], 'only the heartbeat: the resume timer was cleared');
  // The server's replay of the same frames and its answer change nothing.
  sock.receive(sig('f4', { [T]: 4 }));
  sock.receive(sig('f5', { [T]: 5 }));
  sock.receive(sig('f6', { [T]: 6 }));
  sock.receive({ type: 'resumed', id, recovered: false });
  assert.deepEqual(ran, ['f4', 'f5', 'f6']);
  assert.deepEqual(resyncs, []);
  sock.receive(sig('f7', { [T]: 7 }));
  assert.deepEqual(ran, ['f4', 'f5', 'f6', 'f7']);
});

test('recovered:false runs df.resync {topics} through the handler table and continues from the held frames', () => {
  const { sock, client, ran, resyncs } = connected();
  sock.receive(sig('f7', { [T]: 7 }));
  sock.receive(sig('f8', { [T]: 8 }));
  const [{ id }] = resumes(sock);
  // History trimmed: the server still had 6 only.
  sock.receive(sig('f6', { [T]: 6 }));
  assert.deepEqual(ran, []);
  sock.receive({ type: 'resumed', id, recovered: false });
  assert.deepEqual(ran, ['f6', 'f7', 'f8']);
  assert.deepEqual(resyncs, [[{ topics: [T] }, { signalId: null, fromServer: false }]]);
  assert.deepEqual(client.positions[T], at(8));
  sock.receive(sig('f9', { [T]: 9 }));
  assert.deepEqual(ran, ['f6', 'f7', 'f8', 'f9']);
  assert.equal(resumes(sock).length, 1);
});

test('resume for two topics: recovered:false resyncs only the one still gapped after the replay', () => {
  const { sock, ran, resyncs } = connected();
  sock.receive(sig('x', { [T]: 5, [U]: 12 }));
  assert.deepEqual(resumes(sock), [{ type: 'resume', id: 1, pos: { [T]: [3, E], [U]: [10, E] } }]);
  sock.receive(sig('t4', { [T]: 4 }));  // T filled by the replay; U's 11 is gone
  sock.receive({ type: 'resumed', id: 1, recovered: false });
  assert.deepEqual(ran, ['t4', 'x']);
  assert.deepEqual(resyncs.map(([o]) => o), [{ topics: [U] }]);
});

test('recovered:true with the gap still open asks again from the new position, then gives up without progress', () => {
  const { sock, ran, resyncs } = connected();
  sock.receive(sig('f7', { [T]: 7 }));
  sock.receive(sig('f4', { [T]: 4 }));
  sock.receive({ type: 'resumed', id: 1, recovered: true });
  assert.deepEqual(resumes(sock).map((f) => f.pos), [{ [T]: [3, E] }, { [T]: [4, E] }]);
  sock.receive({ type: 'resumed', id: 2, recovered: true }); // no progress: stop waiting
  assert.deepEqual(ran, ['f4', 'f7']);
  assert.deepEqual(resyncs.map(([o]) => o), [{ topics: [T] }]);
});

test('no resumed within pongTimeout counts as not recovered', () => {
  const { sock, ran, resyncs, clock } = connected();
  sock.receive(sig('f5', { [T]: 5 }));
  clock.advance(9999);
  assert.deepEqual(ran, []);
  clock.advance(1);
  assert.deepEqual(ran, ['f5']);
  assert.deepEqual(resyncs.map(([o]) => o), [{ topics: [T] }]);
  sock.receive({ type: 'resumed', id: 1, recovered: true }); // too late: nothing happens
  assert.deepEqual(ran, ['f5']);
});

test('another epoch is a gap: resume, recovered:false, df.resync, then the new epoch is followed', () => {
  const { sock, client, ran, resyncs } = connected();
  sock.receive(sig('n1', { [T]: [1, 'e2'] }));
  assert.deepEqual(ran, []);
  assert.deepEqual(resumes(sock), [{ type: 'resume', id: 1, pos: { [T]: [3, E] } }]);
  sock.receive(sig('n2', { [T]: [2, 'e2'] }));
  sock.receive({ type: 'resumed', id: 1, recovered: false });
  assert.deepEqual(ran, ['n1', 'n2']);
  assert.deepEqual(resyncs.map(([o]) => o), [{ topics: [T] }]);
  assert.deepEqual(client.positions[T], at(2, 'e2'));
  sock.receive(sig('n3', { [T]: [3, 'e2'] }));
  sock.receive(sig('late', { [T]: [4, E] })); // the epoch left behind: seen, not a new gap
  assert.deepEqual(ran, ['n1', 'n2', 'n3']);
  assert.equal(resumes(sock).length, 1);
});

test('the hold buffer is bounded per topic: on overflow df.resync and continue from the held frames', () => {
  const { sock, client, ran, resyncs } = connected({ maxHeldFrames: 3 });
  for (const seq of [5, 6, 7]) sock.receive(sig('f' + seq, { [T]: seq }));
  assert.deepEqual(ran, []);
  sock.receive(sig('f8', { [T]: 8 }));
  assert.deepEqual(ran, ['f5', 'f6', 'f7', 'f8']);
  assert.deepEqual(resyncs.map(([o]) => o), [{ topics: [T] }]);
  assert.deepEqual(client.positions[T], at(8));
  sock.receive({ type: 'resumed', id: 1, recovered: true }); // the answer to the abandoned resume
  sock.receive(sig('f4', { [T]: 4 }));
  assert.deepEqual(ran, ['f5', 'f6', 'f7', 'f8']);
  assert.equal(resyncs.length, 1);
});

test('frames waiting on each other across topics do not deadlock', () => {
  const { sock, ran, client } = connected();
  // A is next in T but after a gap in U; B is next in U but after a gap in T.
  sock.receive(sig('A', { [T]: 4, [U]: 12 }));
  sock.receive(sig('B', { [T]: 5, [U]: 11 }));
  assert.deepEqual(ran, ['A', 'B']); // the oldest goes first, its topics jump to it
  assert.deepEqual(client.positions, { [T]: at(5), [U]: at(12) });
});

test('reconnect sends connect.resume with the positions of every tracked topic', () => {
  const { sock, ws, clock } = connected();
  sock.receive(sig('a', { [T]: 4 }));
  sock.receive(sig('b', { [U]: 11 }));
  sock.serverClose(1006);
  clock.advance(1000);
  ws.last().open();
  assert.deepEqual(ws.last().frames(), [{ type: 'connect', v: 1, token: 'tok-1', resume: { [T]: [4, E], [U]: [11, E] } }]);
});

test('no resume field on the first connect or when nothing is tracked', () => {
  const ctx = setup();
  ctx.ws.last().open();
  assert.deepEqual(ctx.ws.last().frames(), [{ type: 'connect', v: 1, token: 'tok-1' }]);
  ctx.ws.last().receive({ type: 'hello', v: 1, signals: [], heartbeat: 0 }); // a server without pos
  ctx.ws.last().serverClose(1006);
  ctx.clock.advance(1000);
  ctx.ws.last().open();
  assert.deepEqual(ctx.ws.last().frames(), [{ type: 'connect', v: 1, token: 'tok-1' }]);
});

test('frames replayed before hello are applied; hello.pos is authoritative; onreconnect gets recovered:true', () => {
  const { sock, ws, clock, client, ran, resyncs } = connected();
  const reconnects = [];
  client.onreconnect((c) => reconnects.push(c));
  sock.receive(sig('a', { [T]: 4 }));
  sock.receive(sig('held', { [T]: 6 })); // behind a gap when the connection drops: dropped, replayed later
  sock.serverClose(1006);
  clock.advance(1000);
  const next = ws.last();
  next.open();
  assert.deepEqual(next.frames()[0].resume, { [T]: [4, E], [U]: [10, E] });
  next.receive(sig('r5', { [T]: 5 }));
  next.receive(sig('held', { [T]: 6 }));
  next.receive(sig('r11', { [U]: 11 }));
  assert.deepEqual(ran, ['a', 'r5', 'held', 'r11']);
  assert.deepEqual(resumes(next), [], 'no resume before hello');
  next.receive({ type: 'hello', v: 1, signals: [], heartbeat: 0, pos: { [T]: [6, E], [U]: [11, E] }, recovered: true });
  assert.deepEqual(reconnects, [{ attempts: 1, signals: [], recovered: true }]);
  assert.deepEqual(resyncs, []);
  next.receive(sig('live', { [T]: 7 }));
  assert.deepEqual(ran, ['a', 'r5', 'held', 'r11', 'live']);
  assert.deepEqual(client.positions, { [T]: at(7), [U]: at(11) });
});

test('hello.recovered:false: onreconnect says so, then df.resync gets the topics whose position moved unexpectedly', () => {
  const { sock, ws, clock, client, ran, resyncs } = connected();
  const events = [];
  client.onreconnect((c) => events.push(['reconnect', c.recovered]));
  client.connect('df.resync', (o) => events.push(['resync', o.topics]));
  sock.serverClose(1006);
  clock.advance(1000);
  const next = ws.last();
  next.open();
  // T: history trimmed, the replay starts at 6 (4 and 5 lost): accepted as is, no resume before hello.
  next.receive(sig('r6', { [T]: 6 }));
  next.receive(sig('r7', { [T]: 7 }));
  assert.deepEqual(ran, ['r6', 'r7']);
  next.receive({ type: 'hello', v: 1, signals: [], heartbeat: 0, pos: { [T]: [7, E], [U]: [10, E] }, recovered: false });
  assert.deepEqual(events, [['reconnect', false], ['resync', [T]]]);
  assert.deepEqual(resyncs.map(([o]) => o), [{ topics: [T] }]);
  assert.deepEqual(resumes(next), []);
});

test('hello.recovered:false with positions changed by hello itself, or nothing to tell: resync those, else all', () => {
  const a = connected();
  a.sock.serverClose(1006);
  a.clock.advance(1000);
  handshake(a.ws.last(), { pos: { [T]: [1, 'e9'], [U]: [10, E] }, recovered: false });
  assert.deepEqual(a.resyncs.map(([o]) => o), [{ topics: [T] }]);
  assert.deepEqual(a.client.positions, { [T]: at(1, 'e9'), [U]: at(10) });

  const b = connected();
  b.sock.serverClose(1006);
  b.clock.advance(1000);
  handshake(b.ws.last(), { pos: { [T]: [3, E], [U]: [10, E] }, recovered: false });
  assert.deepEqual(b.resyncs.map(([o]) => o), [{ topics: [T, U] }]);
});

test('hello.pos replaces the tracked topics; a gap held when the socket drops is not resumed on the old id', () => {
  const { sock, ws, clock, client, ran } = connected();
  sock.receive(sig('f5', { [T]: 5 }));
  assert.equal(resumes(sock).length, 1);
  sock.serverClose(1006);
  assert.deepEqual(clock.pending().length, 1, 'only the reconnect timer: the resume timer died with the socket');
  clock.advance(1000);
  handshake(ws.last(), { pos: { [U]: [10, E] }, recovered: true });
  assert.deepEqual(client.positions, { [U]: at(10) });
  ws.last().receive({ type: 'resumed', id: 1, recovered: false }); // from nowhere: ignored
  ws.last().receive(sig('t', { [T]: 50 })); // T is no longer tracked: runs as before
  assert.deepEqual(ran, ['t']);
});

test('df.resync without a handler is reported once with logger.info', () => {
  const ctx = setup({ builtins: false });
  handshake(ctx.ws.last(), { pos: { [T]: [3, E] } });
  ctx.ws.last().receive(sig('x', { [T]: 5 }));
  ctx.ws.last().receive({ type: 'resumed', id: 1, recovered: false });
  assert.equal(ctx.logger.lines.info.length, 1);
  assert.match(ctx.logger.lines.info[0][0], /df\.resync/);
});

test('an error report sequenced in the window topic advances it and reaches onerror once, in order', () => {
  const { sock, client, ran } = connected();
  const errors = [];
  client.onerror((ctx) => errors.push(ctx.code));
  const error = { type: 'error', code: 'handler_failed', message: 'm', id: 7, signal: 's.x', pos: { [T]: [4, E] } };
  sock.receive(sig('a', { [T]: 5 })); // arrives before the error it follows: held
  assert.deepEqual(ran, []);
  sock.receive(error);
  sock.receive(error); // replayed twice: already seen
  assert.deepEqual(errors, ['handler_failed']);
  assert.deepEqual(ran, ['a']);
  assert.deepEqual(client.positions[T], at(5));
});
