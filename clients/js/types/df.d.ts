// Type definitions for @switchboard-aspnet/client (src/df.mjs, and the served /switchboard/df.js: the parts of
// src/parts.json). Wire protocol v1: docs/protocol.md. Hand-written: keep in step with src/ (test/api.test.js helps).

/** Options of a client; `df.options` holds the live values (they may be changed at run time). */
export interface SwitchboardOptions {
  /** Calls and invokes waiting for `hello` (before the first one, or while reconnecting). Past it the oldest
   *  waiting one rejects with `buffer_full`. Default 256. */
  bufferSize: number;
  /** Base of the full-jitter exponential backoff, in ms: delay = random(0, min(max, base·2^attempt)). Default 500. */
  minReconnectDelay: number;
  /** Cap of the reconnect delay, in ms. Default 20000. */
  maxReconnectDelay: number;
  /** How long to wait, in ms, for any frame after a `ping`, and for `hello` after the socket is
   *  created, before giving up on the socket and reconnecting. Default 10000. Also how long to wait for
   *  `resumed` after a `resume` before treating the gap as not recovered (df.resync). */
  pongTimeout: number;
  /** How many recent `signal_id` values are remembered to run each server signal once. Default 1024. */
  maxSeenIds: number;
  /** Frames held per topic while a gap is being resumed (§7). Past it the client stops waiting: it runs
   *  `df.resync` for the gapped topics and continues from the held frames. Default 1000. */
  maxHeldFrames: number;
  /** How long, in ms, `df.invoke` waits for its result (waiting for `hello` included) before rejecting with
   *  'timeout', unless the invoke gives `{timeout}`. Default 30000. */
  invokeTimeout: number;
}

/** The minimal logger the client uses; every method is optional. */
export interface SwitchboardLogger {
  debug?(...args: unknown[]): void;
  info?(...args: unknown[]): void;
  warn?(...args: unknown[]): void;
}

/** The part of the browser WebSocket the client uses (the `ws` npm package fits too). */
export interface WebSocketLike {
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  onclose: ((event: { code: number; reason: string }) => void) | null;
  onerror: ((event: unknown) => void) | null;
}

export interface CreateClientOptions extends Partial<SwitchboardOptions> {
  /** WebSocket endpoint. A relative URL ('/switchboard/ws') resolves against `location.href` with
   *  http→ws and https→wss; an absolute ws:// or wss:// URL is used as is. */
  url?: string;
  /** The signed window token of this page (from the init element): the first one; a connected window is sent
   *  newer ones (`token` frames), which the client uses on every later (re)connect. */
  token?: string;
  /** WebSocket constructor. Default: globalThis.WebSocket. */
  WebSocket?: new (url: string) => WebSocketLike;
  /** Timer functions. Default: globalThis.setTimeout / clearTimeout. */
  setTimeout?: (fn: () => void, ms: number) => unknown;
  clearTimeout?: (id: any) => void;
  /** Random source in [0, 1) for the reconnect jitter. Default: Math.random. */
  random?: () => number;
  /** Clock in ms, for the heartbeat. Default: Date.now. */
  now?: () => number;
  /** Default: console.info for the one "no init element" notice, console.warn for real problems, nothing else. */
  logger?: SwitchboardLogger;
  /** Document the built-in signals act on. Default: globalThis.document (they do nothing without one). */
  document?: Document;
  /** Register the built-in browser signals (src/df-builtins*.js; data-df-signal bindings are left
   *  to the page's `df`). Default true. */
  builtins?: boolean;
  /** Call start() at once. Default true; then `url` and `token` are required. */
  autoConnect?: boolean;
  /** A bearer token for the WebSocket upgrade and the window endpoint (see StartOptions.accessTokenFactory). */
  accessTokenFactory?: AccessTokenFactory;
  /** fetch implementation for the window endpoint and df.fetch. Default: globalThis.fetch. */
  fetch?: typeof fetch;
}

/**
 * Returns the access token (e.g. a JWT) of the signed-in user, or null/'' for none. Asked again on every (re)connect
 * and window request, so it can return a refreshed token. Sent as `access_token` on the WebSocket URL (browsers cannot
 * set headers on a WebSocket: the app's JwtBearer reads it in `OnMessageReceived`, as with SignalR), and as
 * `Authorization: Bearer …` to the window endpoint and in df.fetch.
 */
export type AccessTokenFactory = () => string | null | undefined | Promise<string | null | undefined>;

/** df.start(init): where the window comes from. */
export interface StartOptions {
  /** WebSocket URL (with `token`: connect directly, as from a page's init element). */
  url?: string;
  /** The signed window token (the init element's or the window endpoint's). */
  token?: string;
  /**
   * The window endpoint (`MapSwitchboardWindows()`, default '/switchboard/window'), for a client without a rendered
   * page: POSTed to (with the bearer token when there is an accessTokenFactory) for the init object {url, token, v},
   * then the socket opens to `url` (resolved against the endpoint). A refusal (4xx but 408 and 429) or an answer that
   * is not an init object closes the client (onclose: code 4001, terminal); a network error, 408, 429 or 5xx is tried
   * again with the reconnect backoff.
   */
  windowEndpoint?: string;
  /** Replaces the client's accessTokenFactory. */
  accessTokenFactory?: AccessTokenFactory;
}

/** Second argument of a browser handler. */
export interface HandlerContext {
  /** The server's `signal_id`; null for a call made in this page (and for `df.resync`, run by the client). */
  signalId: string | null;
  /** True when the server sent the signal (such a call is never sent back to the server). */
  fromServer: boolean;
}

/** A browser handler: `this` is the client. A thrown error or rejected Promise is logged; other handlers still run. */
export type SignalHandler<TOpts = any> = (this: SwitchboardClient, opts: TOpts, ctx: HandlerContext) => unknown;

/*
 * Typed signals (docs/typescript.md). Three global interfaces map names to argument types; they are empty here and
 * filled by declaration merging: by the `.d.ts` Switchboard generates from the application's signal registry
 * (SwitchboardTypeScript.Generate, MapSwitchboardTypeScript), or by hand. For a name they hold, tsc checks the
 * arguments of df.call, df.invoke and df.connect; any other name works as before, untyped (`object` opts, `any` in
 * handlers, an `unknown` result), since pages also call local-only signals and names from other code.
 */

/** What a browser handler of `K` gets: the declared opts of a browser signal, else `any`. */
export type BrowserSignalOpts<K extends string> = K extends keyof SwitchboardBrowserSignals ? SwitchboardBrowserSignals[K] : any;

/** The opts of df.call(K): the server signal's kwargs (and the browser signal's opts when K is both, since local
 *  handlers get the same object), else `object`. */
export type CallOpts<K extends string> =
  K extends keyof SwitchboardServerSignals
    ? (K extends keyof SwitchboardBrowserSignals ? SwitchboardServerSignals[K] & SwitchboardBrowserSignals[K] : SwitchboardServerSignals[K])
    : K extends keyof SwitchboardBrowserSignals ? SwitchboardBrowserSignals[K] : object;

/** df.call's arguments after the name: opts may be left out when nothing in them is required. */
export type CallArgs<K extends string> = {} extends CallOpts<K> ? [opts?: CallOpts<K> | null] : [opts: CallOpts<K>];

/** The kwargs of df.invoke(K): the function's arguments, else `object`. */
export type FunctionArgs<K extends string> = K extends keyof SwitchboardFunctions ? SwitchboardFunctions[K]['args'] : object;

/** What df.invoke(K) resolves with: the function's result (JSON), else `unknown`. */
export type FunctionResult<K extends string> = K extends keyof SwitchboardFunctions ? SwitchboardFunctions[K]['result'] : unknown;

/** df.invoke's arguments after the name. */
export type InvokeArgs<K extends string> = {} extends FunctionArgs<K>
  ? [kwargs?: FunctionArgs<K> | null, options?: InvokeOptions]
  : [kwargs: FunctionArgs<K>, options?: InvokeOptions];

/** How a call settled when it did not reject. */
export type CallResult =
  /** The server queued one job per distinct queue of the allowed handlers (`jobs`); `local` browser handlers ran. */
  | { accepted: true; jobs: number; local: number }
  /** The server may not be called with this signal; `local` (≥ 1) browser handlers ran. */
  | { accepted: false; local: number };

/** Third argument of df.invoke (and of a df.fn call). */
export interface InvokeOptions {
  /** Ms to wait for the result, from the invoke (time waiting for `hello` included), in (0, 2147483647].
   *  Default `options.invokeTimeout` (30000). */
  timeout?: number;
}

interface FunctionPath {
  /** Invokes the function named by this path: `df.fn.demo.add(kwargs, options)` is `df.invoke('demo.add', kwargs, options)`. */
  <T = unknown>(kwargs?: object | null, options?: InvokeOptions): Promise<T>;
  /** Each property extends the dotted name. */
  readonly [segment: string]: FunctionProxy;
}

/**
 * `df.fn` (and `$.dfws`): a proxy whose property path builds a function name and whose call invokes it,
 * `df.fn.demo.add({a: 2, b: 3})` ≡ `df.invoke('demo.add', {a: 2, b: 3})`. `then` and `toJSON` are not name
 * segments (a path is not thenable: `await df.fn.demo` invokes nothing; JSON.stringify does not invoke), nor are
 * symbol keys; use df.invoke for a name with such a segment.
 */
export type FunctionProxy = FunctionPath & { readonly then: undefined; readonly toJSON: undefined };

export type ConnectionState = 'connecting' | 'connected' | 'reconnecting' | 'closed';

export interface StateContext { state: ConnectionState; }

export interface CloseContext {
  /** The WebSocket close code (protocol.closeCodes), or one the client chose: 4008 (no hello in time),
   *  4100 (no pong in time), 1006 (send failed), 1000 (close() was called). */
  code: number;
  reason: string;
  /** True when the client will not reconnect: codes 4000–4099 except 4008 (the page must be
   *  reloaded, e.g. 4001 expired token), or close() was called. */
  terminal: boolean;
}

export interface ReconnectContext {
  /** Reconnect attempts it took since the connection was lost. */
  attempts: number;
  /** `hello.signals` of the new connection. */
  signals: string[];
  /** `hello.recovered`: true when the server replayed every message missed while disconnected, false when
   *  some were lost (the client then runs `df.resync`, after this listener), null when the client had no
   *  position to resume from (or the server does not say). */
  recovered: boolean | null;
}

/** A position in a topic's history (§7): sequence number within an epoch (an opaque string that changes
 *  when the history is lost). */
export interface TopicPosition {
  readonly seq: number;
  readonly epoch: string;
}

/** Opts of the local signal `df.resync`, run by the client (never sent to the server) when messages of some
 *  topics were lost: `hello.recovered` false, `resumed.recovered` false, no `resumed` within pongTimeout, or
 *  the hold buffer overflowed. Handlers refetch the state they show: `df.connect('df.resync', ({topics}) => …)`. */
export interface ResyncOptions {
  /** Topic ids (16 hex digits, keys of `df.positions`). */
  topics: string[];
}

/** Opts of `switchboard.presence` (docs/presence.md), sent by the server to a topic with presence when its users
 *  change, and to a window that joins it: `df.connect('switchboard.presence', ({topic, users, anonymous}) => …)`. */
export interface PresenceOptions {
  /** A string topic's value (e.g. `room:lobby`), else the topic key. */
  topic: string;
  /** Windows on the topic, on every node. */
  windows: number;
  /** The distinct signed-in users, sorted by name: names and window counts only. */
  users: { name: string; windows: number }[];
  /** Windows of anonymous users. */
  anonymous: number;
}

export interface ErrorContext {
  /** A protocol error code, e.g. 'handler_failed', 'bad_arguments', 'expired', 'bad_frame'. */
  code: string;
  message: string;
  /** The call this error concerns, when the server said so. */
  id: number | null;
  signal: string | null;
}

/** Removes the handler or listener it was returned for. Calling it again does nothing. */
export type Unsubscribe = () => void;

export interface SwitchboardClient {
  /**
   * Adds a browser handler for signal `name` (called by the server, or by df.call in this page).
   * Handlers run in registration order. Throws TypeError for an invalid name
   * (`^[_a-zA-Z]\w*(\.[_a-zA-Z]\w*)*$`) or a non-function.
   */
  connect<K extends string>(name: K, fn: SignalHandler<BrowserSignalOpts<K>>): Unsubscribe;
  /** Removes `fn` from `name`, or every handler of `name` (built-ins included) when `fn` is omitted.
   *  Returns how many were removed. */
  disconnect(name: string, fn?: SignalHandler): number;
  /**
   * Runs the browser handlers of `name` at once, then, when `name` is in `hello.signals`, sends the call
   * to the server (before the first hello, or while disconnected, it waits in a bounded buffer).
   * `opts` (default {}) is serialized when call() runs. The Promise never hangs:
   * - resolves `{accepted: true, jobs, local}` when the server accepted;
   * - resolves `{accepted: false, local}` when the server may not be called but local handlers ran;
   * - rejects with SignalError: the server's code on refusal; 'forbidden' when neither server nor local
   *   handler exists; 'invalid_signal_name'; 'disconnected' (sent, but the connection was lost before the
   *   answer: the server may or may not have queued it; never re-sent); 'buffer_full' and 'closed'
   *   (never sent). A TypeError rejects when opts is not a JSON-serializable object.
   * Typed by `SwitchboardServerSignals` / `SwitchboardBrowserSignals` for their names (see CallOpts).
   */
  call<K extends string>(name: K, ...opts: CallArgs<K>): Promise<CallResult>;
  /**
   * Invokes the server function `name` with `kwargs` (default {}, serialized when invoke() runs) and resolves
   * with the value it returned (JSON; null for a null return). Sent when `name` is in `hello.functions`
   * (before the first hello, or while disconnected, it waits in the same bounded buffer as calls); a sent
   * invoke stays pending across reconnects, since its result is replayed. Rejects with SignalError:
   * - refused by the server: 'invalid_signal_name', 'unknown_signal' (no such function, or a signal), 'forbidden',
   *   'kwargs_too_large', 'unavailable', 'rate_limited';
   * - from the worker: 'handler_failed' (SignalException message, else generic unless DetailedErrors),
   *   'bad_arguments', 'expired';
   * - from the client: 'invalid_signal_name' (bad name, nothing sent); 'forbidden' (not in `hello.functions`,
   *   nothing sent); 'timeout' (no result within the timeout; the function may still run); 'buffer_full'
   *   (never sent); 'closed' (the client closed for good: never sent, or sent and its result can no longer come).
   * A TypeError rejects when kwargs is not a JSON-serializable object, or options/timeout are invalid.
   * Typed by `SwitchboardFunctions` for its names: kwargs checked, the result typed (else `unknown`).
   */
  invoke<K extends string>(name: K, ...args: InvokeArgs<K>): Promise<FunctionResult<K>>;
  /** Remote functions as a proxy: `await df.fn.demo.add({a: 2, b: 3})` (see FunctionProxy). `$.dfws` in a page with jQuery. */
  readonly fn: FunctionProxy;
  /** Resolves once the first `hello` is received (connected and subscribed to the window's topics).
   *  Rejects with SignalError('closed') if the client closes before that (e.g. its window request was refused).
   *  On a page without an init element, the default `df` waits for df.start(). */
  readonly ready: Promise<void>;
  /** The connection state; 'connecting' until the first hello (also before start()). */
  readonly state: ConnectionState;
  /**
   * A frozen snapshot, taken at each read, of the last position applied in each topic of the window
   * (topic id → {seq, epoch}): from `hello.pos`, then advanced by each `signal` frame run in order (§7).
   * Sent as `connect.resume` on a reconnect. Empty before the first hello or with a server that does not
   * sequence. For tests and debugging.
   */
  readonly positions: Readonly<Record<string, TopicPosition>>;
  /** Live options (defaults in SwitchboardOptions). */
  readonly options: SwitchboardOptions;
  /** The protocol constants (same object as Switchboard.protocol). */
  readonly protocol: Protocol;
  /** Opens the connection (only once: a later start, or one on a page whose init element already started `df`, is
   *  ignored with a warning; nothing after close()). `init` overrides url/token, or names a window endpoint.
   *  Throws TypeError when url, token or a WebSocket implementation is missing, the URL is not ws(s), the window
   *  endpoint is not a URL, there is no fetch for it, or accessTokenFactory is not a function. */
  start(init?: StartOptions): SwitchboardClient;
  /**
   * window.fetch, acting as this window on the server: adds `X-Switchboard-Window` (the current window token; the
   * server's GetWindowKey/GetWindowInfo and `to: [Destination.Window]` then address this window, and a token that is
   * not this user's live window gets 400) and, with an accessTokenFactory, `Authorization: Bearer …` unless the
   * request has its own. Both only for requests to the page's origin or the Switchboard server's, never to others;
   * nothing is added before the client has its window token.
   */
  fetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response>;
  /** `{'X-Switchboard-Window': token}` for a request to `url` (default: the page) when it is the page's or the server's
   *  origin and the window token is known; `{}` otherwise. For XMLHttpRequest, axios…; jQuery requests get it by
   *  themselves (an ajaxPrefilter the page's `df` installs). */
  windowHeaders(url?: string | URL): Record<string, string>;
  /** Closes for good: no reconnect; sent calls reject with 'disconnected', waiting ones with 'closed'; invokes
   *  (sent or waiting) reject with 'closed'. */
  close(): void;
  /** After a reconnection's `hello` (not the first one: await `ready` for that). `ctx.recovered` says whether
   *  the server replayed everything missed; when false, `df.resync` runs right after the listeners. */
  onreconnect(fn: (ctx: ReconnectContext) => void): Unsubscribe;
  /** Each time a socket closes; `terminal` says whether the client gives up (e.g. 4003: server code closed the
   *  window, as at sign-out; see docs/windows.md). */
  onclose(fn: (ctx: CloseContext) => void): Unsubscribe;
  /** `error` frames that do not settle a call: job errors of accepted calls (handler_failed,
   *  bad_arguments, expired), errors of settled calls, errors without id. Without a listener they are
   *  logged with logger.warn. */
  onerror(fn: (ctx: ErrorContext) => void): Unsubscribe;
  /** Each state change. */
  onstate(fn: (ctx: StateContext) => void): Unsubscribe;
}

/** Rejection reason of df.call and df.invoke. */
export declare class SignalError extends Error {
  constructor(code: string, message?: string, details?: { signal?: string | null; id?: number | null });
  readonly name: 'SignalError';
  /** A protocol error code (Protocol['errorCodes']) or a client code (SignalError.clientCodes). */
  readonly code: string;
  readonly signal: string | null;
  /** The call or invoke id on the wire, when it was sent. */
  readonly id: number | null;
  /** Codes produced by the client itself. */
  static readonly clientCodes: Readonly<{ disconnected: 'disconnected'; bufferFull: 'buffer_full'; closed: 'closed'; timeout: 'timeout' }>;
}

/** Protocol v1 constants (frozen), mirroring docs/protocol.md and the server's ProtocolNames. */
export interface Protocol {
  readonly version: 1;
  readonly frameTypes: Readonly<{
    connect: 'connect'; call: 'call'; invoke: 'invoke'; ping: 'ping'; resume: 'resume';
    hello: 'hello'; signal: 'signal'; result: 'result'; resumed: 'resumed'; accepted: 'accepted'; refused: 'refused';
    error: 'error'; pong: 'pong'; topics: 'topics'; token: 'token';
  }>;
  readonly errorCodes: Readonly<{
    badFrame: 'bad_frame'; unknownFrame: 'unknown_frame'; invalidSignalName: 'invalid_signal_name';
    unknownSignal: 'unknown_signal'; forbidden: 'forbidden'; kwargsTooLarge: 'kwargs_too_large';
    badArguments: 'bad_arguments'; handlerFailed: 'handler_failed'; expired: 'expired'; unavailable: 'unavailable';
    rateLimited: 'rate_limited';
  }>;
  readonly closeCodes: Readonly<{
    normal: 1000; goingAway: 1001; frameTooLarge: 1009; internalError: 1011;
    invalidToken: 4001; unsupportedVersion: 4002; closedByServer: 4003; handshakeTimeout: 4008; binaryFrame: 4009; tooManyCalls: 4029;
    heartbeatTimeout: 4100; slowConsumer: 4101;
  }>;
  /** The built-in browser signals (src/df-builtins*.js, docs/builtins.md); C#: Switchboard.BuiltinSignals.All. */
  readonly builtinSignals: readonly BuiltinSignal[];
}

/** Names of the built-in browser signals. */
export type BuiltinSignal =
  | 'html.after' | 'html.append' | 'html.prepend' | 'html.before' | 'html.content' | 'html.replace_with'
  | 'html.empty' | 'html.remove' | 'html.add_class' | 'html.remove_class' | 'html.remove_attr'
  | 'html.add_attribute' | 'html.boolean_attribute' | 'html.text' | 'html.download_file' | 'html.focus'
  | 'html.forms.set' | 'html.fade_in' | 'html.fade_out' | 'html.fade_to' | 'html.fade_toggle' | 'html.hide'
  | 'html.show' | 'html.toggle' | 'html.trigger' | 'html.val'
  | 'df.notify' | 'df.modal.show' | 'df.modal.hide';

/** Options of the built-in browser signal `df.notify`. */
export interface NotifyOptions {
  /** Text of the notification (set as text, never as HTML). */
  content?: string;
  /** Optional title, set as text. */
  title?: string;
  /** Default 'info'. */
  level?: 'default' | 'info' | 'success' | 'danger' | 'warning';
  /** Default 'notification' (a toast at the top right); 'banner' goes first in #df-messages (created at the
   *  top of the body if absent); 'modal' opens df.modal; 'system' uses the browser's Notification API and
   *  falls back to a toast when it is unavailable or refused. */
  style?: 'notification' | 'banner' | 'modal' | 'system';
  /** Ms before it disappears; 0 = stays until closed. Default 5000. */
  timeout?: number;
}

/** Options of the built-in browser signal `df.modal.show`. */
export interface ModalShowOptions {
  /** HTML of the modal's content (inserted as markup; scripts in it do not run). */
  html?: string;
  /** CSS width ('40rem', '80%') or a number of pixels. Default 36rem. */
  width?: string | number;
  /** Signal called once when this content leaves the screen (df.modal.hide, Escape, backdrop, close
   *  button, or replaced by another df.modal.show). `options` (DjangoFloor's name) or `opts` are its opts. */
  onhide?: { signal: string; options?: Record<string, unknown>; opts?: Record<string, unknown> };
}

/** Opts of the built-in `html.*` browser signals (docs/builtins.md): what `df.call('html.append', …)` and handlers of
 *  them are typed with (SwitchboardBrowserSignals). */
export interface HtmlSelectorOptions {
  /** CSS selector of the elements acted on. */
  selector: string;
}
export interface HtmlContentOptions extends HtmlSelectorOptions {
  /** HTML (html.after, append, prepend, before, content, replace_with) or text (html.text). */
  content?: string;
}
export interface HtmlClassOptions extends HtmlSelectorOptions {
  /** One class or several, space-separated. */
  class_name: string;
}
export interface HtmlRemoveAttrOptions extends HtmlSelectorOptions { attr_name: string; }
export interface HtmlAddAttributeOptions extends HtmlSelectorOptions { attr_name: string; attr_value?: string | number | boolean; }
export interface HtmlBooleanAttributeOptions extends HtmlSelectorOptions {
  name: string;
  /** Truthy: the attribute is set (`name="name"`); otherwise removed. */
  value?: unknown;
}
export interface HtmlDownloadFileOptions {
  /** Same-origin only. */
  url: string;
  filename?: string;
}
export interface HtmlFormsSetOptions extends HtmlSelectorOptions { values: { name: string; value: unknown }[]; }
export interface HtmlEffectOptions extends HtmlSelectorOptions {
  /** Ms (fades: default 400; hide, show, toggle: 0). */
  duration?: number;
  easing?: string;
}
export interface HtmlFadeToOptions extends HtmlEffectOptions {
  /** 0 to 1. */
  opacity: number;
}
export interface HtmlTriggerOptions extends HtmlSelectorOptions { event: string; }
export interface HtmlValOptions extends HtmlSelectorOptions {
  /** A string, or an array for multi-selects and checkbox groups. */
  value: string | string[];
}

/** One entry of a `data-df-signal` attribute (a JSON list of them, or one object). */
export interface DataDfSignal {
  /** Signal called with df.call. */
  name: string;
  /** DOM event. Default: submit (form), change (input, select, textarea), click (buttons, others). */
  on?: string;
  /** Base opts, copied afresh for every event. */
  opts?: Record<string, unknown>;
  /** opts[form] = the element's form serialized as [{name, value}] (jQuery serializeArray + file names). */
  form?: string;
  /** opts[value] = the element's value: file names (file input), selected values (multi-select), checked (checkbox, radio), else value. */
  value?: string;
  /** true: always preventDefault; false: never; absent or null: unless the event is `change`. */
  prevent?: boolean | null;
}

export interface RegisterBuiltinsOptions {
  /** Timers for notification and modal timeouts. Default: globalThis.setTimeout / clearTimeout. */
  setTimeout?: (fn: () => void, ms: number) => unknown;
  clearTimeout?: (id: any) => void;
  /** Default: console.warn for problems (bad selector, refused attribute...). */
  logger?: SwitchboardLogger;
  /** Bind data-df-signal attributes of the document (at DOMContentLoaded and after each DOMContentAdded). Default true. */
  bindForms?: boolean;
}

/**
 * Registers every built-in browser signal on `client` with client.connect, acting on `document`; once per
 * client. Returns the names it registered (empty when the client has them already). The page's `df` gets
 * them (with the bindings) when the client loads; createClient() calls it with bindForms: false unless `builtins: false`.
 */
export declare function registerBuiltins(client: SwitchboardClient, document?: Document | null, options?: RegisterBuiltinsOptions): string[];

/** Creates an independent client (the page's `df` is one, built from the init element). */
export declare function createClient(options?: CreateClientOptions): SwitchboardClient;
export declare const protocol: Protocol;
/** The page's default client; undefined outside a page (no `document`). */
export declare const df: SwitchboardClient;
export default df;

export interface SwitchboardNamespace {
  readonly createClient: typeof createClient;
  readonly protocol: Protocol;
  readonly SignalError: typeof SignalError;
  readonly registerBuiltins: typeof registerBuiltins;
}

declare global {
  /** Server signals a browser may call → their kwargs (`{ room: string; text: string }`). Filled by the generated
   *  `.d.ts` (docs/typescript.md) or by hand; empty here. */
  interface SwitchboardServerSignals {}
  /** Remote functions → `{ args: kwargs; result: what df.invoke resolves with }`. Filled like SwitchboardServerSignals. */
  interface SwitchboardFunctions {}
  /** Browser signals → the opts their handlers get. The built-ins' are here; the application's come from the
   *  generated `.d.ts` ([BrowserSignal] records) or by hand (a page's local signals). */
  interface SwitchboardBrowserSignals {
    'html.after': HtmlContentOptions;
    'html.append': HtmlContentOptions;
    'html.prepend': HtmlContentOptions;
    'html.before': HtmlContentOptions;
    'html.content': HtmlContentOptions;
    'html.replace_with': HtmlContentOptions;
    'html.empty': HtmlSelectorOptions;
    'html.remove': HtmlSelectorOptions;
    'html.add_class': HtmlClassOptions;
    'html.remove_class': HtmlClassOptions;
    'html.remove_attr': HtmlRemoveAttrOptions;
    'html.add_attribute': HtmlAddAttributeOptions;
    'html.boolean_attribute': HtmlBooleanAttributeOptions;
    'html.text': HtmlContentOptions;
    'html.download_file': HtmlDownloadFileOptions;
    'html.focus': HtmlSelectorOptions;
    'html.forms.set': HtmlFormsSetOptions;
    'html.fade_in': HtmlEffectOptions;
    'html.fade_out': HtmlEffectOptions;
    'html.fade_to': HtmlFadeToOptions;
    'html.fade_toggle': HtmlEffectOptions;
    'html.hide': HtmlEffectOptions;
    'html.show': HtmlEffectOptions;
    'html.toggle': HtmlEffectOptions;
    'html.trigger': HtmlTriggerOptions;
    'html.val': HtmlValOptions;
    'df.notify': NotifyOptions;
    'df.modal.show': ModalShowOptions;
    'df.modal.hide': { [key: string]: never };
    'df.resync': ResyncOptions;
    'switchboard.presence': PresenceOptions;
  }
  /** Set when the client loads (/switchboard/df.js, or the module src/df.mjs). */
  var Switchboard: SwitchboardNamespace;
  /** The page's default client, set when the client loads in a document. */
  var df: SwitchboardClient;
}
