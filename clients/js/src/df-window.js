/*
 * Clients without a rendered page, and requests acting as the page's window (docs/windows.md, "Token-authenticated
 * clients"): the access token of `accessTokenFactory` (on the WebSocket URL as `access_token`, the way SignalR sends
 * it, since browsers cannot set headers on a WebSocket; as a bearer header to the window endpoint and in df.fetch),
 * the window endpoint that df.start({ windowEndpoint }) asks for the init object, and the X-Switchboard-Window
 * header of df.fetch, df.windowHeaders and jQuery requests.
 */
(function (root) {
  'use strict';

  const parts = root[Symbol.for('switchboard.parts')];
  if (!parts || Object.isFrozen(parts)) return; // a second copy of the client: see df-namespace.js

  const WINDOW_HEADER = 'X-Switchboard-Window';
  const JQUERY_HOOKED = Symbol.for('switchboard.jqueryWindowHeader');

  function checkFactory(factory) {
    if (factory != null && typeof factory !== 'function') throw new TypeError('Switchboard: accessTokenFactory must be a function');
    return factory || null;
  }

  const pageHref = () => (root.location && typeof root.location.href === 'string' ? root.location.href : undefined);

  // c: the client's shared parts (df-client.js): c.config, c.log, c.socket (its url and current window token).
  function createWindowAccess(c) {
    let factory = checkFactory(c.config.accessTokenFactory);

    // The factory's token: `done` runs at once for a plain value (tests and synchronous apps see no extra turn), once
    // the promise settles for an async factory. Null or '' means "no token" (e.g. signed out).
    function accessToken(done, fail) {
      if (!factory) { done(null); return; }
      let value;
      try { value = factory(); } catch (err) { fail(err); return; }
      const use = (v) => done(v == null || v === '' ? null : String(v));
      if (value && typeof value.then === 'function') value.then(use, fail);
      else use(value);
    }

    function socketUrl(url, access) {
      const resolved = new URL(parts.resolveUrl(url));
      if (access) resolved.searchParams.set('access_token', access);
      return resolved.href;
    }

    function fetchImpl() {
      const impl = c.config.fetch || root.fetch;
      if (typeof impl !== 'function') throw new TypeError('Switchboard: no fetch implementation');
      return impl;
    }

    // POSTs to the window endpoint (with the bearer token when there is one) and reads {url, token, v}. Rejects with an
    // Error whose `terminal` says whether asking again can help: a refusal (4xx but 408/429) or an answer that is not
    // an init object will not change by itself; a network error, 408, 429 or 5xx may.
    function resolveEndpoint(endpoint) {
      const base = pageHref();
      try { return (base ? new URL(endpoint, base) : new URL(endpoint)).href; } catch (err) {
        throw new TypeError('Switchboard: not a window endpoint URL: ' + endpoint);
      }
    }

    function requestWindow(endpoint) {
      let target, doFetch;
      try { target = resolveEndpoint(endpoint); doFetch = fetchImpl(); } catch (err) { return Promise.reject(Object.assign(err, { terminal: true })); }
      return new Promise((resolve, reject) => accessToken(resolve, reject))
        .then((access) => {
          const headers = { Accept: 'application/json' };
          if (access) headers.Authorization = 'Bearer ' + access;
          return doFetch(target, { method: 'POST', headers, cache: 'no-store' });
        })
        .then((response) => {
          if (!response.ok) {
            const status = response.status;
            throw Object.assign(new Error('the window endpoint ' + target + ' answered HTTP ' + status), { status, terminal: status >= 400 && status < 500 && status !== 408 && status !== 429 });
          }
          return response.json().catch(() => { throw Object.assign(new Error('the window endpoint ' + target + ' did not answer JSON'), { terminal: true }); });
        })
        .then((init) => {
          if (!parts.isPlainObject(init) || typeof init.url !== 'string' || typeof init.token !== 'string') {
            throw Object.assign(new Error('the window endpoint ' + target + ' did not answer {url, token, v}'), { terminal: true });
          }
          if (init.v != null && init.v !== parts.protocol.version) {
            c.log('warn', 'Switchboard: the window endpoint is for protocol v' + init.v + ', this client speaks v' + parts.protocol.version);
          }
          // A relative url is a path of the server that answered: resolve it against the endpoint, not the page (an
          // app served from another origin, a mobile app).
          return { url: new URL(init.url, target).href, token: init.token };
        });
    }

    // The origins a window token may be sent to: the page's and the Switchboard server's. Never to a third party.
    function isOwnOrigin(target) {
      const page = pageHref();
      if (page && new URL(page).origin === target.origin) return true;
      const server = c.socket.url;
      if (!server) return false;
      const socket = new URL(parts.resolveUrl(server));
      socket.protocol = socket.protocol === 'wss:' ? 'https:' : 'http:';
      return socket.origin === target.origin;
    }

    function targetOf(input) {
      const raw = typeof input === 'string' ? input
        : input && typeof input.url === 'string' ? input.url          // a Request
          : input && typeof input.href === 'string' ? input.href : null; // a URL
      if (raw === null) return null;
      try { const base = pageHref(); return base ? new URL(raw, base) : new URL(raw); } catch (err) { return null; }
    }

    // df.windowHeaders(url): {'X-Switchboard-Window': token} for a request to the page's or the server's origin once
    // the client has its window token; {} otherwise. For XMLHttpRequest, axios and the jQuery hook.
    function windowHeaders(url) {
      const token = c.socket.token;
      const target = url === undefined ? targetOf(pageHref() || '') : targetOf(url);
      return typeof token === 'string' && target !== null && isOwnOrigin(target) ? { [WINDOW_HEADER]: token } : {};
    }

    // df.fetch(input, init): window.fetch, plus X-Switchboard-Window (the request acts as this window on the server)
    // and, with an accessTokenFactory and no Authorization of its own, the bearer token; both only to the page's or
    // the server's origin.
    function fetchAsWindow(input, init) {
      let doFetch;
      try { doFetch = fetchImpl(); } catch (err) { return Promise.reject(err); }
      const options = Object.assign({}, init);
      const own = options.headers !== undefined ? options.headers : (input && typeof input === 'object' && input.headers) || undefined;
      const headers = new root.Headers(own);
      const target = targetOf(input);
      const ours = target !== null && isOwnOrigin(target);
      const token = c.socket.token;
      if (ours && typeof token === 'string' && !headers.has(WINDOW_HEADER)) headers.set(WINDOW_HEADER, token);
      options.headers = headers;
      if (!ours || !factory || headers.has('Authorization')) return Promise.resolve().then(() => doFetch(input, options));
      return new Promise((resolve, reject) => accessToken(resolve, reject)).then((access) => {
        if (access) headers.set('Authorization', 'Bearer ' + access);
        return doFetch(input, options);
      });
    }

    return {
      accessToken,
      socketUrl,
      resolveEndpoint,
      requestWindow,
      windowHeaders,
      fetch: fetchAsWindow,
      checkFetch: fetchImpl,
      setFactory: (f) => { factory = checkFactory(f); }
    };
  }

  // With jQuery on the page, its requests carry the window header too, as DjangoFloor's did. A prefilter rather than
  // $.ajaxSetup({beforeSend}): there is one beforeSend, and the app's own would replace this one (or this one the app's).
  function hookJQuery(jq, client) {
    if (!jq || typeof jq.ajaxPrefilter !== 'function' || jq[JQUERY_HOOKED]) return;
    jq[JQUERY_HOOKED] = true;
    jq.ajaxPrefilter((options, original, jqXHR) => {
      const headers = client.windowHeaders(options.url);
      for (const name of Object.keys(headers)) jqXHR.setRequestHeader(name, headers[name]);
    });
  }

  parts.createWindowAccess = createWindowAccess;
  parts.hookJQuery = hookJQuery;
})(typeof globalThis !== 'undefined' ? globalThis : this);
