/*
 * df.notify: a message in one of four styles. `notification` (a toast, the default) and `banner` are
 * elements of the page; `modal` uses the df.modal dialog; `system` is the browser's Notification, or a toast
 * when the user refuses it. Title and content are always text, never markup.
 */
(function (root) {
  'use strict';

  const parts = root[Symbol.for('switchboard.parts')];
  if (!parts || Object.isFrozen(parts)) return; // a second copy of the client: see df-namespace.js

  const LEVELS = ['default', 'info', 'success', 'danger', 'warning'];
  const NOTIFY_STYLES = ['notification', 'banner', 'modal', 'system'];
  const isObject = parts.isPlainObject;
  const text = parts.toText;

  // b: the registration's context (df-builtins-dom.js); modal: its df.modal (df-builtins-modal.js).
  // Returns the df.notify handler.
  function createNotify(b, modal) {
    const { doc, setT, clearT, log, hasDom, view, ensureStyles, closeButton } = b;
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
      modal.show(f, {});
      if (timeout > 0) modal.hideAfter(timeout, wrapper);
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

    return notify;
  }

  parts.createNotify = createNotify;
})(typeof globalThis !== 'undefined' ? globalThis : this);
