/*
 * What the built-in browser signals share. builtinsContext(client, doc, options) gives each registration
 * (one client, one document) its DOM helpers, timers and logger; CSS is the one stylesheet of df.notify and
 * df.modal. Server data becomes markup only through fragment(), in the signals documented to insert HTML.
 */
(function (root) {
  'use strict';

  const parts = root[Symbol.for('switchboard.parts')];
  if (!parts || Object.isFrozen(parts)) return; // a second copy of the client: see df-namespace.js

  // Fired (bubbling) on every element a built-in inserts, so the page and data-df-signal see new content.
  const ADDED = 'DOMContentAdded';
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

  // options: setTimeout / clearTimeout (default: the global ones), logger ({debug, info, warn}).
  function builtinsContext(client, doc, options) {
    doc = doc || null;
    const setT = options.setTimeout || ((fn, ms) => root.setTimeout(fn, ms));
    const clearT = options.clearTimeout || ((id) => root.clearTimeout(id));
    const logger = options.logger || { warn: (...a) => root.console && root.console.warn(...a) };
    const log = (level, ...args) => { if (logger && typeof logger[level] === 'function') logger[level](...args); };
    const hasDom = () => !!doc && typeof doc.createElement === 'function';
    const view = () => (doc && doc.defaultView) || root;

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

    return { client, doc, setT, clearT, log, hasDom, view, all, each, event, added, fragment, removeChildren, ensureStyles, closeButton };
  }

  parts.builtinsContext = builtinsContext;
  parts.ADDED_EVENT = ADDED;
  parts.toText = text;
})(typeof globalThis !== 'undefined' ? globalThis : this);
