/*
 * Switchboard browser client, wire protocol v1 (docs/protocol.md). Typings: types/df.d.ts.
 *
 * One file, no build step, no dependencies. It runs both as a classic <script src> and as an ES module
 * (src/df.mjs imports it), so it has no import/export statements: it publishes
 * globalThis.Switchboard = { createClient, protocol, SignalError } and, in a page, the default client
 * globalThis.df (and jQuery.df when jQuery is present). The built-in browser signals (html.*, df.notify,
 * df.modal.*, data-df-signal bindings) are in df-builtins.js, which the server serves right after this
 * file as /switchboard/df.js and which adds Switchboard.registerBuiltins.
 */
(function (root) {
  'use strict';

  // Loaded twice (classic script and module on one page): keep the first copy, so there is one socket.
  if (root.Switchboard && root.Switchboard.protocol) return;

  // --- Protocol constants ----------------------------------------------------------------------------
  // Defined once on this side. ProtocolParityTests prints them with `node -e` and compares with the C#
  // side, so this stays a plain frozen data object that exists without a DOM.
  const deepFreeze = (value) => {
    for (const key of Object.keys(value)) if (value[key] && typeof value[key] === 'object') deepFreeze(value[key]);
    return Object.freeze(value);
  };

  const protocol = deepFreeze({
    version: 1,
    frameTypes: {
      connect: 'connect', call: 'call', ping: 'ping', resume: 'resume',
      hello: 'hello', signal: 'signal', resumed: 'resumed', accepted: 'accepted', refused: 'refused', error: 'error', pong: 'pong'
    },
    errorCodes: {
      badFrame: 'bad_frame', unknownFrame: 'unknown_frame', invalidSignalName: 'invalid_signal_name',
      unknownSignal: 'unknown_signal', forbidden: 'forbidden', kwargsTooLarge: 'kwargs_too_large',
      badArguments: 'bad_arguments', handlerFailed: 'handler_failed', expired: 'expired', unavailable: 'unavailable',
      rateLimited: 'rate_limited'
    },
    closeCodes: {
      normal: 1000, goingAway: 1001, frameTooLarge: 1009, internalError: 1011,
      invalidToken: 4001, unsupportedVersion: 4002, handshakeTimeout: 4008, binaryFrame: 4009, tooManyCalls: 4029,
      heartbeatTimeout: 4100, slowConsumer: 4101
    },
    // Browser signals registered by df-builtins.js (docs/builtins.md); C#: Switchboard.BuiltinSignals.
    builtinSignals: [
      'html.after', 'html.append', 'html.prepend', 'html.before', 'html.content', 'html.replace_with',
      'html.empty', 'html.remove', 'html.add_class', 'html.remove_class', 'html.remove_attr',
      'html.add_attribute', 'html.boolean_attribute', 'html.text', 'html.download_file', 'html.focus',
      'html.forms.set', 'html.fade_in', 'html.fade_out', 'html.fade_to', 'html.fade_toggle', 'html.hide',
      'html.show', 'html.toggle', 'html.trigger', 'html.val',
      'df.notify', 'df.modal.show', 'df.modal.hide'
    ]
  });

  const FRAME = protocol.frameTypes;
  const CODE = protocol.errorCodes;
  const CLOSE = protocol.closeCodes;
  const NAME_RE = /^[_a-zA-Z]\w*(\.[_a-zA-Z]\w*)*$/;
  // Codes about a job of an already accepted call: reported through onerror, they never settle a call.
  const JOB_CODES = [CODE.badArguments, CODE.handlerFailed, CODE.expired];

  // --- SignalError -----------------------------------------------------------------------------------
  // The one error type a call rejects with: `code` is a protocol error code (§4) or a client code below;
  // the client codes tell whether the call may have reached the server.
  class SignalError extends Error {
    constructor(code, message, details) {
      super(message || code);
      this.name = 'SignalError';
      this.code = code;
      this.signal = details && details.signal != null ? details.signal : null;
      this.id = details && details.id != null ? details.id : null;
    }
  }
  SignalError.clientCodes = Object.freeze({
    disconnected: 'disconnected', // sent, answer lost: the server may or may not have queued it
    bufferFull: 'buffer_full',    // never sent: dropped from the full offline buffer
    closed: 'closed'              // never sent: the client closed for good
  });
  const CLIENT = SignalError.clientCodes;

  const DEFAULT_OPTIONS = Object.freeze({
    bufferSize: 256,
    minReconnectDelay: 500,
    maxReconnectDelay: 20000,
    pongTimeout: 10000, // also bounds the wait for `hello` after the socket is created, and for `resumed`
    maxSeenIds: 1024,
    maxHeldFrames: 1000 // per topic, while a gap is being resumed (§7)
  });

  const noop = () => {};
  const isPlainObject = (value) => value !== null && typeof value === 'object' && !Array.isArray(value);
  const checkName = (name) => typeof name === 'string' && NAME_RE.test(name);
  const str = (value, fallback) => (typeof value === 'string' ? value : fallback);

  // Relative URLs resolve against the page; http(s) becomes ws(s); ws(s) URLs pass through.
  function resolveUrl(url) {
    const base = root.location && root.location.href;
    const parsed = base ? new URL(url, base) : new URL(url);
    if (parsed.protocol === 'http:') parsed.protocol = 'ws:';
    else if (parsed.protocol === 'https:') parsed.protocol = 'wss:';
    if (parsed.protocol !== 'ws:' && parsed.protocol !== 'wss:') throw new TypeError('Switchboard: not a WebSocket URL: ' + url);
    parsed.hash = '';
    return parsed.href;
  }

  // Quiet by default: only real problems reach the console.
  const defaultLogger = {
    debug: noop,
    info: (...args) => console.info(...args),
    warn: (...args) => console.warn(...args)
  };

  // --- Ordering and replay (protocol §7) ------------------------------------------------------------
  // One per client. Tracks, per topic id of the window (the ids of the last `hello.pos`), the last position
  // {seq, epoch} applied, and decides for each `signal` frame carrying `pos` whether it runs now, was seen
  // already, or waits behind a gap. Frames without `pos`, or touching no tracked topic, run at once.
  //
  // A frame is held while any of its tracked topics shows a gap; held frames are applied as soon as they are
  // contiguous again (a late frame arrived, the server replayed the missing ones after `resume`, or the client
  // gave up and accepted the jump). A topic is *gapped* when its held frames have a gap entry and none is
  // next in line (a topic whose next frame is held only because of another topic just waits). Hooks:
  //   run(frame)          run the handlers of a frame, once per signal_id (the client's dedupe)
  //   live()              true once `hello` came on the current socket: resume may be sent
  //   sendResume(pos)     send a `resume` frame for {id: [seq, epoch]}; returns its id
  //   resync(ids)         run the local signal df.resync with {topics: ids}
  //   setTimeout, clearTimeout, options ({maxHeldFrames, pongTimeout})
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

    // Advances the topics where the frame is next; runs it unless every tracked topic had seen it.
    function apply(frame) {
      const entries = entriesOf(frame);
      let fresh = entries.length === 0;
      for (const entry of entries) {
        if (classify(entry) === 'next') { positions.get(entry.id).seq = entry.seq; fresh = true; }
      }
      if (fresh) hooks.run(frame);
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
        if (!entriesOf(frame).length) { hooks.run(frame); return; } // not sequenced, or no topic of ours
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

  // --- createClient ----------------------------------------------------------------------------------
  // One independent client: handler table, call routing, socket state machine, reconnect, heartbeat.
  // Everything touching the outside world (WebSocket, timers, random, clock, logger, document) is
  // injectable, so tests drive it without sleeping.
  function createClient(config) {
    config = config || {};
    const setT = config.setTimeout || ((fn, ms) => root.setTimeout(fn, ms));
    const clearT = config.clearTimeout || ((id) => root.clearTimeout(id));
    const random = config.random || Math.random;
    const now = config.now || Date.now;
    const logger = config.logger || defaultLogger;
    const log = (level, ...args) => { if (logger && typeof logger[level] === 'function') logger[level](...args); };

    const options = {};
    for (const key of Object.keys(DEFAULT_OPTIONS)) options[key] = config[key] !== undefined ? config[key] : DEFAULT_OPTIONS[key];

    let url = config.url || null;
    let token = config.token != null ? config.token : null;
    let state = 'connecting';
    let started = false;
    let closed = false;        // for good: no more sockets
    let ws = null;             // current socket; null between attempts
    let connected = false;     // `hello` received on the current socket
    let helloSeen = false;     // `hello` received at least once
    let attempt = 0;           // reconnect attempts since the last `hello`
    let allowed = null;        // Set of server-callable signals from the last `hello`; null before any
    let heartbeat = 0;
    let lastSent = 0, lastReceived = 0, pingOutstanding = false;
    let reconnectTimer = null, handshakeTimer = null, idleTimer = null, pongTimer = null;
    let nextId = 1;
    const pending = new Map(); // id -> call sent on the current socket, not answered yet
    let buffer = [];           // calls waiting for `hello` (FIFO, bounded by options.bufferSize)
    const seen = new Set();    // recent signal_id values, insertion ordered, bounded by options.maxSeenIds
    const handlers = new Map(); // signal name -> [{fn}]
    const listeners = { reconnect: [], close: [], error: [], state: [] };
    const ordering = createOrdering({
      run: runSignal,
      live: () => connected,
      // Resume ids share the counter of call ids: one sequence of ids per connection, whatever the frame.
      sendResume: (pos) => { const id = nextId++; send(JSON.stringify({ type: FRAME.resume, id, pos })); return id; },
      resync,
      setTimeout: setT,
      clearTimeout: clearT,
      options
    });

    let resolveReady, rejectReady;
    const ready = new Promise((resolve, reject) => { resolveReady = resolve; rejectReady = reject; });
    ready.catch(noop); // a page that never awaits df.ready gets no unhandled-rejection noise

    // --- events ---
    const subscriber = (kind) => (fn) => {
      if (typeof fn !== 'function') throw new TypeError('Switchboard: listener must be a function');
      listeners[kind].push(fn);
      return () => { const i = listeners[kind].indexOf(fn); if (i >= 0) listeners[kind].splice(i, 1); };
    };
    function emit(kind, ctx) {
      for (const fn of listeners[kind].slice()) {
        try { fn(ctx); } catch (err) { log('warn', 'Switchboard: ' + kind + ' listener failed', err); }
      }
    }
    function setState(next) {
      if (next === state) return;
      state = next;
      emit('state', { state: next });
    }

    // --- browser handlers ---
    function connect(name, fn) {
      if (!checkName(name)) throw new TypeError('Switchboard: invalid signal name ' + JSON.stringify(name));
      if (typeof fn !== 'function') throw new TypeError('Switchboard: handler must be a function');
      const entry = { fn };
      if (!handlers.has(name)) handlers.set(name, []);
      handlers.get(name).push(entry);
      return () => {
        const list = handlers.get(name) || [];
        if (list.indexOf(entry) >= 0) list.splice(list.indexOf(entry), 1);
      };
    }

    function disconnect(name, fn) {
      const list = handlers.get(name) || [];
      const kept = fn === undefined ? [] : list.filter((entry) => entry.fn !== fn);
      handlers.set(name, kept);
      return list.length - kept.length;
    }

    // Runs a copy of the list (handlers may add or remove handlers); a failing handler, sync or async,
    // is logged and does not stop the others. Returns how many ran.
    function runHandlers(name, opts, ctx) {
      const list = (handlers.get(name) || []).slice();
      const failed = (err) => log('warn', 'Switchboard: handler of ' + name + ' failed', err);
      for (const entry of list) {
        try {
          const result = entry.fn.call(client, opts, ctx);
          if (result && typeof result.then === 'function') result.then(undefined, failed);
        } catch (err) { failed(err); }
      }
      if (!list.length && ctx.fromServer) log('debug', 'Switchboard: no browser handler for ' + name);
      return list.length;
    }

    // --- calls ---
    function call(name, opts) {
      if (!checkName(name)) {
        return Promise.reject(new SignalError(CODE.invalidSignalName, 'Invalid signal name ' + JSON.stringify(name) + '.', { signal: name }));
      }
      if (opts == null) opts = {};
      if (!isPlainObject(opts)) return Promise.reject(new TypeError('Switchboard: opts must be an object'));
      let optsJson;
      try { optsJson = JSON.stringify(opts); } catch (err) {
        return Promise.reject(new TypeError('Switchboard: opts must be JSON-serializable: ' + err.message));
      }
      // Serialized before local handlers run: the server gets what the caller passed, even if a handler
      // or the caller mutates opts afterwards.
      const local = runHandlers(name, opts, { signalId: null, fromServer: false });
      return new Promise((resolve, reject) => route({ name, optsJson, local, resolve, reject, id: null }));
    }

    const fail = (entry, code, message) => entry.reject(new SignalError(code, message, { signal: entry.name, id: entry.id }));

    // The server may not be called: the local handlers were the whole call, or nothing happened at all.
    function settleLocally(entry) {
      if (entry.local > 0) entry.resolve({ accepted: false, local: entry.local });
      else fail(entry, CODE.forbidden, "No browser handler for '" + entry.name + "' and this window may not call it on the server.");
    }

    // For one call: send now, wait for `hello` (bounded buffer), or settle without the server.
    function route(entry) {
      const mayCall = allowed !== null && allowed.has(entry.name);
      if (closed) {
        if (mayCall || (allowed === null && entry.local === 0)) fail(entry, CLIENT.closed, 'The Switchboard client is closed.');
        else settleLocally(entry);
      } else if (allowed !== null && !mayCall) {
        settleLocally(entry);
      } else if (connected) {
        entry.id = nextId++;
        pending.set(entry.id, entry);
        send('{"type":"call","id":' + entry.id + ',"signal":' + JSON.stringify(entry.name) + ',"opts":' + entry.optsJson + '}');
      } else {
        buffer.push(entry);
        while (buffer.length > Math.max(0, options.bufferSize)) {
          fail(buffer.shift(), CLIENT.bufferFull, 'Too many calls waiting for the connection; the oldest was dropped.');
        }
      }
    }

    // Never re-sent: the server may have queued it already, and a job must not run twice.
    function failPending(message) {
      const lost = Array.from(pending.values());
      pending.clear();
      for (const entry of lost) fail(entry, CLIENT.disconnected, message);
    }

    // --- socket lifecycle ---
    function send(text) {
      if (!ws) return;
      try {
        ws.send(text);
        lastSent = now();
      } catch (err) {
        log('warn', 'Switchboard: send failed', err);
        drop(1006, 'send failed');
      }
    }

    function clearTimers() {
      for (const id of [handshakeTimer, idleTimer, pongTimer]) if (id !== null) clearT(id);
      handshakeTimer = idleTimer = pongTimer = null;
    }

    // Closes a socket we no longer listen to. Browsers only accept 1000 and 3000-4999 from a client.
    function release(sock, code, reason) {
      sock.onopen = sock.onmessage = sock.onclose = sock.onerror = null;
      try { sock.close(code >= 3000 && code <= 4999 ? code : CLOSE.normal, reason); } catch (err) { /* already closed */ }
    }

    function openSocket() {
      reconnectTimer = null;
      if (closed) return;
      let sock;
      try {
        sock = new (config.WebSocket || root.WebSocket)(resolveUrl(url));
      } catch (err) {
        log('warn', 'Switchboard: cannot open the WebSocket', err);
        scheduleReconnect();
        return;
      }
      ws = sock;
      connected = false;
      sock.onopen = () => {
        if (ws !== sock) return;
        const frame = { type: FRAME.connect, v: protocol.version, token };
        const resume = helloSeen ? ordering.resumeFrame() : null; // §7: replay what this window missed
        if (resume) frame.resume = resume;
        send(JSON.stringify(frame));
      };
      sock.onmessage = (event) => { if (ws === sock) receive(event.data); };
      sock.onclose = (event) => { if (ws === sock) lost(event.code, event.reason); };
      sock.onerror = () => log('debug', 'Switchboard: WebSocket error'); // a close event follows
      handshakeTimer = setT(() => { handshakeTimer = null; drop(CLOSE.handshakeTimeout, 'no hello from the server'); }, options.pongTimeout);
    }

    // We give up on the current socket ourselves (dead or stuck): close it and act as if it had closed.
    function drop(code, reason) {
      if (!ws) return;
      const sock = ws;
      ws = null;
      release(sock, code, reason);
      lost(code, reason);
    }

    function lost(code, reason) {
      if (ws) ws.onopen = ws.onmessage = ws.onclose = ws.onerror = null;
      ws = null;
      connected = false;
      pingOutstanding = false;
      clearTimers();
      ordering.disconnected();
      failPending('The connection was lost before the server answered; the call may or may not have been queued.');
      // §5: 4000-4099 are terminal (never reconnect with this token), except 4008 which the table lists
      // as "reconnect": a handshake that came too late says nothing about the token.
      const terminal = code >= 4000 && code <= 4099 && code !== CLOSE.handshakeTimeout;
      emit('close', { code, reason: reason || '', terminal });
      if (closed) return; // a close listener called close()
      if (terminal) {
        log('warn', 'Switchboard: connection closed for good (' + code + (reason ? ' ' + reason : '') + '); reload the page.');
        shutdown();
        return;
      }
      setState(helloSeen ? 'reconnecting' : 'connecting');
      scheduleReconnect();
    }

    // Full-jitter exponential backoff: random(0, min(max, base * 2^attempt)).
    function scheduleReconnect() {
      const cap = Math.min(options.maxReconnectDelay, options.minReconnectDelay * Math.pow(2, Math.min(attempt, 30)));
      attempt++;
      reconnectTimer = setT(openSocket, Math.floor(random() * cap));
    }

    function shutdown() {
      closed = true;
      if (reconnectTimer !== null) clearT(reconnectTimer);
      reconnectTimer = null;
      clearTimers();
      const waiting = buffer;
      buffer = [];
      for (const entry of waiting) fail(entry, CLIENT.closed, 'The Switchboard client closed before the call could be sent.');
      if (!helloSeen) rejectReady(new SignalError(CLIENT.closed, 'The Switchboard client closed before connecting.'));
      setState('closed');
    }

    // --- heartbeat ---
    // Ping when nothing was sent (the server must hear from us) or nothing was received (we must know
    // the server is alive) for `heartbeat` ms; no frame within pongTimeout after it = dead connection.
    // The idle timer is not re-armed on every frame: when it fires early it re-arms for the time left.
    function armIdle() {
      if (!connected || !heartbeat || idleTimer !== null || pingOutstanding) return;
      idleTimer = setT(onIdle, Math.max(0, Math.min(lastSent, lastReceived) + heartbeat - now()));
    }
    function onIdle() {
      idleTimer = null;
      if (!connected) return;
      if (Math.min(lastSent, lastReceived) + heartbeat > now()) { armIdle(); return; }
      pingOutstanding = true;
      pongTimer = setT(() => { pongTimer = null; drop(CLOSE.heartbeatTimeout, 'no pong from the server'); }, options.pongTimeout);
      send('{"type":"ping"}');
    }

    // --- incoming frames ---
    function receive(data) {
      lastReceived = now();
      if (pongTimer !== null) { clearT(pongTimer); pongTimer = null; } // any frame proves the server alive
      pingOutstanding = false;
      armIdle();
      if (typeof data !== 'string') { log('debug', 'Switchboard: ignored a binary frame'); return; }
      let frame;
      try { frame = JSON.parse(data); } catch (err) { log('warn', 'Switchboard: ignored a frame that is not JSON'); return; }
      if (!isPlainObject(frame)) return;
      switch (frame.type) {
        case FRAME.hello: onHello(frame); break;
        case FRAME.signal: onSignal(frame); break;
        case FRAME.resumed: if (connected && typeof frame.id === 'number') ordering.resumed(frame.id, frame.recovered === true); break;
        case FRAME.accepted: onAnswer(frame, true); break;
        case FRAME.refused: onAnswer(frame, false); break;
        // Errors of a call's handlers are sequenced in the window's topic (they survive a reconnect): ordered too.
        case FRAME.error: if (isPlainObject(frame.pos)) ordering.receive(frame); else onError(frame); break;
        default: break; // pong, and frame types of later versions
      }
    }

    function onHello(frame) {
      const signals = Array.isArray(frame.signals) ? frame.signals.filter((s) => typeof s === 'string') : [];
      allowed = new Set(signals);
      heartbeat = typeof frame.heartbeat === 'number' && frame.heartbeat > 0 ? frame.heartbeat : 0;
      if (connected) return; // a repeated hello only updates the list
      if (handshakeTimer !== null) { clearT(handshakeTimer); handshakeTimer = null; }
      const attempts = attempt;
      const first = !helloSeen;
      attempt = 0;
      connected = helloSeen = true;
      // §7: null without connect.resume, true when the server replayed everything missed, false when not.
      const recovered = typeof frame.recovered === 'boolean' ? frame.recovered : null;
      const lostTopics = ordering.hello(frame.pos, recovered);
      setState('connected');
      armIdle();
      const waiting = buffer;
      buffer = [];
      for (const entry of waiting) route(entry);
      if (first) resolveReady();
      else emit('reconnect', { attempts, signals: signals.slice(), recovered });
      if (lostTopics) resync(lostTopics);
    }

    function onSignal(frame) {
      if (!checkName(frame.signal)) { log('debug', 'Switchboard: ignored a signal frame with a bad name'); return; }
      ordering.receive(frame); // runs it now (runSignal), or once the frames before it in its topics have run
    }

    // Messages of these topics were lost (history trimmed, epoch changed, gave up waiting): the app's
    // df.resync handlers refetch what they show. A local signal, run through the normal handler table.
    function resync(topics) {
      const ran = runHandlers('df.resync', { topics: topics.slice() }, { signalId: null, fromServer: false });
      if (!ran) log('info', 'Switchboard: messages of topics ' + topics.join(', ') + ' were lost; connect df.resync to refetch.');
    }

    function runSignal(frame) {
      if (frame.type === FRAME.error) { onError(frame); return; }
      const rawId = frame.signal_id;
      const id = typeof rawId === 'string' || typeof rawId === 'number' ? String(rawId) : null;
      if (id !== null) {
        if (seen.has(id)) return; // the same call reached this window through several topics or nodes
        seen.add(id);
        while (seen.size > Math.max(1, options.maxSeenIds)) seen.delete(seen.values().next().value);
      }
      // Server-originated: only browser handlers run, nothing is sent back.
      runHandlers(frame.signal, isPlainObject(frame.opts) ? frame.opts : {}, { signalId: id, fromServer: true });
    }

    function onAnswer(frame, accepted) {
      const entry = pending.get(frame.id);
      if (!entry) { log('debug', 'Switchboard: answer for unknown call ' + frame.id); return; }
      pending.delete(frame.id);
      if (accepted) entry.resolve({ accepted: true, jobs: typeof frame.jobs === 'number' ? frame.jobs : 0, local: entry.local });
      else fail(entry, str(frame.code, CODE.forbidden), str(frame.message, ''));
    }

    function onError(frame) {
      const code = str(frame.code, 'error');
      const message = str(frame.message, '');
      const id = frame.id != null ? frame.id : null;
      const entry = id !== null ? pending.get(id) : undefined;
      if (entry && JOB_CODES.indexOf(code) < 0) { // a call-level error (bad_frame...) settles the call
        pending.delete(id);
        fail(entry, code, message);
        return;
      }
      const ctx = { code, message, id, signal: str(frame.signal, entry ? entry.name : null) };
      if (listeners.error.length) emit('error', ctx);
      else log('warn', 'Switchboard: server error ' + code + (ctx.signal ? ' (' + ctx.signal + ')' : '') + ': ' + message);
    }

    // --- public lifecycle ---
    function start(init) {
      if (started || closed) return client;
      if (init && init.url) url = init.url;
      if (init && init.token != null) token = init.token;
      if (!url) throw new TypeError('Switchboard: no url to connect to');
      if (typeof token !== 'string') throw new TypeError('Switchboard: no window token');
      if (typeof (config.WebSocket || root.WebSocket) !== 'function') throw new TypeError('Switchboard: no WebSocket implementation');
      resolveUrl(url); // fail now on a bad URL rather than on every reconnect
      started = true;
      openSocket();
      return client;
    }

    function close() {
      if (closed) return;
      if (ws) release(ws, CLOSE.normal, 'client closed');
      ws = null;
      connected = false;
      clearTimers();
      ordering.disconnected();
      failPending('The client closed before the server answered; the call may or may not have been queued.');
      if (started) emit('close', { code: CLOSE.normal, reason: 'client closed', terminal: true });
      shutdown();
    }

    const client = {
      get state() { return state; },
      get positions() { return ordering.snapshot(); },
      options,
      protocol,
      ready,
      connect,
      disconnect,
      call,
      start,
      close,
      onreconnect: subscriber('reconnect'),
      onclose: subscriber('close'),
      onerror: subscriber('error'),
      onstate: subscriber('state')
    };

    // The built-in browser signals live in df-builtins.js (served with this file): registered through
    // connect() like any app handler. The page's default client gets them when that file runs.
    const builtins = root.Switchboard && root.Switchboard.registerBuiltins;
    if (config.builtins !== false && typeof builtins === 'function') {
      builtins(client, config.document || root.document, { setTimeout: setT, clearTimeout: clearT, logger, bindForms: false });
    }
    if (config.autoConnect !== false) start();
    return client;
  }

  root.Switchboard = Object.freeze({ createClient, protocol, SignalError });

  // --- Page bootstrap --------------------------------------------------------------------------------
  // The default client `df`, configured by the init element the server writes into the page.
  if (typeof root.document === 'undefined') return;
  const doc = root.document;
  const df = createClient({ autoConnect: false });
  root.df = df;

  // $.df for DjangoFloor habits; jQuery may also be loaded after this script, before the DOM is ready.
  const exposeToJQuery = () => { if (root.jQuery && !root.jQuery.df) root.jQuery.df = df; };
  exposeToJQuery();
  if (doc.readyState === 'loading') doc.addEventListener('DOMContentLoaded', exposeToJQuery, { once: true });

  function boot() {
    const element = doc.getElementById('switchboard-init');
    if (!element) {
      defaultLogger.info('Switchboard: no #switchboard-init element on this page; df works locally only.');
      df.close();
      return;
    }
    try {
      const init = JSON.parse(element.textContent);
      if (init.v != null && init.v !== protocol.version) {
        defaultLogger.warn('Switchboard: init element is for protocol v' + init.v + ', this client speaks v' + protocol.version);
      }
      df.start({ url: init.url, token: init.token });
    } catch (err) {
      defaultLogger.warn('Switchboard: cannot start from #switchboard-init', err);
      df.close();
    }
  }

  if (doc.getElementById('switchboard-init') || doc.readyState !== 'loading') boot();
  else doc.addEventListener('DOMContentLoaded', boot, { once: true });
})(typeof globalThis !== 'undefined' ? globalThis : this);
