using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;
using Switchboard.Internal.TypeScript;
using Switchboard.Tests.Registry.Discovered;

namespace Switchboard.Tests.TypeScript;

/// <summary>
/// The generated .d.ts of an app, through the public API: which handlers and parameters count, optional and nullable
/// kwargs, functions' results, declared browser signals, sorted and stable output. tests/browser/typescript.test.mjs
/// compiles the demo's with tsc.
/// </summary>
public sealed class TypeScriptGeneratorTests
{
    private static string Generate(Action<ISwitchboardBuilder> configure, Action<IServiceCollection>? more = null)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        more?.Invoke(services);
        configure(services.AddSwitchboard());
        using var provider = services.BuildServiceProvider();
        return SwitchboardTypeScript.Generate(provider);
    }

    /// <summary>The member line of <paramref name="name"/> in the generated text.</summary>
    private static string Entry(string text, string name) =>
        Assert.Single(text.Split('\n'), l => l.StartsWith($"    '{name}': ", StringComparison.Ordinal)).Trim();

    private static void Post(WindowInfo window, string room, string text, int priority = 0, string? tag = null, CancellationToken cancellationToken = default)
    {
    }

    private static void WithServices(WindowInfo window, ISignals signals, [FromServices] TimeProvider time, bool loud)
    {
    }

    private static Task<Item?> Find(WindowInfo window, Guid id) => Task.FromResult<Item?>(null);

    private static ValueTask<List<Node>> Tree(WindowInfo window) => ValueTask.FromResult(new List<Node>());

    private static Task Nothing(WindowInfo window, [CatchAll] JsonObject rest) => Task.CompletedTask;

    private static string? Me(WindowInfo window) => window.UserName;

    [Fact]
    public void WholeFileOfASmallApp()
    {
        var text = Generate(b =>
        {
            b.MapSignal("app.post", Post).AllowEveryone();
            b.MapFunction("app.find", Find).AllowEveryone();
            b.DeclareBrowserSignal<Item>("app.item");
            b.DeclareBrowserSignal<JsonObject>("app.any");
        });

        Assert.Equal(
            TypeScriptGenerator.Header + "\n" +
            "// Server signals and functions a browser may call (handlers whose permission is not ServerSide), with their kwargs;\n" +
            "// browser signals with the opts the application declared ([BrowserSignal], DeclareBrowserSignal).\n" +
            "export {};\n\n" +
            "declare global {\n" +
            "  interface SwitchboardServerSignals {\n" +
            "    /** MapSignal(\"app.post\") #1 */\n" +
            "    'app.post': { room: string; text: string; priority?: number; tag?: string | null };\n" +
            "  }\n\n" +
            "  interface SwitchboardFunctions {\n" +
            "    /** MapFunction(\"app.find\") */\n" +
            "    'app.find': { args: { id: string }; result: Item | null };\n" +
            "  }\n\n" +
            "  interface SwitchboardBrowserSignals {\n" +
            "    'app.any': { [key: string]: unknown };\n" +
            "    'app.item': Item;\n" +
            "  }\n" +
            "}\n\n" +
            "export interface Item {\n  name: string;\n  count?: number;\n  note?: string | null;\n}\n",
            text);
    }

    [Fact]
    public void ServicesWindowAndCancellationAreNoKwargs()
    {
        var text = Generate(b => b.MapSignal("app.loud", WithServices).AllowEveryone());

        Assert.Equal("'app.loud': { loud: boolean };", Entry(text, "app.loud"));
    }

    [Fact]
    public void CatchAllAllowsAnyNameAndNoKwargsAllowNone()
    {
        var text = Generate(b =>
        {
            b.MapSignal("app.any", Nothing).AllowEveryone();
            b.MapSignal("app.none", (WindowInfo w) => { }).AllowEveryone();
            b.MapSignal("app.mixed", (WindowInfo w, string a, [CatchAll] JsonObject rest) => { }).AllowEveryone();
        });

        Assert.Equal("'app.any': { [key: string]: unknown };", Entry(text, "app.any"));
        Assert.Equal("'app.none': { [key: string]: never };", Entry(text, "app.none"));
        Assert.Equal("'app.mixed': { a: string; [key: string]: unknown };", Entry(text, "app.mixed"));
    }

    [Fact]
    public void ServerSideHandlersAndReservedNamesAreLeftOut()
    {
        var text = Generate(b =>
        {
            b.MapSignal("app.internal", (WindowInfo w, string secret) => { });
            b.MapSignal("app.shared", (WindowInfo w, string secret) => { });
            b.MapSignal("app.shared", (WindowInfo w, string secret) => { }).AllowEveryone();
            b.MapSignal(LifecycleSignals.WindowConnected, (WindowInfo w) => { });
            b.MapFunction("app.hidden", (WindowInfo w) => 1);
        });

        Assert.DoesNotContain("app.internal", text, StringComparison.Ordinal);
        Assert.DoesNotContain("app.hidden", text, StringComparison.Ordinal);
        Assert.DoesNotContain("switchboard.", text, StringComparison.Ordinal);
        Assert.Contains("    /** MapSignal(\"app.shared\") #2 */\n", text, StringComparison.Ordinal);
        Assert.Equal("'app.shared': { secret: string };", Entry(text, "app.shared"));
    }

    [Fact]
    public void HandlersOfOneSignalCombine()
    {
        // Every handler binds the same kwargs: required when one requires it, both types when they differ.
        var text = Generate(b =>
        {
            b.MapSignal("app.both", (WindowInfo w, int n, string? label = null) => { }).AllowEveryone();
            b.MapSignal("app.both", (WindowInfo w, double n, string? label) => { }).AllowEveryone();
        });

        Assert.Equal("'app.both': { n: number; label: string | null };", Entry(text, "app.both"));
        var differing = Generate(b =>
        {
            b.MapSignal("app.two", (WindowInfo w, int n) => { }).AllowEveryone();
            b.MapSignal("app.two", (WindowInfo w, int? n) => { }).AllowEveryone();
        });
        Assert.Equal("'app.two': { n: number & (number | null) };", Entry(differing, "app.two"));
    }

    [Fact]
    public void FunctionResultsFollowTheDeclaredReturnType()
    {
        var text = Generate(b =>
        {
            b.MapFunction("app.find", Find).AllowEveryone();
            b.MapFunction("app.tree", Tree).AllowEveryone();
            b.MapFunction("app.me", Me).AllowEveryone();
            b.MapFunction("app.nothing", Nothing).AllowEveryone();
            b.MapFunction("app.add", (WindowInfo w, double a, double b) => a + b).AllowEveryone();
        });

        Assert.Equal("'app.add': { args: { a: number; b: number }; result: number };", Entry(text, "app.add"));
        Assert.Equal("'app.find': { args: { id: string }; result: Item | null };", Entry(text, "app.find"));
        Assert.Equal("'app.me': { args: { [key: string]: never }; result: string | null };", Entry(text, "app.me"));
        Assert.Equal("'app.nothing': { args: { [key: string]: unknown }; result: null };", Entry(text, "app.nothing"));
        Assert.Equal("'app.tree': { args: { [key: string]: never }; result: Node[] };", Entry(text, "app.tree"));
        Assert.Contains("export interface Node {\n  name: string;\n  parent: Node | null;\n  children: Node[];\n}\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void OutputIsSortedAndStable()
    {
        void Configure(ISwitchboardBuilder b)
        {
            b.MapSignal("b.second", (WindowInfo w, Collections c) => { }).AllowEveryone();
            b.MapSignal("a.first", (WindowInfo w, Node n) => { }).AllowEveryone();
            b.DeclareBrowserSignal<Tuned>("z.tuned");
            b.DeclareBrowserSignal<Item>("c.item");
        }

        var first = Generate(Configure);
        var second = Generate(Configure);

        Assert.Equal(first, second);
        Assert.True(first.IndexOf("'a.first'", StringComparison.Ordinal) < first.IndexOf("'b.second'", StringComparison.Ordinal));
        Assert.True(first.IndexOf("'c.item'", StringComparison.Ordinal) < first.IndexOf("'z.tuned'", StringComparison.Ordinal));
        var declared = first.Split('\n').Where(l => l.StartsWith("export interface ", StringComparison.Ordinal) || l.StartsWith("export type ", StringComparison.Ordinal))
            .Select(l => l.Split(' ')[2]).ToList();
        Assert.Equal(["Collections", "Color", "Item", "Level", "Node", "Tuned"], declared);
    }

    [Fact]
    public void BrowserSignalsAreFoundByAddSignalsFrom()
    {
        // This assembly's [Signal] handlers come too; one of them takes this service.
        var text = Generate(b => b.AddSignalsFrom(typeof(DeclaredMessage).Assembly), s => s.AddSingleton(new DiscoveredDependency()));

        Assert.Equal("'tests.declared.message': DeclaredMessage;", Entry(text, "tests.declared.message"));
        Assert.Equal("'tests.declared.other': DeclaredMessage;", Entry(text, "tests.declared.other"));
        Assert.Contains("export interface DeclaredMessage {\n  text: string;\n  at: string;\n}\n", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("bad name", typeof(Item), "invalid signal name")]
    [InlineData("df.notify", typeof(Item), "built-in or reserved")]
    [InlineData("html.append", typeof(Item), "built-in or reserved")]
    [InlineData("switchboard.presence", typeof(Item), "built-in or reserved")]
    [InlineData("app.text", typeof(string), "is not written as a JSON object")]
    [InlineData("app.list", typeof(List<Item>), "is not written as a JSON object")]
    [InlineData("app.open", typeof(Page<>), "open generic type")]
    public void BadDeclarationsFailWithTheirName(string name, Type type, string message)
    {
        var services = new ServiceCollection();
        var builder = services.AddSwitchboard();

        var e = Assert.Throws<InvalidOperationException>(() => builder.DeclareBrowserSignal(name, type));

        Assert.Contains(message, e.Message, StringComparison.Ordinal);
        Assert.Contains($"(\"{name}\")", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ASignalHasOneOptsType()
    {
        var builder = new ServiceCollection().AddSwitchboard();
        builder.DeclareBrowserSignal<Item>("app.item").DeclareBrowserSignal<Item>("app.item");

        var e = Assert.Throws<InvalidOperationException>(() => builder.DeclareBrowserSignal<Node>("app.item"));

        Assert.Contains("already declared with Switchboard.Tests.TypeScript.Item", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void GenerateNeedsSwitchboard()
    {
        using var provider = new ServiceCollection().BuildServiceProvider();

        var e = Assert.Throws<InvalidOperationException>(() => SwitchboardTypeScript.Generate(provider));

        Assert.Contains("AddSwitchboard", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WriteAsyncWritesOnlyWhenTheTextChanged()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSwitchboard().MapSignal("app.post", Post).AllowEveryone();
        using var provider = services.BuildServiceProvider();
        var folder = Directory.CreateTempSubdirectory("switchboard-ts-");
        try
        {
            var path = Path.Combine(folder.FullName, "types", "signals.d.ts");

            Assert.True(await SwitchboardTypeScript.WriteAsync(provider, path));
            Assert.Equal(SwitchboardTypeScript.Generate(provider), await File.ReadAllTextAsync(path));
            Assert.False(await SwitchboardTypeScript.WriteAsync(provider, path));
            await File.WriteAllTextAsync(path, "stale");
            Assert.True(await SwitchboardTypeScript.WriteAsync(provider, path));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
