/*
 * The html.* built-in signals (docs/builtins.md): jQuery-like DOM changes on the elements of a selector.
 * Only the insertion signals (html.after, html.append, html.before, html.content, html.prepend,
 * html.replace_with) turn server data into markup; html.text and the rest set text, attributes, styles
 * and form values. html.add_attribute refuses event-handler attributes (on*) and javascript: URLs;
 * html.download_file refuses javascript: URLs.
 */
(function (root) {
  'use strict';

  const parts = root[Symbol.for('switchboard.parts')];
  if (!parts || Object.isFrozen(parts)) return; // a second copy of the client: see df-namespace.js

  const URL_ATTRIBUTES = ['href', 'src', 'action', 'formaction', 'xlink:href', 'srcdoc', 'data', 'poster'];
  const isObject = parts.isPlainObject;
  const text = parts.toText;

  // b: the registration's context (df-builtins-dom.js). Returns {name: handler(opts)} for every html.* signal.
  function htmlSignals(b) {
    const { doc, log, hasDom, view, all, each, event, added, fragment, removeChildren } = b;

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

    return {
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
      'html.val': each((el, o) => setVal(el, o.value))
    };
  }

  parts.htmlSignals = htmlSignals;
})(typeof globalThis !== 'undefined' ? globalThis : this);
