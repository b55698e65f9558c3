// The /builtins page: each built-in signal's arguments, a "C#" button (demo.builtins.run: the server answers with
// the typed shortcut) and a "df.call" button (the same built-in, run in the page).
(function () {
  'use strict';
  const $ = (id) => document.getElementById(id);
  const log = (id, text) => {
    const li = document.createElement('li');
    li.textContent = text;
    $(id).appendChild(li);
  };
  const report = (signal) => (err) => log('errors', signal + ': ' + err.code + (err.message ? ' (' + err.message + ')' : ''));

  const ARGS = {
    'html.after': { selector: '#after-target', content: '<span class="inserted" id="after-new">inserted after</span>' },
    'html.append': { selector: '#list', content: '<li class="inserted" id="append-new">appended</li>' },
    'html.prepend': { selector: '#list', content: '<li class="inserted" id="prepend-new">prepended</li>' },
    'html.before': { selector: '#before-target', content: '<span class="inserted" id="before-new">inserted before</span>' },
    'html.content': { selector: '#content-target', content: '<em id="content-new">new content</em>' },
    'html.replace_with': { selector: '#replace-target', content: '<div id="replaced" class="target">replaced</div>' },
    'html.empty': { selector: '#empty-target' },
    'html.remove': { selector: '#remove-target' },
    'html.add_class': { selector: '#class-target', class_name: 'highlight' },
    'html.remove_class': { selector: '#class-target', class_name: 'initial' },
    'html.remove_attr': { selector: '#attr-target', attr_name: 'title' },
    'html.add_attribute': { selector: '#attr-target', attr_name: 'data-state', attr_value: 'set <by> signal' },
    'html.boolean_attribute': { selector: '#bool-target', name: 'disabled', value: true },
    'html.text': { selector: '#text-target', content: '<b>not bold</b>' },
    'html.download_file': { url: '/builtins/sample.txt', filename: 'sample.txt' },
    'html.focus': { selector: '#focus-target' },
    'html.forms.set': { selector: '#set-form', values: [
      { name: 'color', value: 'blue' }, { name: 'tags', value: ['a', 'c'] }, { name: 'agree', value: true },
      { name: 'size', value: 'L' }, { name: 'note', value: 'set by signal' }] },
    'html.fade_in': { selector: '#fade-in-target', duration: 200 },
    'html.fade_out': { selector: '#fade-out-target', duration: 200 },
    'html.fade_to': { selector: '#fade-to-target', opacity: 0.3, duration: 200 },
    'html.fade_toggle': { selector: '#fade-toggle-target', duration: 200 },
    'html.hide': { selector: '#hide-target', duration: 200 },
    'html.show': { selector: '#show-target', duration: 200 },
    'html.toggle': { selector: '#toggle-target', duration: 200 },
    'html.trigger': { selector: '#trigger-target', event: 'click' },
    'html.val': { selector: '#val-target', value: 'new value' },
    'df.notify': { content: 'Hello from df.notify', title: 'Notify', level: 'success', style: 'notification', timeout: 0 },
    'df.modal.show': {
      html: '<h2 id="modal-heading">Modal title</h2><p id="modal-body">Modal body <b>HTML</b></p>' +
        '<button type="button" id="modal-echo" data-df-signal=\'[{"name":"demo.builtins.echo","opts":{"via":"modal button"}}]\'>Echo</button>',
      width: '30rem',
      onhide: { signal: 'demo.builtins.echo', options: { via: 'modal hidden' } }
    },
    'df.modal.hide': {}
  };
  window.BUILTIN_ARGS = ARGS; // the browser tests read them

  const runOnServer = (builtin, args) => df.call('demo.builtins.run', { builtin, args }).catch(report('demo.builtins.run'));
  const runHere = (builtin, args) => df.call(builtin, args).catch(report(builtin));

  for (const button of document.querySelectorAll('#controls button')) {
    const builtin = button.dataset.builtin;
    button.addEventListener('click', () => (button.classList.contains('run') ? runOnServer : runHere)(builtin, ARGS[builtin]));
  }

  const notifyArgs = () => ({
    content: $('notify-content').value, title: $('notify-title').value, level: $('notify-level').value,
    style: $('notify-style').value, timeout: Number($('notify-timeout').value)
  });
  $('notify-run').addEventListener('click', () => runOnServer('df.notify', notifyArgs()));
  $('notify-local').addEventListener('click', () => runHere('df.notify', notifyArgs()));

  $('trigger-target').addEventListener('click', () => { $('trigger-log').textContent += 'clicked '; });
  $('card-page').addEventListener('click', () => df.call('demo.builtins.card', { modal: false }).catch(report('demo.builtins.card')));
  $('card-modal').addEventListener('click', () => df.call('demo.builtins.card', { modal: true }).catch(report('demo.builtins.card')));

  document.addEventListener('DOMContentAdded', (e) => log('added-log', e.target.id || e.target.tagName.toLowerCase()));
  df.connect('demo.builtins.echoed', (opts) => {
    const text = JSON.stringify(opts);
    $('echo-out').textContent = text;
    log('echo-log', text);
  });
  df.onerror((ctx) => log('errors', (ctx.signal || '') + ': ' + ctx.code + ' (' + ctx.message + ')'));
  df.onstate((ctx) => { $('status').textContent = ctx.state; });
  df.ready.then(() => { $('status').textContent = 'connected'; });
})();
