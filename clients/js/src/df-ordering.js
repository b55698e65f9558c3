/*
 * Ordering and replay (protocol §7), one per client. Tracks, per topic id of the window (the ids of the last
 * `hello.pos`), the last position {seq, epoch} applied, and decides for each `signal` frame (or `result`,
 * or job `error`) carrying `pos` whether it runs now, was seen already, or waits behind a gap. Frames without `pos`, or touching no tracked
 * topic, run at once. It never touches a socket or a timer itself: the client passes hooks.
 *
 * A frame is held while any of its tracked topics shows a gap; held frames are applied as soon as they are
 * contiguous again (a late frame arrived, the server replayed the missing ones after `resume`, or the client
 * gave up and accepted the jump). A topic is *gapped* when its held frames have a gap entry and none is
 * next in line (a topic whose next frame is held only because of another topic just waits). Hooks:
 *   run(frame)          run the handlers of a frame, once per signal_id (the client's dedupe)
 *   live()              true once `hello` came on the current socket: resume may be sent
 *   sendResume(pos)     send a `resume` frame for {id: [seq, epoch]}; returns its id
 *   resync(ids)         run the local signal df.resync with {topics: ids}
 *   setTimeout, clearTimeout, options ({maxHeldFrames, pongTimeout})
 */
(function (root) {
  'use strict';

  const parts = root[Symbol.for('switchboard.parts')];
  if (!parts || Object.isFrozen(parts)) return; // a second copy of the client: see df-namespace.js

  const isPlainObject = parts.isPlainObject;
  const TOPICS = parts.protocol.frameTypes.topics;

  function createOrdering(hooks) {
    const RETIRED_EPOCHS = 4;   // epochs left behind per topic: late frames of them count as seen
    let positions = new Map();  // topic id -> {seq, epoch, retired: [epoch]}
    let held = [];              // frames waiting behind a gap, in arrival order
    const requests = new Map(); // gapped topic id -> {id, seq, epoch}: a `resume` sent from that position
    const timers = new Map();   // resume id -> timer: no `resumed` within pongTimeout = not recovered
    const jumped = new Set();   // topics whose gap was accepted during a reconnect's replay (before hello)

    const isPosition = (p) => Array.isArray(p) && Number.isSafeInteger(p[0]) && p[0] >= 0 && typeof p[1] === 'string';

    // The frame's positions in tracked topics: [{id, seq, epoch}] (empty: not ordered), read afresh each time
    // because the tracked set changes with each hello.
    function entriesOf(frame) {
      const out = [];
      if (!isPlainObject(frame.pos)) return out;
      for (const id of Object.keys(frame.pos)) {
        if (positions.has(id) && isPosition(frame.pos[id])) out.push({ id, seq: frame.pos[id][0], epoch: frame.pos[id][1] });
      }
      return out;
    }

    // §7: last + 1 in the same epoch = next; ≤ last (or a retired epoch) = seen; anything else = gap.
    function classify(entry) {
      const last = positions.get(entry.id);
      if (entry.epoch === last.epoch) return entry.seq <= last.seq ? 'seen' : entry.seq === last.seq + 1 ? 'next' : 'gap';
      return last.retired.indexOf(entry.epoch) >= 0 ? 'seen' : 'gap';
    }

    // Moves topic `id` to {seq, epoch}; a left epoch is remembered as retired.
    function adopt(id, seq, epoch) {
      const last = positions.get(id);
      const retired = last.epoch === epoch ? last.retired : [last.epoch].concat(last.retired).filter((e) => e !== epoch).slice(0, RETIRED_EPOCHS);
      positions.set(id, { seq, epoch, retired });
    }

    // A `topics` frame that applies: track the added ids from the position given (an id tracked already keeps
    // its place: never move backwards), stop tracking the removed ones.
    function membership(frame) {
      if (frame.type !== TOPICS) return;
      if (isPlainObject(frame.add)) {
        for (const id of Object.keys(frame.add)) {
          const p = frame.add[id];
          if (isPosition(p) && !positions.has(id)) positions.set(id, { seq: p[0], epoch: p[1], retired: [] });
        }
      }
      if (Array.isArray(frame.remove)) {
        for (const id of frame.remove) if (typeof id === 'string') { positions.delete(id); requests.delete(id); jumped.delete(id); }
      }
    }

    // Advances the topics where the frame is next; runs it unless every tracked topic had seen it.
    function apply(frame) {
      const entries = entriesOf(frame);
      let fresh = entries.length === 0;
      for (const entry of entries) {
        if (classify(entry) === 'next') { positions.get(entry.id).seq = entry.seq; fresh = true; }
      }
      if (fresh) { membership(frame); hooks.run(frame); }
    }

    // Applies held frames that no gap blocks until none is left (a release may unblock an earlier one).
    function drain() {
      for (let i = 0; i < held.length;) {
        if (entriesOf(held[i]).some((entry) => classify(entry) === 'gap')) { i++; continue; }
        apply(held.splice(i, 1)[0]);
        i = 0;
      }
    }

    // Topics to resume (gap entries, none next in line) and whether a topic holds more than maxHeldFrames.
    function survey() {
      const next = new Set(), gapped = new Set(), counts = new Map();
      let over = false;
      for (const frame of held) {
        for (const entry of entriesOf(frame)) {
          const state = classify(entry);
          if (state === 'next') next.add(entry.id); else if (state === 'gap') gapped.add(entry.id);
          const count = (counts.get(entry.id) || 0) + 1;
          counts.set(entry.id, count);
          if (count > hooks.options.maxHeldFrames) over = true;
        }
      }
      for (const id of next) gapped.delete(id);
      return { gapped, over };
    }

    // Gives up on the missing part of topic `id`: continue from its held frames of the epoch that arrived
    // last (its lowest held sequence becomes next in line).
    function accept(id) {
      let epoch = null, min = Infinity;
      for (let i = held.length - 1; i >= 0; i--) {
        for (const entry of entriesOf(held[i])) {
          if (entry.id !== id || classify(entry) !== 'gap') continue;
          if (epoch === null) epoch = entry.epoch;
          if (entry.epoch === epoch && entry.seq < min) min = entry.seq;
        }
      }
      requests.delete(id);
      if (epoch !== null) adopt(id, min - 1, epoch);
    }

    function forgetTimers() {
      const used = new Set(Array.from(requests.values(), (r) => r.id));
      for (const [rid, timer] of timers) if (!used.has(rid)) { hooks.clearTimeout(timer); timers.delete(rid); }
    }

    // After any change: release what can run, then resume new gaps, or give up where waiting cannot help.
    function settle() {
      const lost = new Set();
      for (;;) {
        drain();
        const { gapped, over } = survey();
        for (const id of Array.from(requests.keys())) if (!gapped.has(id)) requests.delete(id); // closed by itself
        if (held.length && !gapped.size) {
          // Frames waiting on each other across topics (A next in t but behind a gap in u, B the reverse):
          // no resume can help; the oldest runs and its topics jump to it.
          const frame = held.shift();
          for (const entry of entriesOf(frame)) if (classify(entry) === 'gap') adopt(entry.id, entry.seq - 1, entry.epoch);
          apply(frame);
        } else if (gapped.size && !hooks.live()) {
          // A reconnect's replay, before hello: the server sends all it still has, in order; a gap here is
          // history it no longer has. Accept it; hello.recovered (false) then triggers df.resync.
          for (const id of gapped) { accept(id); jumped.add(id); }
        } else if (over) {
          for (const id of gapped) { accept(id); lost.add(id); }
        } else {
          const ask = Array.from(gapped).filter((id) => !requests.has(id));
          if (ask.length) request(ask);
          break;
        }
      }
      forgetTimers();
      if (lost.size) hooks.resync(Array.from(lost));
    }

    function request(ids) {
      const pos = {};
      for (const id of ids) { const last = positions.get(id); pos[id] = [last.seq, last.epoch]; }
      const rid = hooks.sendResume(pos);
      for (const id of ids) requests.set(id, { id: rid, seq: pos[id][0], epoch: pos[id][1] });
      timers.set(rid, hooks.setTimeout(() => { timers.delete(rid); resumed(rid, false); }, hooks.options.pongTimeout));
    }

    // `resumed`: the replay asked by `rid` came before this frame. Topics it filled are already released;
    // a topic still gapped is retried when its position advanced and the server says recovered, else
    // given up (accept the jump, df.resync). An answer for a gap closed meanwhile changes nothing.
    function resumed(rid, recovered) {
      const lost = [];
      for (const [id, r] of Array.from(requests)) {
        if (r.id !== rid) continue;
        requests.delete(id);
        const last = positions.get(id);
        if (!recovered || (last.seq === r.seq && last.epoch === r.epoch)) { accept(id); lost.push(id); }
      }
      if (timers.has(rid)) { hooks.clearTimeout(timers.get(rid)); timers.delete(rid); }
      settle(); // releases what the accepted jumps unblocked; re-asks the retried topics
      if (lost.length) hooks.resync(lost);
    }

    return {
      receive(frame) {
        if (!entriesOf(frame).length) { membership(frame); hooks.run(frame); return; } // not sequenced, or no topic of ours
        held.push(frame);
        settle();
      },
      resumed,
      // The socket is gone: requests die with it, and held frames come again in the replay of the next
      // connection (they all lie after the positions sent in connect.resume).
      disconnected() {
        held = [];
        requests.clear();
        forgetTimers();
        jumped.clear();
      },
      // hello.pos is authoritative. Returns the topics to resync when `recovered` is false: those whose
      // position moved unexpectedly (jumped during the replay, or not where the replay left them), else all.
      hello(pos, recovered) {
        const before = positions;
        const changed = new Set(jumped);
        positions = new Map();
        if (isPlainObject(pos)) {
          for (const id of Object.keys(pos)) {
            if (!isPosition(pos[id])) continue;
            const seq = pos[id][0], epoch = pos[id][1], prev = before.get(id);
            positions.set(id, prev ? prev : { seq, epoch, retired: [] });
            if (prev) {
              if (prev.seq !== seq || prev.epoch !== epoch) changed.add(id);
              adopt(id, seq, epoch);
            }
          }
        }
        jumped.clear();
        requests.clear();
        settle();
        if (recovered !== false) return null;
        const ids = Array.from(changed).filter((id) => positions.has(id));
        return ids.length ? ids : Array.from(positions.size ? positions.keys() : before.keys());
      },
      // connect.resume: every tracked topic's position; null when none is tracked.
      resumeFrame() {
        if (!positions.size) return null;
        const out = {};
        for (const [id, p] of positions) out[id] = [p.seq, p.epoch];
        return out;
      },
      snapshot() {
        const out = {};
        for (const [id, p] of positions) out[id] = Object.freeze({ seq: p.seq, epoch: p.epoch });
        return Object.freeze(out);
      }
    };
  }

  parts.createOrdering = createOrdering;
})(typeof globalThis !== 'undefined' ? globalThis : this);
