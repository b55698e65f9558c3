/*
 * A client's state ('connecting', 'connected', 'reconnecting', 'closed') and its lifecycle listeners:
 * onstate, onclose, onreconnect, onerror. A failing listener is logged and does not stop the others.
 */
(function (root) {
  'use strict';

  const parts = root[Symbol.for('switchboard.parts')];
  if (!parts || Object.isFrozen(parts)) return; // a second copy of the client: see df-namespace.js

  // c: the client's shared parts (df-client.js); only c.log is used here.
  function createEvents(c) {
    let state = 'connecting';
    const listeners = { reconnect: [], close: [], error: [], state: [] };

    // client.onstate & co: add a listener, return the function that removes it.
    const subscriber = (kind) => (fn) => {
      if (typeof fn !== 'function') throw new TypeError('Switchboard: listener must be a function');
      listeners[kind].push(fn);
      return () => { const i = listeners[kind].indexOf(fn); if (i >= 0) listeners[kind].splice(i, 1); };
    };

    function emit(kind, ctx) {
      for (const fn of listeners[kind].slice()) {
        try { fn(ctx); } catch (err) { c.log('warn', 'Switchboard: ' + kind + ' listener failed', err); }
      }
    }

    function setState(next) {
      if (next === state) return;
      state = next;
      emit('state', { state: next });
    }

    return {
      get state() { return state; },
      subscriber,
      emit,
      setState,
      // An error nobody listens to is logged instead (df-calls.js onError).
      listens: (kind) => listeners[kind].length > 0
    };
  }

  parts.createEvents = createEvents;
})(typeof globalThis !== 'undefined' ? globalThis : this);
