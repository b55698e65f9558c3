using System.Text.Json.Nodes;

namespace Switchboard.Tests.Builtins;

/// <summary>
/// Every typed shortcut sends its built-in signal with the argument names df-builtins.js reads (DjangoFloor's), to
/// the calling window by default.
/// </summary>
public sealed class ShortcutTests
{
    private static readonly WindowInfo W = BuiltinHost.Window;

    public static TheoryData<string, Func<ISignals, Task>, string> Shortcuts => new()
    {
        { "html.after", s => s.HtmlAfterAsync(W, "#a", "<b>x</b>"), """{"selector":"#a","content":"<b>x</b>"}""" },
        { "html.append", s => s.HtmlAppendAsync(W, "#a", "<li>x</li>"), """{"selector":"#a","content":"<li>x</li>"}""" },
        { "html.prepend", s => s.HtmlPrependAsync(W, "#a", "<li>x</li>"), """{"selector":"#a","content":"<li>x</li>"}""" },
        { "html.before", s => s.HtmlBeforeAsync(W, ".b", "<hr>"), """{"selector":".b","content":"<hr>"}""" },
        { "html.content", s => s.HtmlContentAsync(W, "#c", "<p>new</p>"), """{"selector":"#c","content":"<p>new</p>"}""" },
        { "html.replace_with", s => s.HtmlReplaceWithAsync(W, "#r", "<p id=r2></p>"), """{"selector":"#r","content":"<p id=r2></p>"}""" },
        { "html.empty", s => s.HtmlEmptyAsync(W, "#l"), """{"selector":"#l"}""" },
        { "html.remove", s => s.HtmlRemoveAsync(W, ".gone"), """{"selector":".gone"}""" },
        { "html.add_class", s => s.HtmlAddClassAsync(W, "#x", "on big"), """{"selector":"#x","class_name":"on big"}""" },
        { "html.remove_class", s => s.HtmlRemoveClassAsync(W, "#x", "on"), """{"selector":"#x","class_name":"on"}""" },
        { "html.remove_attr", s => s.HtmlRemoveAttrAsync(W, "#x", "title"), """{"selector":"#x","attr_name":"title"}""" },
        { "html.add_attribute", s => s.HtmlAddAttributeAsync(W, "#x", "title", "hi"), """{"selector":"#x","attr_name":"title","attr_value":"hi"}""" },
        { "html.boolean_attribute", s => s.HtmlBooleanAttributeAsync(W, "#b", "disabled", true), """{"selector":"#b","name":"disabled","value":true}""" },
        { "html.text", s => s.HtmlTextAsync(W, "#t", "<not markup>"), """{"selector":"#t","content":"<not markup>"}""" },
        { "html.download_file", s => s.HtmlDownloadFileAsync(W, "/f.csv", "f.csv"), """{"url":"/f.csv","filename":"f.csv"}""" },
        { "html.download_file", s => s.HtmlDownloadFileAsync(W, "/f.csv"), """{"url":"/f.csv"}""" },
        { "html.focus", s => s.HtmlFocusAsync(W, "#i"), """{"selector":"#i"}""" },
        {
            "html.forms.set",
            s => s.HtmlFormsSetAsync(W, "#f", new Dictionary<string, object?> { ["r"] = "b", ["g"] = new[] { "1", "3" }, ["ok"] = true, ["n"] = 4 }),
            """{"selector":"#f","values":[{"name":"r","value":"b"},{"name":"g","value":["1","3"]},{"name":"ok","value":true},{"name":"n","value":4}]}"""
        },
        { "html.fade_in", s => s.HtmlFadeInAsync(W, "#x"), """{"selector":"#x","duration":400}""" },
        { "html.fade_out", s => s.HtmlFadeOutAsync(W, "#x", TimeSpan.FromSeconds(1)), """{"selector":"#x","duration":1000}""" },
        { "html.fade_to", s => s.HtmlFadeToAsync(W, "#x", 0.5), """{"selector":"#x","duration":400,"opacity":0.5}""" },
        { "html.fade_toggle", s => s.HtmlFadeToggleAsync(W, "#x"), """{"selector":"#x","duration":400,"easing":"swing"}""" },
        { "html.hide", s => s.HtmlHideAsync(W, "#x", TimeSpan.Zero), """{"selector":"#x","duration":0,"easing":"swing"}""" },
        { "html.show", s => s.HtmlShowAsync(W, "#x", easing: "linear"), """{"selector":"#x","duration":400,"easing":"linear"}""" },
        { "html.toggle", s => s.HtmlToggleAsync(W, "#x", TimeSpan.FromMilliseconds(250)), """{"selector":"#x","duration":250,"easing":"swing"}""" },
        { "html.trigger", s => s.HtmlTriggerAsync(W, "#b", "click"), """{"selector":"#b","event":"click"}""" },
        { "html.val", s => s.HtmlValAsync(W, "#m", new[] { "a", "b" }), """{"selector":"#m","value":["a","b"]}""" },
        { "html.val", s => s.HtmlValAsync(W, "#t", "text"), """{"selector":"#t","value":"text"}""" },
        { "df.notify", s => s.NotifyAsync(W, "Saved"), """{"content":"Saved","level":"info","style":"notification","timeout":5000}""" },
        {
            "df.notify",
            s => s.NotifyAsync(W, "Careful", title: "Stop", level: NotifyLevel.Danger, style: NotifyStyle.Modal, timeout: TimeSpan.Zero),
            """{"content":"Careful","level":"danger","style":"modal","timeout":0,"title":"Stop"}"""
        },
        { "df.modal.show", s => s.ModalShowAsync(W, "<h2>Hi</h2>"), """{"html":"<h2>Hi</h2>"}""" },
        {
            "df.modal.show",
            s => s.ModalShowAsync(W, "<p>x</p>", width: "40rem", onHide: "demo.closed", onHideOptions: new { Reason = "done" }),
            """{"html":"<p>x</p>","width":"40rem","onhide":{"signal":"demo.closed","options":{"reason":"done"}}}"""
        },
        { "df.modal.hide", s => s.ModalHideAsync(W), "{}" },
    };

    [Theory]
    [MemberData(nameof(Shortcuts))]
    public async Task A_shortcut_sends_its_builtin_with_the_browser_argument_names_to_the_window(string signal, Func<ISignals, Task> call, string opts)
    {
        await using var host = new BuiltinHost();
        await call(host.Signals);
        var (topic, sent, sentOpts) = host.Single();
        Assert.Equal(DefaultTopicSerializer.WindowTopic("win-1"), topic);
        Assert.Equal(signal, sent);
        Assert.Contains(signal, BuiltinSignals.All);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(opts), sentOpts), $"expected {opts}, sent {sentOpts.ToJsonString()}");
    }

    [Fact]
    public void Every_builtin_has_a_shortcut_in_the_table_above()
    {
        var covered = Shortcuts.Select(row => (string)row[0]).ToHashSet();
        Assert.Equal(BuiltinSignals.All.Order(), covered.Order());
        Assert.Equal(29, BuiltinSignals.All.Count);
        Assert.Equal(BuiltinSignals.All.Count, BuiltinSignals.All.Distinct().Count());
    }

    [Fact]
    public async Task To_replaces_the_window_destination()
    {
        await using var host = new BuiltinHost();
        await host.Signals.HtmlTextAsync(W, "#t", "all", to: [Destination.Broadcast, "room:1"]);
        await host.Signals.NotifyAsync(W, "me", to: [Destination.User]); // anonymous: no user topic, nothing sent
        Assert.Equal(["-broadcast", "-str.room:1"], host.Broker.Published.Select(p => p.Topic).Order());
    }

    [Fact]
    public async Task Bad_arguments_throw_before_anything_is_sent()
    {
        await using var host = new BuiltinHost();
        var s = host.Signals;
        await Assert.ThrowsAsync<ArgumentException>(() => s.HtmlAppendAsync(W, " ", "x"));
        await Assert.ThrowsAsync<ArgumentNullException>(() => s.HtmlAppendAsync(W, "#a", null!));
        await Assert.ThrowsAsync<ArgumentException>(() => s.HtmlAddClassAsync(W, "#a", ""));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => s.HtmlFadeToAsync(W, "#a", 1.5));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => s.HtmlHideAsync(W, "#a", TimeSpan.FromSeconds(-1)));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => s.NotifyAsync(W, "x", level: (NotifyLevel)42));
        await Assert.ThrowsAsync<ArgumentException>(() => s.ModalShowAsync(W, "x", onHide: "not a name"));
        await Assert.ThrowsAsync<ArgumentException>(() => s.ModalShowAsync(W, "x", onHideOptions: new { a = 1 }));
        Assert.Empty(host.Broker.Published);
    }

    [Fact]
    public void Level_and_style_names_are_the_browser_names()
    {
        Assert.Equal(["default", "info", "success", "danger", "warning"], Enum.GetValues<NotifyLevel>().Select(SignalsNotifyExtensions.LevelName));
        Assert.Equal(["notification", "banner", "modal", "system"], Enum.GetValues<NotifyStyle>().Select(SignalsNotifyExtensions.StyleName));
    }
}
