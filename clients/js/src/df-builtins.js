/*
 * Switchboard built-in browser signals (docs/builtins.md): html.*, df.notify, df.modal.show, df.modal.hide,
 * and the data-df-signal bindings of forms, inputs and buttons.
 *
 * A classic script with no import/export and no dependencies, run after df.js: the server serves
 * /switchboard/df.js as df.js followed by this file, and src/df.mjs imports both. Every built-in is
 * registered through the public df.connect table of the default client, exactly as an app registers its
 * own handlers, so an app replaces one with df.disconnect(name) then df.connect(name, fn).
 * createClient-based code gets them with Switchboard.registerBuiltins(client, document).
 *
 * Security: server data becomes markup only in the signals documented to insert HTML (html.after,
 * html.append, html.before, html.content, html.prepend, html.replace_with, df.modal.show). Everything
 * else (html.text, df.notify's title and content...) is set with textContent. html.add_attribute refuses
 * event-handler attributes (on*) and javascript: URLs; html.download_file refuses javascript: URLs.
 */
(function (root) {
  'use strict';

  const NS = root.Switchboard;
  // Needs df.js first; loaded twice (classic script and module on one page): keep the first copy.
  if (!NS || !NS.protocol || typeof NS.registerBuiltins === 'function') return;

  const LEVELS = ['default', 'info', 'success', 'danger', 'warning'];
  const NOTIFY_STYLES = ['notification', 'banner', 'modal', 'system'];
  const ADDED = 'DOMContentAdded';
  const URL_ATTRIBUTES = ['href', 'src', 'action', 'formaction', 'xlink:href', 'srcdoc', 'data', 'poster'];

  const noop = () => {};
  const isObject = (value) => value !== null && typeof value === 'object' && !Array.isArray(value);
  const text = (value) => (value == null ? '' : String(value));

  // Self-contained look, no CSS framework needed. Colours and radii read Bootstrap 5's CSS variables when
  // the page has them, so the same elements fit a Bootstrap page (light or dark) without extra CSS.
  const CSS = [
    '.df-notifications{position:fixed;top:1rem;right:1rem;z-index:1090;display:flex;flex-direction:column;gap:.5rem;',
    'width:22rem;max-width:calc(100vw - 2rem);pointer-events:none}',
    '.df-notification,.df-banner{box-sizing:border-box;position:relative;padding:.75rem 2.25rem .75rem 1rem;',
    'border-radius:var(--bs-border-radius,.375rem);border-left:.3rem solid var(--df-level,#6c757d);',
    'background:var(--bs-body-bg,#fff);color:var(--bs-body-color,#212529);',
    'font:14px/1.4 var(--bs-body-font-family,system-ui,-apple-system,"Segoe UI",Roboto,sans-serif);overflow-wrap:anywhere}',
    '.df-notification{pointer-events:auto;cursor:pointer;box-shadow:0 .25rem .75rem rgba(0,0,0,.18);animation:df-in .2s ease-out}',
    '.df-banners{display:flex;flex-direction:column;gap:.25rem;margin:0 0 .5rem}',
    '.df-banner{border:1px solid var(--bs-border-color,#dee2e6);border-left:.3rem solid var(--df-level,#6c757d)}',
    '.df-notification-title{display:block;margin-bottom:.25rem;font-weight:600}',
    '.df-notification-content{white-space:pre-line}',
    '.df-close{position:absolute;top:.35rem;right:.4rem;width:1.6rem;height:1.6rem;padding:0;border:0;border-radius:.25rem;',
    'background:transparent;color:inherit;font:20px/1 sans-serif;opacity:.6;cursor:pointer}',
    '.df-close:hover,.df-close:focus-visible{opacity:1;background:rgba(127,127,127,.15)}',
    '.df-level-default{--df-level:var(--bs-secondary,#6c757d)}.df-level-info{--df-level:var(--bs-info,#0dcaf0)}',
    '.df-level-success{--df-level:var(--bs-success,#198754)}.df-level-danger{--df-level:var(--bs-danger,#dc3545)}',
    '.df-level-warning{--df-level:var(--bs-warning,#ffc107)}',
    'dialog.df-modal{box-sizing:border-box;width:36rem;max-width:calc(100vw - 2rem);max-height:calc(100vh - 2rem);',
    'padding:1.25rem 2.75rem 1.25rem 1.5rem;border:0;border-radius:var(--bs-border-radius-lg,.5rem);',
    'background:var(--bs-body-bg,#fff);color:var(--bs-body-color,#212529);box-shadow:0 .5rem 2rem rgba(0,0,0,.3);',
    'font:15px/1.45 var(--bs-body-font-family,system-ui,-apple-system,"Segoe UI",Roboto,sans-serif)}',
    'dialog.df-modal::backdrop{background:rgba(0,0,0,.5)}',
    '.df-modal-title{margin:0 0 .5rem;padding-left:.6rem;border-left:.3rem solid var(--df-level,#6c757d);font-size:1.15rem}',
    '@keyframes df-in{from{opacity:0;transform:translateY(-.5rem)}}',
    '@media (prefers-reduced-motion:reduce){.df-notification{animation:none}}'
  ].join('');

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
    doc = doc || null;
    const setT = options.setTimeout || ((fn, ms) => root.setTimeout(fn, ms));
    const clearT = options.clearTimeout || ((id) => root.clearTimeout(id));
    const logger = options.logger || { warn: (...a) => root.console && root.console.warn(...a) };
    const log = (level, ...args) => { if (logger && typeof logger[level] === 'function') logger[level](...args); };
    const hasDom = () => !!doc && typeof doc.createElement === 'function';
    const view = () => (doc && doc.defaultView) || root;

    // --- DOM helpers ---
    function all(selector) {
      if (!hasDom() || typeof selector !== 'string' || !selector) return [];
      try {
        return Array.from(doc.querySelectorAll(selector));
      } catch (err) {
        log('warn', 'Switchboard: invalid selector ' + JSON.stringify(selector), err);
        return [];
      }
    }
    const each = (handler) => (opts) => { for (const el of all(opts.selector)) handler(el, opts); };

    function event(type, init) {
      const E = view().Event || root.Event;
      return new E(type, init);
    }
    const added = (nodes) => {
      for (const node of nodes) if (node.nodeType === 1 && node.parentNode) node.dispatchEvent(event(ADDED, { bubbles: true }));
    };

    function fragment(html) {
      const template = doc.createElement('template');
      template.innerHTML = text(html); // inert: scripts do not run, images do not load until inserted
      return template.content;
    }

    function removeChildren(el) { while (el.firstChild) el.removeChild(el.firstChild); }

    function ensureStyles() {
      if (doc.getElementById('df-styles')) return;
      const style = doc.createElement('style');
      style.id = 'df-styles';
      style.textContent = CSS;
      (doc.head || doc.body || doc.documentElement).appendChild(style);
    }

    function closeButton(onClick) {
      const button = doc.createElement('button');
      button.setAttribute('type', 'button');
      button.className = 'df-close';
      button.setAttribute('aria-label', 'Close');
      button.textContent = '\u00d7';
      button.addEventListener('click', (e) => { e.stopPropagation(); onClick(); });
      return button;
    }

    // --- html.*: insertion (the only html.* signals that insert markup) ---
    const PLACES = {
      'html.append': (el, f) => el.appendChild(f),
      'html.prepend': (el, f) => el.insertBefore(f, el.firstChild),
      'html.before': (el, f) => el.parentNode && el.parentNode.insertBefore(f, el),
      'html.after': (el, f) => el.parentNode && el.parentNode.insertBefore(f, el.nextSibling),
      'html.content': (el, f) => { removeChildren(el); el.appendChild(f); },
      'html.replace_with': (el, f) => el.parentNode && el.parentNode.replaceChild(f, el)
    };
    const insert = (place) => each((el, opts) => {
      if ((place === PLACES['html.before'] || place === PLACES['html.after'] || place === PLACES['html.replace_with']) && !el.parentNode) return;
      const f = fragment(opts.content); // parsed once per target: each target gets its own nodes
      const nodes = Array.from(f.childNodes);
      place(el, f);
      added(nodes);
    });

    // --- attributes ---
    function unsafeAttribute(name, value) {
      const n = name.toLowerCase();
      if (n.startsWith('on')) return true;
      // Browsers ignore control characters and spaces around a scheme: strip them before looking.
      return URL_ATTRIBUTES.indexOf(n) >= 0 && /^javascript:/i.test(text(value).replace(/[\u0000-\u0020]/g, ''));
    }
    function addAttribute(el, opts) {
      const name = text(opts.attr_name);
      if (!name) return;
      if (unsafeAttribute(name, opts.attr_value)) {
        log('warn', 'Switchboard: html.add_attribute refused ' + JSON.stringify(name) + ' (event handlers and javascript: URLs are not set)');
        return;
      }
      try { el.setAttribute(name, text(opts.attr_value)); } catch (err) { log('warn', 'Switchboard: bad attribute name ' + JSON.stringify(name), err); }
    }
    const tokens = (value) => text(value).split(/\s+/).filter(Boolean);

    // --- visibility and fades: Web Animations on opacity when available, instant otherwise ---
    const running = new WeakMap(); // element -> its current animation
    const savedDisplay = new WeakMap(); // element -> inline display before it was hidden

    function isHidden(el) {
      const v = view();
      if (v.getComputedStyle && el.isConnected !== false) {
        try { return v.getComputedStyle(el).display === 'none'; } catch (err) { /* not an element of this window */ }
      }
      return el.style.display === 'none';
    }
    function reducedMotion() {
      const v = view();
      try { return !!(v.matchMedia && v.matchMedia('(prefers-reduced-motion: reduce)').matches); } catch (err) { return false; }
    }
    function easingOf(easing) {
      if (easing == null || easing === 'swing') return 'ease-in-out'; // jQuery's default
      const e = String(easing);
      return /^(linear|ease|ease-in|ease-out|ease-in-out|step-start|step-end)$/.test(e) || /^(cubic-bezier|steps)\([\d\s.,a-z-]*\)$/.test(e) ? e : 'ease-in-out';
    }
    function durationOf(value, fallback) {
      if (value === 'fast') return 200;
      if (value === 'slow') return 600;
      const ms = value == null || value === '' ? fallback : Number(value);
      return ms >= 0 ? ms : fallback;
    }
    // Runs `done` after animating opacity from `from` to `to`; a newer animation of the element cancels this one.
    function fade(el, from, to, duration, easing, done) {
      const previous = running.get(el);
      if (previous) { previous.onfinish = null; previous.cancel(); running.delete(el); }
      if (!(duration > 0) || typeof el.animate !== 'function' || reducedMotion()) { done(); return; }
      const animation = el.animate([{ opacity: from }, { opacity: to }], { duration, easing: easingOf(easing) });
      running.set(el, animation);
      animation.onfinish = () => { running.delete(el); done(); };
    }
    const currentOpacity = (el) => {
      const v = view();
      try { return v.getComputedStyle ? Number(v.getComputedStyle(el).opacity) : 1; } catch (err) { return 1; }
    };
    function hide(el, duration, easing) {
      if (isHidden(el) && !running.has(el)) return;
      fade(el, currentOpacity(el), 0, duration, easing, () => {
        if (el.style.display && el.style.display !== 'none') savedDisplay.set(el, el.style.display);
        el.style.display = 'none';
        el.style.opacity = '';
      });
    }
    function show(el, duration, easing, opacity) {
      const target = opacity == null ? 1 : opacity;
      const wasHidden = isHidden(el);
      if (wasHidden) {
        el.style.display = savedDisplay.get(el) || '';
        if (isHidden(el)) el.style.display = 'block'; // a stylesheet hides it
      }
      const from = wasHidden ? 0 : currentOpacity(el);
      fade(el, from, target, duration, easing, () => { el.style.opacity = opacity == null ? '' : String(target); });
    }

    // --- form values ---
    const isCheckable = (el) => el.tagName === 'INPUT' && (el.type === 'checkbox' || el.type === 'radio');
    const asStrings = (value) => (Array.isArray(value) ? value : [value]).map(text);
    function selectValues(select, value) {
      const wanted = asStrings(value);
      const options = Array.from(select.options);
      if (select.multiple) {
        for (const option of options) option.selected = wanted.indexOf(option.value) >= 0;
        return;
      }
      // One choice: selecting an option deselects the others (deselecting them one by one would make the
      // browser select the first option again).
      const match = options.find((option) => wanted.indexOf(option.value) >= 0);
      if (match) match.selected = true;
      else select.selectedIndex = -1;
    }
    // html.val: jQuery's .val(value).
    function setVal(el, value) {
      if (el.tagName === 'SELECT') selectValues(el, value);
      else if (isCheckable(el) && Array.isArray(value)) el.checked = asStrings(value).indexOf(el.value) >= 0;
      else if (el.tagName === 'INPUT' && el.type === 'file') log('warn', 'Switchboard: html.val cannot set a file input');
      else if ('value' in el) el.value = text(value);
    }
    function formControls(form) {
      return Array.from(form.elements || form.querySelectorAll('input,select,textarea'));
    }
    // html.forms.set: df_websockets' rules, one {name, value} at a time.
    function setField(form, name, value) {
      const fields = formControls(form).filter((el) => el.name === name);
      const checkables = fields.filter(isCheckable);
      if (checkables.length > 1 || (checkables.length === 1 && checkables[0].type === 'radio')) {
        for (const el of checkables) {
          if (typeof value === 'boolean') el.checked = value;
          else el.checked = asStrings(value).indexOf(el.value) >= 0;
        }
        return;
      }
      for (const el of fields) {
        if (isCheckable(el)) {
          if (typeof value === 'boolean') el.checked = value;
          else if (Array.isArray(value)) el.checked = asStrings(value).indexOf(el.value) >= 0;
          else el.value = text(value);
        } else if (el.tagName === 'SELECT') {
          selectValues(el, value);
        } else if (!(el.tagName === 'INPUT' && el.type === 'file')) {
          el.value = text(value);
        }
      }
    }

    // --- df.modal ---
    const modal = { dialog: null, body: null, onhide: null, open: false, restoreFocus: null, timer: null };

    function modalElements() {
      if (modal.dialog && modal.dialog.isConnected !== false && modal.dialog.parentNode) return modal;
      ensureStyles();
      const dialog = doc.createElement('dialog');
      dialog.id = 'df-modal';
      dialog.className = 'df-modal';
      dialog.setAttribute('aria-modal', 'true');
      const body = doc.createElement('div');
      body.className = 'df-modal-content';
      dialog.appendChild(body);
      dialog.appendChild(closeButton(() => hideModal())); // after the content: Tab reaches the content first
      // Escape fires `cancel`: close through hideModal so onhide runs once.
      dialog.addEventListener('cancel', (e) => { e.preventDefault(); hideModal(); });
      // A click on the backdrop targets the dialog itself, outside its box.
      dialog.addEventListener('click', (e) => {
        if (e.target !== dialog || typeof dialog.getBoundingClientRect !== 'function') return;
        const r = dialog.getBoundingClientRect();
        if (e.clientX < r.left || e.clientX > r.right || e.clientY < r.top || e.clientY > r.bottom) hideModal();
      });
      // Closed another way (a <form method="dialog"> in the content): same clean-up.
      dialog.addEventListener('close', () => { if (modal.open) hideModal(); });
      (doc.body || doc.documentElement).appendChild(dialog);
      modal.dialog = dialog;
      modal.body = body;
      return modal;
    }

    // The content leaves the screen: forget it, give focus back, then call its onhide signal (once).
    function finishContent() {
      const onhide = modal.onhide;
      modal.onhide = null;
      if (modal.timer !== null) { clearT(modal.timer); modal.timer = null; }
      if (modal.body) removeChildren(modal.body);
      if (onhide && typeof onhide.signal === 'string') {
        const opts = isObject(onhide.options) ? onhide.options : isObject(onhide.opts) ? onhide.opts : {};
        client.call(onhide.signal, opts).catch((err) => log('warn', 'Switchboard: onhide signal ' + onhide.signal + ' failed', err));
      }
    }

    function showModal(content, opts) {
      if (!hasDom()) return;
      const m = modalElements();
      if (m.open) finishContent(); // replaced: the previous content's onhide runs
      else m.restoreFocus = doc.activeElement || null;
      const nodes = Array.from(content.childNodes);
      m.body.appendChild(content);
      m.onhide = isObject(opts.onhide) ? opts.onhide : null;
      const width = opts.width;
      m.dialog.style.width = typeof width === 'number' ? width + 'px' : width ? String(width) : '';
      const heading = m.body.querySelector('h1,h2,h3,h4,h5,h6');
      if (heading) {
        if (!heading.id) heading.id = 'df-modal-title';
        m.dialog.setAttribute('aria-labelledby', heading.id);
      } else {
        m.dialog.removeAttribute('aria-labelledby');
      }
      if (!m.open) {
        m.open = true;
        if (typeof m.dialog.showModal === 'function') m.dialog.showModal();
        else m.dialog.setAttribute('open', '');
      }
      added(nodes);
    }

    function hideModal() {
      if (!modal.open) return;
      modal.open = false;
      const dialog = modal.dialog;
      if (typeof dialog.close === 'function') { if (dialog.open) dialog.close(); } else dialog.removeAttribute('open');
      finishContent();
      const back = modal.restoreFocus;
      modal.restoreFocus = null;
      if (back && typeof back.focus === 'function' && back.isConnected !== false) back.focus();
    }

    // --- df.notify ---
    let notificationCount = 0;
    function notify(opts) {
      if (!hasDom()) return; // no page (node, workers)
      opts = isObject(opts) ? opts : {};
      const level = LEVELS.indexOf(opts.level) >= 0 ? opts.level : 'info';
      const style = NOTIFY_STYLES.indexOf(opts.style) >= 0 ? opts.style : 'notification';
      let timeout = opts.timeout == null ? 5000 : Number(opts.timeout);
      if (!(timeout >= 0)) timeout = 5000;
      const title = opts.title == null ? '' : String(opts.title);
      const content = text(opts.content);
      ensureStyles();
      if (style === 'system') systemNotification(level, title, content, timeout);
      else if (style === 'modal') modalNotification(level, title, content, timeout);
      else if (style === 'banner') boxNotification('banner', level, title, content, timeout);
      else boxNotification('notification', level, title, content, timeout);
    }

    function container(kind) {
      const parent = doc.body || doc.documentElement;
      if (kind === 'banner') {
        let box = doc.getElementById('df-messages') || doc.querySelector('div.df-banners');
        if (!box) {
          box = doc.createElement('div');
          box.className = 'df-banners';
          parent.insertBefore(box, parent.firstChild);
        }
        return box;
      }
      let box = doc.querySelector('div.df-notifications');
      if (!box) {
        box = doc.createElement('div');
        box.className = 'df-notifications';
        box.setAttribute('aria-live', 'polite');
        parent.appendChild(box);
      }
      return box;
    }

    function boxNotification(kind, level, title, content, timeout) {
      const box = container(kind);
      const item = doc.createElement('div');
      item.className = 'df-' + kind + ' df-level-' + level;
      // Danger and warning interrupt screen readers; the others wait their turn.
      item.setAttribute('role', level === 'danger' || level === 'warning' ? 'alert' : 'status');
      const addText = (tag, className, value) => {
        const element = doc.createElement(tag);
        element.className = className;
        element.textContent = value;
        item.appendChild(element);
      };
      if (title) addText('strong', 'df-notification-title', title);
      addText('div', 'df-notification-content', content);
      let timer = null;
      const dismiss = () => {
        if (timer !== null) clearT(timer);
        timer = null;
        if (item.parentNode) item.parentNode.removeChild(item);
      };
      item.appendChild(closeButton(dismiss));
      if (kind === 'notification') item.addEventListener('click', dismiss);
      if (kind === 'banner') box.insertBefore(item, box.firstChild); // newest first, as DjangoFloor
      else box.appendChild(item);
      if (timeout > 0) timer = setT(dismiss, timeout);
      return item;
    }

    function modalNotification(level, title, content, timeout) {
      const f = doc.createDocumentFragment();
      const wrapper = doc.createElement('div');
      wrapper.className = 'df-notification-modal df-level-' + level;
      if (title) {
        const h = doc.createElement('h2');
        h.className = 'df-modal-title';
        h.textContent = title;
        wrapper.appendChild(h);
      }
      const p = doc.createElement('p');
      p.className = 'df-notification-content';
      p.textContent = content;
      wrapper.appendChild(p);
      f.appendChild(wrapper);
      showModal(f, {});
      if (timeout > 0) {
        modal.timer = setT(() => { modal.timer = null; if (wrapper.parentNode) hideModal(); }, timeout);
      }
    }

    function systemNotification(level, title, content, timeout) {
      const N = view().Notification;
      const fallback = () => boxNotification('notification', level, title, content, timeout);
      if (typeof N !== 'function') { fallback(); return; }
      const open = () => {
        try {
          const n = new N(title || doc.title || 'Notification', { body: content, tag: 'df-' + (++notificationCount) });
          if (timeout > 0 && typeof n.close === 'function') setT(() => n.close(), timeout);
        } catch (err) {
          log('debug', 'Switchboard: system notification failed, shown in the page instead', err);
          fallback();
        }
      };
      if (N.permission === 'granted') open();
      else if (N.permission === 'denied' || typeof N.requestPermission !== 'function') fallback();
      else {
        Promise.resolve(N.requestPermission()).then((p) => (p === 'granted' ? open() : fallback()), fallback);
      }
    }

    // --- the table ---
    const table = {
      'html.after': insert(PLACES['html.after']),
      'html.append': insert(PLACES['html.append']),
      'html.prepend': insert(PLACES['html.prepend']),
      'html.before': insert(PLACES['html.before']),
      'html.content': insert(PLACES['html.content']),
      'html.replace_with': insert(PLACES['html.replace_with']),
      'html.empty': each((el) => removeChildren(el)),
      'html.remove': each((el) => { if (el.parentNode) el.parentNode.removeChild(el); }),
      'html.add_class': each((el, o) => { for (const t of tokens(o.class_name)) el.classList.add(t); }),
      'html.remove_class': each((el, o) => { for (const t of tokens(o.class_name)) el.classList.remove(t); }),
      'html.remove_attr': each((el, o) => { if (o.attr_name) el.removeAttribute(text(o.attr_name)); }),
      'html.add_attribute': each(addAttribute),
      'html.boolean_attribute': each((el, o) => {
        const name = text(o.name);
        if (!name || unsafeAttribute(name, '')) return;
        if (o.value) el.setAttribute(name, name);
        else el.removeAttribute(name);
      }),
      'html.text': each((el, o) => { el.textContent = text(o.content); }),
      'html.download_file': (o) => {
        if (!hasDom() || !o.url) return;
        let url;
        try { url = new URL(text(o.url), doc.baseURI || view().location.href); } catch (err) { log('warn', 'Switchboard: bad download URL', err); return; }
        if (['http:', 'https:', 'blob:', 'data:'].indexOf(url.protocol) < 0) { log('warn', 'Switchboard: html.download_file refused a ' + url.protocol + ' URL'); return; }
        const a = doc.createElement('a');
        a.href = url.href;
        a.setAttribute('download', o.filename == null ? '' : text(o.filename));
        a.target = '_blank';
        a.rel = 'noopener';
        a.style.display = 'none';
        (doc.body || doc.documentElement).appendChild(a);
        a.click();
        a.parentNode.removeChild(a);
      },
      'html.focus': (o) => { const el = all(o.selector)[0]; if (el && typeof el.focus === 'function') el.focus({ preventScroll: false }); },
      'html.forms.set': each((form, o) => {
        for (const entry of Array.isArray(o.values) ? o.values : []) {
          if (isObject(entry) && typeof entry.name === 'string') setField(form, entry.name, entry.value);
        }
      }),
      'html.fade_in': each((el, o) => show(el, durationOf(o.duration, 400), o.easing)),
      'html.fade_out': each((el, o) => hide(el, durationOf(o.duration, 400), o.easing)),
      'html.fade_to': each((el, o) => {
        const opacity = Math.min(1, Math.max(0, Number(o.opacity)));
        if (!isNaN(opacity)) show(el, durationOf(o.duration, 400), o.easing, opacity);
      }),
      'html.fade_toggle': each((el, o) => (isHidden(el) ? show : hide)(el, durationOf(o.duration, 400), o.easing)),
      'html.hide': each((el, o) => hide(el, durationOf(o.duration, 0), o.easing)),
      'html.show': each((el, o) => show(el, durationOf(o.duration, 0), o.easing)),
      'html.toggle': each((el, o) => (isHidden(el) ? show : hide)(el, durationOf(o.duration, 0), o.easing)),
      'html.trigger': each((el, o) => {
        const type = text(o.event);
        if (!type) return;
        if (type === 'click' && typeof el.click === 'function') el.click();
        else if ((type === 'focus' || type === 'blur') && typeof el[type] === 'function') el[type]();
        else if (type === 'submit' && el.tagName === 'FORM' && typeof el.requestSubmit === 'function') el.requestSubmit();
        else el.dispatchEvent(event(type, { bubbles: true, cancelable: true }));
      }),
      'html.val': each((el, o) => setVal(el, o.value)),
      'df.notify': notify,
      'df.modal.show': (o) => { if (hasDom()) showModal(fragment(o.html), o); },
      'df.modal.hide': () => hideModal()
    };

    const names = [];
    for (const name of Object.keys(table)) {
      const handler = table[name];
      client.connect(name, (opts) => handler(isObject(opts) ? opts : {}));
      names.push(name);
    }
    if (options.bindForms !== false && doc && typeof doc.addEventListener === 'function') bindForms(client, doc, log);
    return names;
  }

  // --- data-df-signal -------------------------------------------------------------------------------
  // df_websockets' attribute: a JSON list (or one object) of {name, on, opts, form, value, prevent}.
  // Elements are scanned at DOMContentLoaded and in the subtree of every DOMContentAdded event.
  function bindForms(client, doc, log) {
    const bound = new WeakMap(); // element -> {source, remove}

    function defaultEvent(el) {
      const tag = el.tagName;
      if (tag === 'FORM') return 'submit';
      if (tag === 'SELECT' || tag === 'TEXTAREA') return 'change';
      if (tag === 'INPUT') return ['button', 'submit', 'reset', 'image'].indexOf(el.type) >= 0 ? 'click' : 'change';
      return 'click';
    }

    function formOf(el) {
      if (el.tagName === 'FORM') return el;
      return el.form || (typeof el.closest === 'function' ? el.closest('form') : null);
    }

    function valueOf(el) {
      if (el.tagName === 'INPUT' && el.type === 'file') return Array.from(el.files || []).map((f) => f.name);
      if (el.tagName === 'SELECT' && el.multiple) return Array.from(el.options).filter((o) => o.selected).map((o) => o.value);
      if (el.tagName === 'INPUT' && (el.type === 'checkbox' || el.type === 'radio')) return !!el.checked;
      return el.value === undefined ? null : el.value;
    }

    // jQuery's serializeArray, plus one entry per selected file name.
    function serializeForm(form) {
      const result = [];
      if (!form) return result;
      for (const el of Array.from(form.elements || form.querySelectorAll('input,select,textarea'))) {
        const tag = el.tagName;
        const type = el.type;
        if (!el.name || el.disabled || (tag !== 'INPUT' && tag !== 'SELECT' && tag !== 'TEXTAREA')) continue;
        if (['submit', 'button', 'reset', 'image'].indexOf(type) >= 0) continue;
        if ((type === 'checkbox' || type === 'radio') && !el.checked) continue;
        if (tag === 'INPUT' && type === 'file') {
          for (const file of Array.from(el.files || [])) result.push({ name: el.name, value: file.name });
        } else if (tag === 'SELECT') {
          for (const option of Array.from(el.options)) if (option.selected) result.push({ name: el.name, value: option.value });
        } else {
          result.push({ name: el.name, value: el.value });
        }
      }
      return result;
    }

    function fire(el, spec, e) {
      // A fresh opts object per event: nothing from one event leaks into the next (df_websockets mutated it).
      const opts = isObject(spec.opts) ? JSON.parse(JSON.stringify(spec.opts)) : {};
      if (typeof spec.form === 'string' && spec.form) opts[spec.form] = serializeForm(formOf(el));
      if (typeof spec.value === 'string' && spec.value) opts[spec.value] = valueOf(el);
      // true: always; false: never; absent or null: unless the event is `change` (a submit or a click
      // bound to a signal does not also navigate away).
      const prevent = spec.prevent === true || (spec.prevent == null && e.type !== 'change');
      if (prevent && typeof e.preventDefault === 'function') e.preventDefault();
      client.call(spec.name, opts).catch((err) => log('warn', 'Switchboard: data-df-signal call ' + spec.name + ' failed', err));
    }

    function bind(el) {
      const source = el.getAttribute('data-df-signal');
      const previous = bound.get(el);
      if (previous && previous.source === source) return;
      if (previous) previous.remove();
      let specs;
      try { specs = JSON.parse(source); } catch (err) {
        log('warn', 'Switchboard: data-df-signal is not JSON: ' + source);
        bound.set(el, { source, remove: noop });
        return;
      }
      if (!Array.isArray(specs)) specs = [specs];
      const removers = [];
      for (const spec of specs) {
        if (!isObject(spec) || typeof spec.name !== 'string') { log('warn', 'Switchboard: data-df-signal entry without a name', spec); continue; }
        const type = typeof spec.on === 'string' && spec.on ? spec.on : defaultEvent(el);
        const listener = (e) => fire(el, spec, e);
        el.addEventListener(type, listener);
        removers.push(() => el.removeEventListener(type, listener));
      }
      bound.set(el, { source, remove: () => { for (const r of removers) r(); } });
    }

    function scan(top) {
      if (!top) return;
      if (top.nodeType === 1 && top.hasAttribute('data-df-signal')) bind(top);
      if (typeof top.querySelectorAll === 'function') for (const el of Array.from(top.querySelectorAll('[data-df-signal]'))) bind(el);
    }

    doc.addEventListener(ADDED, (e) => scan(e.target));
    if (doc.readyState === 'loading') doc.addEventListener('DOMContentLoaded', () => scan(doc.documentElement), { once: true });
    else scan(doc.documentElement);
  }

  root.Switchboard = Object.freeze(Object.assign({}, NS, { registerBuiltins }));
  if (root.df && typeof root.df.connect === 'function' && root.document) registerBuiltins(root.df, root.document);
})(typeof globalThis !== 'undefined' ? globalThis : this);
