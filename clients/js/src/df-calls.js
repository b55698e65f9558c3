/*
 * Calls from the browser (df.call) and the server's answers to them. A call runs the local handlers at once,
 * then goes to the server only when `hello` listed its name: sent now, or kept in a bounded buffer until
 * `hello`. It never hangs: `accepted` resolves it; `refused`, a call-level `error`, a lost connection or a
 * closed client reject it with a SignalError. Never re-sent: the server may have queued it already, and a
 * job must not run twice.
 *
 * Invokes (df-invoke.js) go out through the same routing: one id counter, one bounded buffer, so calls and
 * invokes leave in the order they were made. An entry is {type: 'call'|'invoke', name, optsJson, local, id,
 * resolve, reject}; a sent invoke is handed to c.invokes, which waits for its `result`.
 */
(function (root) {
  'use strict';

  const parts = root[Symbol.for('switchboard.parts')];
  if (!parts || Object.isFrozen(parts)) return; // a second copy of the client: see df-namespace.js

  const { SignalError, isPlainObject, str } = parts;
  const CODE = parts.protocol.errorCodes;
  const FRAME = parts.protocol.frameTypes;
  const CLIENT = SignalError.clientCodes;
  // Codes about a job of an already accepted call: reported through onerror, they never settle a call.
  const JOB_CODES = [CODE.badArguments, CODE.handlerFailed, CODE.expired];

  // c: the client's shared parts (df-client.js): c.socket (closed, connected, allowed, functions, send),
  // c.handlers, c.invokes, c.events, c.log, c.options.
  function createCalls(c) {
    let nextId = 1;
    const pending = new Map(); // id -> call sent on the current socket, not answered yet
    let buffer = [];           // calls and invokes waiting for `hello` (FIFO, bounded by options.bufferSize)

    function call(name, opts) {
      if (!parts.checkName(name)) {
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
      const local = c.handlers.run(name, opts, { signalId: null, fromServer: false });
      return new Promise((resolve, reject) => route({ type: FRAME.call, name, optsJson, local, resolve, reject, id: null }));
    }

    const fail = (entry, code, message) => entry.reject(new SignalError(code, message, { signal: entry.name, id: entry.id }));

    // The server may not be called: the local handlers were the whole call, or nothing happened at all.
    function settleLocally(entry) {
      if (entry.local > 0) entry.resolve({ accepted: false, local: entry.local });
      else if (entry.type === FRAME.invoke) fail(entry, CODE.forbidden, "This window may not invoke '" + entry.name + "' (not in hello.functions).");
      else fail(entry, CODE.forbidden, "No browser handler for '" + entry.name + "' and this window may not call it on the server.");
    }

    // For one call or invoke: send now, wait for `hello` (bounded buffer), or settle without the server.
    // hello.signals decides for a call, hello.functions for an invoke.
    function route(entry) {
      const socket = c.socket;
      const allowed = entry.type === FRAME.invoke ? socket.functions : socket.allowed;
      const mayCall = allowed !== null && allowed.has(entry.name);
      if (socket.closed) {
        if (mayCall || (allowed === null && entry.local === 0)) fail(entry, CLIENT.closed, 'The Switchboard client is closed.');
        else settleLocally(entry);
      } else if (allowed !== null && !mayCall) {
        settleLocally(entry);
      } else if (socket.connected) {
        entry.id = nextId++;
        if (entry.type === FRAME.invoke) c.invokes.sent(entry); else pending.set(entry.id, entry);
        socket.send('{"type":"' + entry.type + '","id":' + entry.id + ',"signal":' + JSON.stringify(entry.name) + ',"opts":' + entry.optsJson + '}');
      } else {
        buffer.push(entry);
        while (buffer.length > Math.max(0, c.options.bufferSize)) {
          fail(buffer.shift(), CLIENT.bufferFull, 'Too many calls waiting for the connection; the oldest was dropped.');
        }
      }
    }

    // `hello` came: the buffered calls go out (or settle locally), oldest first.
    function sendBuffered() {
      const waiting = buffer;
      buffer = [];
      for (const entry of waiting) route(entry);
    }

    // An invoke that timed out while waiting for `hello` is not sent at all.
    function unbuffer(entry) {
      const i = buffer.indexOf(entry);
      if (i >= 0) buffer.splice(i, 1);
    }

    // The client closed for good: the buffered calls were never sent.
    function failBuffered() {
      const waiting = buffer;
      buffer = [];
      for (const entry of waiting) fail(entry, CLIENT.closed, 'The Switchboard client closed before the call could be sent.');
    }

    // The socket is gone: calls sent on it and not answered may or may not have been queued.
    function failPending(message) {
      const lost = Array.from(pending.values());
      pending.clear();
      for (const entry of lost) fail(entry, CLIENT.disconnected, message);
    }

    function onAnswer(frame, accepted) {
      const entry = pending.get(frame.id);
      if (!entry) { c.log('debug', 'Switchboard: answer for unknown call ' + frame.id); return; }
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
      if (!entry && id !== null && JOB_CODES.indexOf(code) < 0 && c.invokes.fail(id, code, message)) return; // same for an invoke
      const ctx = { code, message, id, signal: str(frame.signal, entry ? entry.name : null) };
      if (c.events.listens('error')) c.events.emit('error', ctx);
      else c.log('warn', 'Switchboard: server error ' + code + (ctx.signal ? ' (' + ctx.signal + ')' : '') + ': ' + message);
    }

    return {
      call, route, unbuffer, sendBuffered, failBuffered, failPending, onAnswer, onError,
      // Resume frames take their ids from the same counter (df-client.js).
      nextId: () => nextId++
    };
  }

  parts.createCalls = createCalls;
})(typeof globalThis !== 'undefined' ? globalThis : this);
