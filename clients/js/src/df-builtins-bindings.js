/*
 * data-df-signal: df_websockets' attribute on forms, inputs and buttons, a JSON list (or one object) of
 * {name, on, opts, form, value, prevent}: the event `on` (default: by element) calls the signal `name`.
 * Elements are scanned at DOMContentLoaded and in the subtree of every DOMContentAdded event, so content
 * inserted by the html.* signals and df.modal.show is bound too.
 */
(function (root) {
  'use strict';

  const parts = root[Symbol.for('switchboard.parts')];
  if (!parts || Object.isFrozen(parts)) return; // a second copy of the client: see df-namespace.js

  const { noop, ADDED_EVENT } = parts;
  const isObject = parts.isPlainObject;

  // b: the registration's context (df-builtins-dom.js); its doc must have addEventListener.
  function bindForms(b) {
    const { client, doc, log } = b;
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

    doc.addEventListener(ADDED_EVENT, (e) => scan(e.target));
    if (doc.readyState === 'loading') doc.addEventListener('DOMContentLoaded', () => scan(doc.documentElement), { once: true });
    else scan(doc.documentElement);
  }

  parts.bindForms = bindForms;
})(typeof globalThis !== 'undefined' ? globalThis : this);
