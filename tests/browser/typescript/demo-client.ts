// Compiled with tsc by ../typescript.test.mjs against the demo's generated declarations ('demo-signals': written by
// `Switchboard.Demo typescript PATH`) and the client's typings ('@switchboard/client': clients/js/types/df.d.ts).
// Exactly one error is expected: the line marked DELIBERATE. Every `@ts-expect-error` below must find its error too
// (tsc reports an unused one), so each proves that a wrong call is refused; everything else must compile.
import df from '@switchboard/client';
import type { ChatMessage, Progress } from 'demo-signals';

const room = 'lobby';
const text = 'hi';

// Server signals: kwargs from the handlers' C# parameters.
await df.call('demo.chat.post', { room, text });
await df.call('demo.slow'); // every kwarg optional (int steps = 5): opts may be left out
await df.call('demo.slow', { steps: 3 });
await df.call('demo.echo', { anything: [1, 2], goes: true }); // [CatchAll] JsonObject
await df.call('demo.user.ping');
await df.call('demo.builtins.run', { builtin: 'html.text', args: { selector: '#x', content: 'y' } });
// @ts-expect-error: text is required (string text, no default)
await df.call('demo.chat.post', { room });
// @ts-expect-error: room is a string
await df.call('demo.chat.post', { room: 1, text });
// @ts-expect-error: the handler takes no `color`, and the server would refuse it
await df.call('demo.chat.post', { room, text, color: 'red' });
// @ts-expect-error: kwargs are required when one of them is
await df.call('demo.chat.post');
// @ts-expect-error: demo.staff_only takes no kwargs
await df.call('demo.staff_only', { who: 'me' });

// Remote functions: kwargs checked, results typed.
const sum: number = await df.invoke('demo.add', { a: 2, b: 3 }, { timeout: 5000 });
const me: string | null = await df.invoke('demo.me');
// @ts-expect-error: demo.add resolves with a number
const wrong: string = await df.invoke('demo.add', { a: 1, b: 2 });
// @ts-expect-error: b is missing
await df.invoke('demo.add', { a: 1 });

// Browser signals: the opts the demo declared ([BrowserSignal] records, DeclareBrowserSignal<JsonObject>).
df.connect('demo.chat.message', (m) => console.log(m.room, m.text.toUpperCase(), m.from));
df.connect('demo.progress', ({ step, steps }) => step / steps);
df.connect('demo.user.pinged', (m) => m.from?.toUpperCase());
df.connect('demo.echoed', (opts) => opts.text);
df.connect('demo.progress', (p: Progress) => p.steps);
df.connect('demo.progress', (p) => {
  // @ts-expect-error: step is a number
  const step: string = p.step;
  return step;
});
// @ts-expect-error: a handler asking for other opts than the declared ones
df.connect('demo.chat.joined', (j: { rooms: string[] }) => j.rooms);
const line: ChatMessage = { room, text, from: 'me' };
await df.call('demo.chat.message', line); // runs this page's handlers with the declared opts

// Built-in browser signals are typed by the client itself.
df.connect('df.notify', (n) => n.level);
await df.call('df.notify', { content: 'Saved', level: 'success' });
// @ts-expect-error: not a level
await df.call('df.notify', { content: 'Saved', level: 'fine' });
await df.call('html.append', { selector: '#log', content: '<li>done</li>' });
await df.call('html.fade_to', { selector: '#old', opacity: 0.3, duration: 400 });
// @ts-expect-error: which elements?
await df.call('html.append', { content: '<li>done</li>' });

// Names nobody declared work as before: any opts, an unknown result.
df.connect('page.local', (opts) => opts.whatever.goes);
await df.call('page.local', { free: 'form' });
const answer: unknown = await df.invoke('other.function', { x: 1 });

df.connect('demo.chat.message', (m) => m.txt); // DELIBERATE: ChatMessage has no `txt`

export { sum, me, wrong, answer };
