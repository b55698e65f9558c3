// Windows under server control: `topics` frames (server code changed the window's topics, protocol §3 and §7) and
// the server's close 4003 (closed by the server: terminal).
import test from 'node:test';
import assert from 'node:assert/strict';
import { setup, handshake } from '../testing/fakes.js';

const W = 'aaaaaaaaaaaaaaaa'; // the window's own topic
const R = 'cccccccccccccccc'; // a room joined on the server's command
const E = 'e1';

function connected() {
  const ctx = setup();
  handshake(ctx.ws.last(), { pos: { [W]: [3, E] }, recovered: null });
  const ran = [];
  const resyncs = [];
  ctx.client.connect('s.msg', (opts, c) => ran.push(c.signalId));
  ctx.client.connect('df.resync', (opts) => resyncs.push(opts.topics));
  return { ...ctx, sock: ctx.ws.last(), ran, resyncs };
}

const sig = (id, pos) => ({ type: 'signal', signal: 's.msg', opts: {}, signal_id: id, pos });
const topics = (id, wSeq, add = {}, remove = []) => ({ type: 'topics', add, remove, signal_id: id, pos: { [W]: [wSeq, E] } });

test('a topics frame starts tracking the added topic at its position: later frames are gap-checked and resumed', () => {
  const { client, sock, ran } = connected();
  sock.receive(topics('t1', 4, { [R]: [7, E] }));
  assert.deepEqual(client.positions, { [W]: { seq: 4, epoch: E }, [R]: { seq: 7, epoch: E } });
  sock.receive(sig('r8', { [R]: [8, E] }));
  sock.receive(sig('r10', { [R]: [10, E] })); // 9 is missing: held, resume asked from 8
  assert.deepEqual(ran, ['r8']);
  assert.deepEqual(sock.framesOfType('resume').map((f) => f.pos), [{ [R]: [8, E] }]);
  sock.receive(sig('r9', { [R]: [9, E] }));
  assert.deepEqual(ran, ['r8', 'r9', 'r10']);
  assert.equal(client.positions[R].seq, 10);
});

test('the added topic is sent in connect.resume after a reconnect; a removed one no longer is', () => {
  const { client, clock, ws, sock } = connected();
  sock.receive(topics('t1', 4, { [R]: [7, E] }));
  sock.serverClose(1011);
  clock.advance(1000);
  ws.last().open();
  assert.deepEqual(ws.last().framesOfType('connect')[0].resume, { [W]: [4, E], [R]: [7, E] });
  ws.last().receive({ type: 'hello', v: 1, signals: [], heartbeat: 25000, pos: { [W]: [4, E], [R]: [7, E] }, recovered: true });
  ws.last().receive(topics('t2', 5, {}, [R]));
  assert.deepEqual(Object.keys(client.positions), [W]);
  ws.last().serverClose(1011);
  clock.advance(1000);
  ws.last().open();
  assert.deepEqual(ws.last().framesOfType('connect')[0].resume, { [W]: [5, E] });
});

test('a topics frame is ordered by its pos: behind a gap of the window topic it waits, and it runs no handler', () => {
  const { client, sock, ran, logger } = connected();
  sock.receive(topics('t5', 5, { [R]: [7, E] })); // 4 is missing
  assert.equal(client.positions[R], undefined);
  sock.receive(sig('w4', { [W]: [4, E] }));
  assert.deepEqual(ran, ['w4']);
  assert.deepEqual(client.positions[R], { seq: 7, epoch: E });
  assert.deepEqual(logger.lines.debug.filter((line) => String(line[0]).includes('no browser handler')), []);
});

test('a repeated topics frame is seen already and never moves a tracked topic backwards', () => {
  const { client, sock } = connected();
  sock.receive(topics('t1', 4, { [R]: [7, E] }));
  sock.receive(sig('r8', { [R]: [8, E] }));
  sock.receive(topics('t1', 4, { [R]: [7, E] })); // the same message again (replayed): seen
  sock.receive(topics('t2', 5, { [R]: [2, E] })); // a new join of a topic followed already keeps its place
  assert.deepEqual(client.positions[R], { seq: 8, epoch: E });
  assert.equal(client.positions[W].seq, 5);
});

test('a frame of a removed topic no longer takes part in ordering', () => {
  const { client, sock, ran } = connected();
  sock.receive(topics('t1', 4, { [R]: [7, E] }));
  sock.receive(topics('t2', 5, {}, [R]));
  sock.receive(sig('late', { [R]: [20, E] })); // no gap to resume: the topic is not tracked any more
  assert.deepEqual(ran, ['late']);
  assert.equal(sock.framesOfType('resume').length, 0);
  assert.equal(client.positions[R], undefined);
});

test('close 4003 (closed by the server) is terminal: df.onclose reports it and the client does not reconnect', () => {
  const { client, clock, ws, sock } = connected();
  const closes = [];
  client.onclose((c) => closes.push(c));
  sock.serverClose(4003, 'signed out');
  assert.deepEqual(closes, [{ code: 4003, reason: 'signed out', terminal: true }]);
  assert.equal(client.protocol.closeCodes.closedByServer, 4003);
  clock.advance(120000);
  assert.equal(ws.sockets.length, 1);
  assert.equal(client.state, 'closed');
});
