/*
 * Last part: publishes the public surface, closes the internal namespace (a second copy of the client then
 * does nothing), and, in a page, creates the default client `df`, configured by the init element the server
 * writes into the page.
 */
(function (root) {
  'use strict';

  const parts = root[Symbol.for('switchboard.parts')];
  if (!parts || Object.isFrozen(parts)) return; // a second copy of the client: see df-namespace.js

  const { createClient, protocol, SignalError, registerBuiltins, defaultLogger } = parts;
  root.Switchboard = Object.freeze({ createClient, protocol, SignalError, registerBuiltins });
  Object.freeze(parts);

  if (typeof root.document === 'undefined') return;
  const doc = root.document;
  // The built-ins come from registerBuiltins rather than createClient: for the page's default client they
  // include the data-df-signal bindings of the document.
  const df = createClient({ autoConnect: false, builtins: false });
  registerBuiltins(df, doc);
  root.df = df;

  // $.df and $.dfws (remote functions: $.dfws.demo.add({a: 2, b: 3})) for DjangoFloor habits; jQuery may
  // also be loaded after this script, before the DOM is ready.
  const exposeToJQuery = () => {
    if (!root.jQuery) return;
    if (!root.jQuery.df) root.jQuery.df = df;
    if (!root.jQuery.dfws) root.jQuery.dfws = df.fn;
  };
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
