/*
 * Remote functions (issue 11): df.invoke(name, kwargs, {timeout}) and the df.fn proxy. An invoke goes out like a
 * call (df-calls.js routes it: same id counter, same bounded buffer until `hello`, `hello.functions` instead of
 * `hello.signals`) and is answered by exactly one `result` frame with its id:
 *   - a refusal at dispatch (no `pos`): settled at once;
 *   - the worker's answer, published to the window's topic (`pos`, `signal_id`): it goes through the §7 ordering
 *     like a `signal` frame (held behind a gap, replayed after a reconnect, deduplicated by signal_id) and settles
 *     the invoke when it is applied. It never runs browser handlers.
 * So a sent invoke stays pending across reconnects (its result is replayed); only its timeout, its result, a
 * call-level `error` frame or the client closing for good settle it.
 */
(function (root) {
  'use strict';

  const parts = root[Symbol.for('switchboard.parts')];
  if (!parts || Object.isFrozen(parts)) return; // a second copy of the client: see df-namespace.js

  const { SignalError, isPlainObject, str } = parts;
  const CODE = parts.protocol.errorCodes;
  const FRAME = parts.protocol.frameTypes;
  const CLIENT = SignalError.clientCodes;
  const MAX_TIMEOUT = 2147483647; // setTimeout's limit: a longer delay fires at once in browsers

  // df.fn: every property read extends a dotted name, calling invokes it: df.fn.demo.add({a: 2}) is
  // df.invoke('demo.add', {a: 2}). `then` (so that `await df.fn.demo` invokes nothing), `toJSON` and symbol keys
  // (Symbol.toPrimitive gives a description, for String() and template literals) are not name segments.
  function fnProxy(invoke) {
    const at = (name) => new Proxy(() => {}, { // an arrow function: callable, not constructible
      get(target, key) {
        if (key === Symbol.toPrimitive) return () => '[df.fn ' + (name || '') + ']';
        if (typeof key !== 'string' || key === 'then' || key === 'toJSON') return undefined;
        return at(name ? name + '.' + key : key);
      },
      apply: (target, self, args) => invoke(name || '', args[0], args[1])
    });
    return at('');
  }

  // c: the client's shared parts (df-client.js): c.calls (route, unbuffer), c.handlers (firstSeen), c.setT,
  // c.clearT, c.log, c.options.
  function createInvokes(c) {
    const pending = new Map(); // id -> sent invoke waiting for its result, kept across reconnects

    function invoke(name, kwargs, options) {
      if (!parts.checkName(name)) {
        return Promise.reject(new SignalError(CODE.invalidSignalName, 'Invalid function name ' + JSON.stringify(name) + '.', { signal: name }));
      }
      if (kwargs == null) kwargs = {};
      if (!isPlainObject(kwargs)) return Promise.reject(new TypeError('Switchboard: kwargs must be an object'));
      let optsJson;
      try { optsJson = JSON.stringify(kwargs); } catch (err) {
        return Promise.reject(new TypeError('Switchboard: kwargs must be JSON-serializable: ' + err.message));
      }
      if (options == null) options = {};
      if (!isPlainObject(options)) return Promise.reject(new TypeError('Switchboard: invoke options must be an object'));
      const timeout = options.timeout !== undefined ? options.timeout : c.options.invokeTimeout;
      if (typeof timeout !== 'number' || !(timeout > 0) || timeout > MAX_TIMEOUT) {
        return Promise.reject(new TypeError('Switchboard: timeout must be a number of ms in (0, ' + MAX_TIMEOUT + ']'));
      }
      return new Promise((resolve, reject) => {
        const entry = { type: FRAME.invoke, name, optsJson, local: 0, id: null, timer: null, settled: false };
        // Settles once, whatever comes first; a result for it afterwards is ignored.
        const once = (settle) => (value) => {
          if (entry.settled) return;
          entry.settled = true;
          if (entry.timer !== null) c.clearT(entry.timer);
          if (entry.id !== null) pending.delete(entry.id);
          settle(value);
        };
        entry.resolve = once(resolve);
        entry.reject = once(reject);
        // From the invoke, buffered time included: an invoke that timed out while waiting for `hello` is not sent.
        entry.timer = c.setT(() => {
          entry.timer = null;
          c.calls.unbuffer(entry);
          entry.reject(new SignalError(CLIENT.timeout, "No result for '" + name + "' within " + timeout + ' ms; it may still run.', { signal: name, id: entry.id }));
        }, timeout);
        c.calls.route(entry); // sends it (then sent() below), buffers it, or rejects it at once
      });
    }

    // df-calls.js sent it on the current socket with entry.id.
    function sent(entry) { pending.set(entry.id, entry); }

    // A `result` frame, at once (no pos: a refusal at dispatch) or once ordering applied it (df-client.js).
    function onResult(frame) {
      if (c.handlers.firstSeen(frame) === false) return; // the same result through several topics or nodes
      const entry = typeof frame.id === 'number' ? pending.get(frame.id) : undefined;
      if (!entry) { c.log('debug', 'Switchboard: result for an unknown or settled invoke ' + frame.id); return; }
      const error = frame.error;
      if (isPlainObject(error)) entry.reject(new SignalError(str(error.code, 'error'), str(error.message, ''), { signal: entry.name, id: entry.id }));
      else entry.resolve(frame.value === undefined ? null : frame.value);
    }

    // A call-level `error` frame (bad_frame, unknown_frame...) naming an invoke: no result will come.
    function fail(id, code, message) {
      const entry = pending.get(id);
      if (!entry) return false;
      entry.reject(new SignalError(code, message, { signal: entry.name, id }));
      return true;
    }

    // The client closed for good: no result can come any more (the function may have run).
    function failSent() {
      for (const entry of Array.from(pending.values())) {
        entry.reject(new SignalError(CLIENT.closed, "The Switchboard client closed before the result of '" + entry.name + "' came; it may have run.", { signal: entry.name, id: entry.id }));
      }
    }

    return { invoke, fn: fnProxy(invoke), sent, onResult, fail, failSent };
  }

  parts.createInvokes = createInvokes;
})(typeof globalThis !== 'undefined' ? globalThis : this);
