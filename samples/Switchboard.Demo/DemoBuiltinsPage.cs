using System.Net;

namespace Switchboard.Demo;

/// <summary>
/// <c>/builtins</c>: one control per built-in browser signal. "C#" asks the server (<c>demo.builtins.run</c>), whose
/// handler answers with the typed shortcut; "df.call" runs the same built-in in the page. The arguments of each control
/// are in wwwroot/builtins.js; the elements they act on are in the stage below.
/// </summary>
internal static class DemoBuiltinsPage
{
    private static readonly string[] Levels = ["default", "info", "success", "danger", "warning"];
    private static readonly string[] Styles = ["notification", "banner", "modal", "system"];

    public static string Render(HttpContext http)
    {
        var user = http.User.Identity?.IsAuthenticated == true ? http.User.Identity.Name! : "anonymous";
        var rows = string.Join("\n", BuiltinSignals.All.Select(name => $"""
                <tr><td><code>{name}</code></td>
                  <td><button type="button" class="run" data-builtin="{name}">C#</button>
                      <button type="button" class="local" data-builtin="{name}">df.call</button></td></tr>
            """));
        var levels = string.Join("", Levels.Select(l => $"<option>{l}</option>"));
        var styles = string.Join("", Styles.Select(s => $"<option>{s}</option>"));
        // Written with SignalBinding.Attribute, as a page without Razor would (Razor: df-signal="..." or @Html.DfSignal(...)).
        var formBinding = SignalBinding.Attribute(new SignalBinding("demo.builtins.echo") { Form = "form", Opts = new { Via = "submit" } });
        var changeBinding = SignalBinding.Attribute(new SignalBinding("demo.builtins.echo") { Value = "value", Opts = new { Via = "change" } });
        var clickBinding = SignalBinding.Attribute(new SignalBinding("demo.builtins.echo") { Opts = new { Via = "click", N = 1 } });
        var fileBinding = SignalBinding.Attribute(new SignalBinding("demo.builtins.echo") { Value = "files", Opts = new { Via = "file" } });
        var multiBinding = SignalBinding.Attribute(new SignalBinding("demo.builtins.echo") { Value = "values", Opts = new { Via = "multi" } });
        return $$"""
            <!doctype html>
            <html lang="en">
            <head>
              <meta charset="utf-8">
              <title>Built-in signals · Switchboard demo</title>
              <meta name="viewport" content="width=device-width, initial-scale=1">
              <link rel="stylesheet" href="/demo.css">
              <link rel="stylesheet" href="/builtins.css">
              <script src="/switchboard/df.js"></script>
            </head>
            <body>
              <header>
                <h1>Built-in signals</h1>
                <p>Signed in as <strong id="user">{{WebUtility.HtmlEncode(user)}}</strong> · <a href="/">home</a> ·
                  <a href="/builtins?culture=fr-FR">en français</a> · <a href="/builtins?culture=en-US">in English</a> ·
                  <a href="/builtins">reset</a></p>
                <p>WebSocket: <span id="status">connecting</span></p>
              </header>
              <main class="builtins">
                <section class="controls">
                  <h2>Controls</h2>
                  <table id="controls">{{rows}}</table>
                </section>
                <section class="stage" id="stage">
                  <h2>Stage</h2>
                  <div id="before-target" class="target">before target</div>
                  <div id="after-target" class="target">after target</div>
                  <ul id="list"><li id="list-first">first item</li></ul>
                  <div id="content-target" class="target"><span>old content</span></div>
                  <div id="replace-target" class="target">to be replaced</div>
                  <div id="empty-target" class="target"><span>child 1</span><span>child 2</span></div>
                  <div id="remove-target" class="target">to be removed</div>
                  <div id="class-target" class="target initial">class target</div>
                  <div id="attr-target" class="target" title="a title">attribute target</div>
                  <button id="bool-target" type="button">boolean attribute target</button>
                  <div id="text-target" class="target">text target</div>
                  <input id="focus-target" placeholder="focus target">
                  <input id="val-target" value="old value">
                  <button id="trigger-target" type="button">trigger target</button> <span id="trigger-log"></span>
                  <div id="fade-in-target" class="target" style="display:none">fade in target</div>
                  <div id="fade-out-target" class="target">fade out target</div>
                  <div id="fade-to-target" class="target">fade to target</div>
                  <div id="fade-toggle-target" class="target">fade toggle target</div>
                  <div id="hide-target" class="target">hide target</div>
                  <div id="show-target" class="target" style="display:none">show target</div>
                  <div id="toggle-target" class="target">toggle target</div>
                  <form id="set-form">
                    <label><input type="radio" name="color" value="red" checked> red</label>
                    <label><input type="radio" name="color" value="blue"> blue</label>
                    <label><input type="checkbox" name="tags" value="a"> a</label>
                    <label><input type="checkbox" name="tags" value="b" checked> b</label>
                    <label><input type="checkbox" name="tags" value="c"> c</label>
                    <label><input type="checkbox" name="agree"> agree</label>
                    <select name="size"><option>S</option><option>M</option><option>L</option></select>
                    <textarea name="note">old note</textarea>
                  </form>
                  <h3>DOMContentAdded</h3>
                  <ul id="added-log"></ul>
                </section>
                <section>
                  <h2>df.notify</h2>
                  <label>style <select id="notify-style">{{styles}}</select></label>
                  <label>level <select id="notify-level">{{levels}}</select></label>
                  <label>timeout (ms) <input id="notify-timeout" type="number" value="5000" size="6"></label>
                  <input id="notify-content" value="Hello &lt;not markup&gt;"> <input id="notify-title" value="Title">
                  <button type="button" id="notify-run">C#</button> <button type="button" id="notify-local">df.call</button>
                </section>
                <section>
                  <h2>Form bindings (<code>data-df-signal</code> → <code>demo.builtins.echo</code>)</h2>
                  <form id="bind-form"{{formBinding}}>
                    <input name="title" value="a title">
                    <label><input type="checkbox" name="flags" value="x" checked> x</label>
                    <label><input type="checkbox" name="flags" value="y"> y</label>
                    <select name="choices" multiple><option value="1" selected>one</option><option value="2">two</option><option value="3" selected>three</option></select>
                    <input type="file" name="upload" multiple>
                    <button id="bind-submit">Submit</button>
                  </form>
                  <p><input id="bind-change" placeholder="change me"{{changeBinding}}>
                    <button type="button" id="bind-click"{{clickBinding}}>Click binding</button>
                    <input type="file" id="bind-file" multiple{{fileBinding}}>
                    <select id="bind-multi" multiple{{multiBinding}}><option value="a">a</option><option value="b">b</option><option value="c">c</option></select></p>
                  <pre id="echo-out"></pre>
                  <ol id="echo-log"></ol>
                </section>
                <section>
                  <h2>Razor component rendered for this window (<code>ComponentSignals</code>)</h2>
                  <button type="button" id="card-page">Render into #card</button> <button type="button" id="card-modal">Render into the modal</button>
                  <div id="card"></div>
                </section>
                <section>
                  <h2>Errors</h2>
                  <ul id="errors"></ul>
                </section>
              </main>
              {{http.SwitchboardInitHtml()}}
              <script src="/builtins.js"></script>
            </body>
            </html>
            """;
    }
}
