/*
 * Last part: publishes the public surface, closes the internal namespace (a second copy of the client then
 * does nothing), and, in a page, creates the default client `df`, started from the init element the server
 * writes into the page. A page without one (a single-page app) starts df itself: df.start({ windowEndpoint }).
 */
(function (root) {
  'use strict';

  const parts = root[Symbol.for('switchboard.parts')];
  if (!parts || Object.isFrozen(parts)) return; // a second copy of the client: see df-namespace.js

  const { createClient, protocol, SignalError, registerBuiltins, defaultLogger, hookJQuery, internalsOf } = parts;
  root.Switchboard = Object.freeze({ createClient, protocol, SignalError, registerBuiltins });
  Object.freeze(parts);

  if (typeof root.document === 'undefined') return;
  const doc = root.document;
  // The built-ins come from registerBuiltins rather than createClient: for the page's default client they
  // include the data-df-signal bindings of the document.
  const df = createClient({ autoConnect: false, builtins: false });
  registerBuiltins(df, doc);
  root.df = df;

  // $.df and $.dfws (remote functions: $.dfws.demo.add({a: 2, b: 3})) for DjangoFloor habits, and the
  // X-Switchboard-Window header on jQuery's requests (df-window.js); jQuery may also be loaded after this
  // script, before the DOM is ready.
  const exposeToJQuery = () => {
    if (!root.jQuery) return;
    if (!root.jQuery.df) root.jQuery.df = df;
    if (!root.jQuery.dfws) root.jQuery.dfws = df.fn;
    hookJQuery(root.jQuery, df);
  };
  exposeToJQuery();
  if (doc.readyState === 'loading') doc.addEventListener('DOMContentLoaded', exposeToJQuery, { once: true });

  function boot() {
    if (internalsOf(df).socket.started) return; // the page called df.start itself: one start only
    const element = doc.getElementById('switchboard-init');
    if (!element) {
      // Not closed: a single-page app calls df.start({ windowEndpoint }) once it has signed in. Until then,
      // local handlers run and calls for the server wait (bounded by bufferSize), as before any connection.
      defaultLogger.info('Switchboard: no #switchboard-init element on this page; df connects when the page calls df.start(...).');
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
