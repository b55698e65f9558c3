/* Switchboard dashboard: renders node snapshots and queue snapshots that arrive over this page's own window
 * (signals switchboard.dashboard.node and switchboard.dashboard.queues), after a first read of {base}/state.
 * Everything is built with textContent: dead-letter reasons and topic names are data, never markup. */
(function () {
  'use strict';
  const base = document.querySelector('meta[name="switchboard-dashboard"]').content;
  const antiforgery = document.querySelector('meta[name="switchboard-antiforgery"]').content;
  // A node is gone after three missed ticks and a margin; each snapshot says its node's tick (DashboardFeed:Interval).
  const staleAfterMs = (s) => Math.max(5000, 3000 * (s.intervalSeconds || 1) + 2000);
  const nodes = new Map();              // node name -> { s: snapshot, t: Date.now() when received }
  let queues = null;                    // the latest queue snapshot

  function el(tag, attrs, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === 'class') e.className = v; else if (k.startsWith('data-')) e.setAttribute(k, v); else e[k] = v;
    }
    for (const c of children) e.append(c instanceof Node ? c : document.createTextNode(c == null ? '' : String(c)));
    return e;
  }
  const num = (v) => el('td', { class: 'num' }, v == null ? '–' : v);
  function seconds(v) {
    if (v == null) return '–';
    if (v < 1) return (v * 1000).toFixed(v < 0.01 ? 2 : 0) + ' ms';
    if (v < 120) return v.toFixed(1) + ' s';
    if (v < 7200) return (v / 60).toFixed(1) + ' min';
    return (v / 3600).toFixed(1) + ' h';
  }
  function fill(id, rows) {
    const body = document.querySelector('#' + id + ' tbody');
    body.replaceChildren(...(rows.length ? rows : [el('tr', {}, el('td', { colSpan: 20, class: 'muted' }, 'None.'))]));
  }
  function status(text, error) {
    const s = document.getElementById('status');
    s.textContent = text;
    s.className = error ? 'error' : '';
  }

  function liveNodes() {
    const now = Date.now();
    for (const [name, n] of nodes) if (now - n.t > staleAfterMs(n.s)) nodes.delete(name);
    return [...nodes.values()].map((n) => n.s).sort((a, b) => a.node < b.node ? -1 : 1);
  }

  // The node says what a key is (it knows from the windows in it and the serializer, the page never parses a key):
  // BROADCAST by name, a user's topic and a string topic as "value kind" ("room:1 str"), others as they are.
  function topicCell(key, t) {
    if (t.kind === 'BROADCAST') return el('td', { class: 'id', title: key }, 'BROADCAST');
    if (!t.kind) return el('td', { class: 'id', title: key }, key);
    return el('td', { class: 'id', title: key }, t.value ?? key, ' ', el('span', { class: 'muted' }, t.kind));
  }

  function render() {
    const list = liveNodes();
    fill('nodes', list.map((n) => el('tr', { 'data-node': n.node },
      el('td', { class: 'id' }, n.node), num(n.windows), num(n.topics),
      el('td', {}, (n.queues || []).filter((q) => q.workers > 0).map((q) => q.name + ' ×' + q.workers).join(', ') || '–'),
      el('td', {}, new Date(n.at).toLocaleTimeString()))));

    // Per queue: statistics from the queues themselves, workers and rates summed over nodes, pickup the worst node's.
    const served = new Map();
    for (const n of list) for (const q of n.queues || []) {
      const s = served.get(q.name) || { workers: 0, rate: 0, p50: null, p99: null };
      s.workers += q.workers || 0;
      s.rate += q.perSecond || 0;
      if (q.pickupP50Seconds != null) s.p50 = Math.max(s.p50 ?? 0, q.pickupP50Seconds);
      if (q.pickupP99Seconds != null) s.p99 = Math.max(s.p99 ?? 0, q.pickupP99Seconds);
      served.set(q.name, s);
    }
    const qs = queues ? queues.queues : [];
    fill('queues', qs.map((q) => {
      const s = served.get(q.name) || {};
      return el('tr', { 'data-queue': q.name }, el('td', {}, q.name), num(q.depth), num(q.leased), num(q.delayed),
        num(q.deadLetters), el('td', { class: 'num' }, seconds(q.oldestJobAgeSeconds)), num(s.workers ?? 0),
        el('td', { class: 'num' }, s.rate ? s.rate.toFixed(2) + '/s' : '–'),
        el('td', { class: 'num' }, seconds(s.p50)), el('td', { class: 'num' }, seconds(s.p99)));
    }));

    const letters = document.getElementById('dead-letters');
    const withLetters = qs.filter((q) => q.deadLetters > 0);
    letters.replaceChildren(...(withLetters.length ? withLetters.map(deadLetterSection) : [el('p', { class: 'muted' }, 'None.')]));

    const topics = new Map();
    for (const n of list) for (const t of n.topTopics || []) {
      const s = topics.get(t.topic) || { windows: 0, nodes: 0, presence: null, kind: t.kind, value: t.value };
      s.windows += t.windows; s.nodes += 1;
      if (t.presence) s.presence = t.presence;   // the presence store's count: the same from every node
      topics.set(t.topic, s);
    }
    const present = (p) => p ? p.users + ' user' + (p.users === 1 ? '' : 's') + ', ' + p.windows + ' window' + (p.windows === 1 ? '' : 's') : '–';
    fill('topics', [...topics].sort((a, b) => b[1].windows - a[1].windows).slice(0, 50)
      .map(([topic, s]) => el('tr', { 'data-topic': topic }, topicCell(topic, s), num(s.windows), num(s.nodes), el('td', {}, present(s.presence)))));

    const refusals = new Map();
    for (const n of list) for (const [reason, count] of Object.entries(n.refusals || {})) refusals.set(reason, (refusals.get(reason) || 0) + count);
    fill('refusals', [...refusals].sort((a, b) => b[1] - a[1]).map(([reason, count]) => el('tr', {}, el('td', {}, reason), num(count))));

    document.getElementById('updated').textContent = 'updated ' + new Date().toLocaleTimeString();
  }

  function deadLetterSection(q) {
    const shown = q.deadLetterList.length;
    return el('div', { class: 'queue-letters', 'data-queue': q.name },
      el('h3', {}, q.name + ': ' + q.deadLetters + ' dead letter' + (q.deadLetters === 1 ? '' : 's') + (shown < q.deadLetters ? ' (oldest ' + shown + ' shown)' : '')),
      el('div', { class: 'actions' },
        el('button', { 'data-action': 'requeue', 'data-queue': q.name, 'data-all': 'true' }, 'Requeue all'),
        el('button', { class: 'danger', 'data-action': 'delete', 'data-queue': q.name, 'data-all': 'true' }, 'Delete all')),
      el('div', { class: 'scroll' }, el('table', {},
        el('thead', {}, el('tr', {}, ...['Id', 'Signal', 'Attempt', 'Created', 'Error', ''].map((h) => el('th', {}, h)))),
        el('tbody', {}, ...q.deadLetterList.map((d) => el('tr', { 'data-dead-letter': d.id },
          el('td', { class: 'id' }, d.id), el('td', {}, d.signal ?? '(unreadable)'), num(d.attempt),
          el('td', {}, d.createdAt ? new Date(d.createdAt).toLocaleString() : '–'), el('td', { class: 'reason' }, d.reason),
          el('td', { class: 'actions' },
            el('button', { 'data-action': 'requeue', 'data-queue': q.name, 'data-id': d.id }, 'Requeue'),
            el('button', { class: 'danger', 'data-action': 'delete', 'data-queue': q.name, 'data-id': d.id }, 'Delete'))))))));
  }

  function confirmAction(text) {
    const dialog = document.getElementById('confirm');
    document.getElementById('confirm-text').textContent = text;
    return new Promise((resolve) => {
      dialog.addEventListener('close', () => resolve(dialog.returnValue === 'ok'), { once: true });
      dialog.returnValue = '';
      dialog.showModal();
    });
  }

  async function act(button) {
    const action = button.dataset.action, queue = button.dataset.queue, id = button.dataset.id, all = button.dataset.all === 'true';
    const what = all ? 'every dead letter of queue ' + queue : 'dead letter ' + id + ' of queue ' + queue;
    if (!(await confirmAction((action === 'requeue' ? 'Requeue ' : 'Delete for good ') + what + '?'))) return;
    try {
      const response = await fetch(base + '/dead-letters/' + action, {
        method: 'POST', credentials: 'same-origin',
        headers: { 'Content-Type': 'application/json', 'RequestVerificationToken': antiforgery },
        body: JSON.stringify(all ? { queue, all: true } : { queue, id })
      });
      const body = await response.json().catch(() => ({}));
      if (!response.ok) { status(body.error || ('HTTP ' + response.status), true); return; }
      const count = action === 'requeue' ? body.requeued : body.deleted;
      status((action === 'requeue' ? 'Requeued ' : 'Deleted ') + count + ' dead letter' + (count === 1 ? '' : 's') + ' of ' + queue + '.');
      await load();
    } catch (e) {
      status('The request failed: ' + e.message, true);
    }
  }

  async function load() {
    const response = await fetch(base + '/state', { credentials: 'same-origin', cache: 'no-store' });
    if (!response.ok) { status('Could not read the state: HTTP ' + response.status, true); return; }
    const state = await response.json();
    queues = state;
    for (const n of state.nodes || []) nodes.set(n.node, { s: n, t: Date.now() });
    render();
  }

  document.addEventListener('click', (e) => {
    const button = e.target.closest('button[data-action]');
    if (button) act(button);
  });
  const df = window.df;
  df.connect('switchboard.dashboard.node', (n) => { nodes.set(n.node, { s: n, t: Date.now() }); render(); });
  df.connect('switchboard.dashboard.queues', (q) => { queues = q; render(); });
  const live = document.getElementById('live');
  const showState = (s) => { live.textContent = s; live.dataset.state = s; };
  df.onstate((s) => showState(typeof s === 'string' ? s : df.state));
  showState(df.state);
  setInterval(render, 1000);
  load();
})();
