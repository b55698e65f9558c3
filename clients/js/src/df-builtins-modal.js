/*
 * df.modal: one <dialog> per document, created on first use, whose content df.modal.show replaces (the
 * replaced content's onhide signal runs) and df.modal.hide removes. Escape, the close button, a click on the
 * backdrop and a <form method="dialog"> all end in hide(), so onhide runs once and focus goes back.
 */
(function (root) {
  'use strict';

  const parts = root[Symbol.for('switchboard.parts')];
  if (!parts || Object.isFrozen(parts)) return; // a second copy of the client: see df-namespace.js

  const isObject = parts.isPlainObject;

  // b: the registration's context (df-builtins-dom.js). Used by df.modal.* and df.notify's modal style.
  function createModal(b) {
    const { client, doc, clearT, setT, log, hasDom, added, removeChildren, ensureStyles, closeButton } = b;
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

    return {
      show: showModal,
      hide: hideModal,
      // Hides the dialog after `ms` if `content` is still in it (df.notify's modal style); finishContent
      // clears the timer when that content leaves first.
      hideAfter(ms, content) {
        modal.timer = setT(() => { modal.timer = null; if (content.parentNode) hideModal(); }, ms);
      }
    };
  }

  parts.createModal = createModal;
})(typeof globalThis !== 'undefined' ? globalThis : this);
