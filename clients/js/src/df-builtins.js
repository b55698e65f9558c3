/*
 * The built-in browser signals (docs/builtins.md): html.* (df-builtins-html.js), df.notify
 * (df-builtins-notify.js), df.modal.show / df.modal.hide (df-builtins-modal.js), and the data-df-signal
 * bindings (df-builtins-bindings.js). registerBuiltins connects each through the client's public connect(),
 * exactly as an app registers its own handlers, so an app replaces one with df.disconnect(name) then
 * df.connect(name, fn). The page's default client gets them in df-boot.js, other clients in createClient.
 *
 * Security: server data becomes markup only in the signals documented to insert HTML (html.after,
 * html.append, html.before, html.content, html.prepend, html.replace_with, df.modal.show). Everything
 * else (html.text, df.notify's title and content...) is set with textContent. html.add_attribute refuses
 * event-handler attributes (on*) and javascript: URLs; html.download_file refuses javascript: URLs.
 */
(function (root) {
  'use strict';

  const parts = root[Symbol.for('switchboard.parts')];
  if (!parts || Object.isFrozen(parts)) return; // a second copy of the client: see df-namespace.js

  const isObject = parts.isPlainObject;

  // Per client: a client gets the built-ins once, whoever asks.
  const registered = new WeakSet();

  /**
   * Registers every built-in browser signal on `client` through client.connect, acting on `doc`.
   * options: setTimeout / clearTimeout (default: the global ones), logger ({debug, info, warn}),
   * bindForms (default true: watch data-df-signal attributes of `doc`). Returns the registered names
   * (empty when this client already has them).
   */
  function registerBuiltins(client, doc, options) {
    if (!client || typeof client.connect !== 'function') throw new TypeError('Switchboard: registerBuiltins needs a client');
    if (registered.has(client)) return [];
    registered.add(client);
    options = options || {};
    const b = parts.builtinsContext(client, doc, options);
    const modal = parts.createModal(b);
    const table = Object.assign(parts.htmlSignals(b), {
      'df.notify': parts.createNotify(b, modal),
      'df.modal.show': (o) => { if (b.hasDom()) modal.show(b.fragment(o.html), o); },
      'df.modal.hide': () => modal.hide()
    });

    const names = [];
    for (const name of Object.keys(table)) {
      const handler = table[name];
      client.connect(name, (opts) => handler(isObject(opts) ? opts : {}));
      names.push(name);
    }
    if (options.bindForms !== false && b.doc && typeof b.doc.addEventListener === 'function') parts.bindForms(b);
    return names;
  }

  parts.registerBuiltins = registerBuiltins;
})(typeof globalThis !== 'undefined' ? globalThis : this);
