/*
 * The browser handler table of a client: df.connect / df.disconnect, and running the handlers of a name for
 * a local df.call, a signal from the server (once per signal_id), or the local signal df.resync.
 */
(function (root) {
  'use strict';

  const parts = root[Symbol.for('switchboard.parts')];
  if (!parts || Object.isFrozen(parts)) return; // a second copy of the client: see df-namespace.js

  const isPlainObject = parts.isPlainObject;

  // c: the client's shared parts (df-client.js): c.client (handlers run with it as `this`), c.log, c.options.
  function createHandlers(c) {
    const handlers = new Map(); // signal name -> [{fn}]
    const seen = new Set();     // recent signal_id values, insertion ordered, bounded by options.maxSeenIds

    function connect(name, fn) {
      if (!parts.checkName(name)) throw new TypeError('Switchboard: invalid signal name ' + JSON.stringify(name));
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
    function run(name, opts, ctx) {
      const list = (handlers.get(name) || []).slice();
      const failed = (err) => c.log('warn', 'Switchboard: handler of ' + name + ' failed', err);
      for (const entry of list) {
        try {
          const result = entry.fn.call(c.client, opts, ctx);
          if (result && typeof result.then === 'function') result.then(undefined, failed);
        } catch (err) { failed(err); }
      }
      if (!list.length && ctx.fromServer) c.log('debug', 'Switchboard: no browser handler for ' + name);
      return list.length;
    }

    // The `signal_id` of a frame as a string (null when it has none), or false when that id was seen already:
    // the same message reached this window through several topics or nodes. Results (df-invoke.js) use it too.
    function firstSeen(frame) {
      const rawId = frame.signal_id;
      const id = typeof rawId === 'string' || typeof rawId === 'number' ? String(rawId) : null;
      if (id !== null) {
        if (seen.has(id)) return false;
        seen.add(id);
        while (seen.size > Math.max(1, c.options.maxSeenIds)) seen.delete(seen.values().next().value);
      }
      return id;
    }

    // A `signal` frame, once ordering let it through.
    function runSignal(frame) {
      const id = firstSeen(frame);
      if (id === false) return;
      // Server-originated: only browser handlers run, nothing is sent back.
      run(frame.signal, isPlainObject(frame.opts) ? frame.opts : {}, { signalId: id, fromServer: true });
    }

    // Messages of these topics were lost (history trimmed, epoch changed, gave up waiting): the app's
    // df.resync handlers refetch what they show. A local signal, run through the normal handler table.
    function resync(topics) {
      const ran = run('df.resync', { topics: topics.slice() }, { signalId: null, fromServer: false });
      if (!ran) c.log('info', 'Switchboard: messages of topics ' + topics.join(', ') + ' were lost; connect df.resync to refetch.');
    }

    return { connect, disconnect, run, runSignal, firstSeen, resync };
  }

  parts.createHandlers = createHandlers;
})(typeof globalThis !== 'undefined' ? globalThis : this);
