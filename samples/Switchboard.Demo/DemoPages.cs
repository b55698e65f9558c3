using System.Net;

namespace Switchboard.Demo;

/// <summary>The demo's HTML pages: plain strings, to show Switchboard needs no view engine.</summary>
internal static class DemoPages
{
    public static string Render(HttpContext http, string title, string? room)
    {
        var user = http.User.Identity?.IsAuthenticated == true ? http.User.Identity.Name! : "anonymous";
        // The room's topic key, as the registered serializer makes it: the page knows its presence signals by it.
        var roomTopic = room is null ? null : http.RequestServices.GetRequiredService<ITopicSerializer>().Serialize(null, DemoSignals.RoomTopic(room));
        var roomHtml = room is null ? "" : $$"""
            <section id="chat" data-room="{{WebUtility.HtmlEncode(room)}}" data-room-topic="{{WebUtility.HtmlEncode(roomTopic)}}">
              <h2>Chat in room <code>{{WebUtility.HtmlEncode(room)}}</code></h2>
              <p>In the room: <span id="members"></span> <small>(presence, docs/presence.md)</small></p>
              <form id="chat-form"><input id="chat-text" placeholder="Say something" autocomplete="off"><button id="chat-send">Send</button></form>
              <ul id="chat-log"></ul>
              <form id="join-form"><input id="join-room" placeholder="Also join room" autocomplete="off"><button id="join-btn">Join room</button></form>
              <ul id="joined-rooms"></ul>
            </section>
            """;
        return $$"""
            <!doctype html>
            <html lang="en">
            <head>
              <meta charset="utf-8">
              <title>{{WebUtility.HtmlEncode(title)}} · Switchboard demo</title>
              <meta name="viewport" content="width=device-width, initial-scale=1">
              <link rel="stylesheet" href="/demo.css">
              <script src="/switchboard/df.js"></script>
            </head>
            <body>
              <header>
                <h1>{{WebUtility.HtmlEncode(title)}}</h1>
                <p>Signed in as <strong id="user">{{WebUtility.HtmlEncode(user)}}</strong> ·
                  <a href="/login?name=alice">log in as alice</a> · <a href="/login?name=bob&amp;staff=true">as bob (staff)</a> ·
                  <a href="/logout">log out</a> · <a href="/">home</a> · <a href="/chat/lobby">chat: lobby</a> · <a href="/chat/games">chat: games</a> · <a href="/builtins">built-in signals</a> · <a href="/spa.html">single-page app</a></p>
                <p>WebSocket: <span id="status">connecting</span> <span id="close-info"></span></p>
              </header>
              <main>
                {{roomHtml}}
                <section>
                  <h2>Echo (<code>demo.echo</code>) and delayed echo (<code>demo.delayed</code>)</h2>
                  <input id="echo-text" value="hello"> <button id="echo-btn">Echo</button>
                  <input id="delay-seconds" type="number" value="2" min="0" step="0.5" size="4"> s <button id="delayed-btn">Delayed echo</button>
                  <ul id="echo-log"></ul>
                </section>
                <section>
                  <h2>Calculator (remote function <code>demo.add</code>)</h2>
                  <input id="calc-a" type="number" value="2" step="any" size="6"> +
                  <input id="calc-b" type="number" value="3" step="any" size="6">
                  <button id="calc-btn">= (df.invoke)</button> <button id="calc-fn-btn">= (df.fn.demo.add)</button>
                  <button id="fail-btn">demo.fail</button>
                  <p>Result: <output id="calc-result"></output></p>
                </section>
                <section>
                  <h2>Broadcast (<code>demo.broadcast</code>)</h2>
                  <input id="broadcast-text" value="hi everyone"> <button id="broadcast-btn">Broadcast</button>
                  <ul id="broadcast-log"></ul>
                </section>
                <section>
                  <h2>Ping my tabs (<code>demo.user.ping</code>, signed-in users)</h2>
                  <button id="ping-btn">Ping all my windows</button>
                  <ul id="ping-log"></ul>
                </section>
                <section>
                  <h2>Window extension (<code>demo.theme</code>)</h2>
                  <button id="theme-btn">Which theme was this page rendered with?</button> (<a href="?theme=dark">dark</a>)
                </section>
                <section>
                  <h2>Slow job (<code>demo.slow</code>, queue <code>slow</code>)</h2>
                  <button id="slow-btn">Start</button> <progress id="slow-progress" value="0" max="5"></progress> <span id="slow-status"></span>
                </section>
                <section>
                  <h2>Staff only (<code>demo.staff_only</code>)</h2>
                  <button id="staff-btn">Call</button>
                  <ul id="staff-log"></ul>
                  <p>Operators: <a href="/switchboard/dashboard">the dashboard</a> ·
                    <input id="dead-letter-note" value="note 1" size="10"> <button id="dead-letter-btn">Make a dead letter</button> (<code>demo.dead_letter</code> fails once)</p>
                  <ul id="dead-letter-log"></ul>
                </section>
                <section>
                  <h2>Errors</h2>
                  <ul id="errors"></ul>
                </section>
              </main>
              {{http.SwitchboardInitHtml()}}
              <script src="/demo.js"></script>
            </body>
            </html>
            """;
    }
}
