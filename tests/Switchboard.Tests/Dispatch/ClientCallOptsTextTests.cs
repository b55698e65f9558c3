using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Switchboard.Internal.Protocol;
using Switchboard.Tests.TestSupport;
using static Switchboard.Tests.TestSupport.SwitchboardHarness;

namespace Switchboard.Tests.Dispatch;

/// <summary>
/// A browser call's opts reach the job as the text the frame carried, parsed only when a permission or a queue
/// selector reads them (once per call); MaxKwargsBytes counts the kwargs as the server writes them.
/// </summary>
public sealed class ClientCallOptsTextTests : IAsyncLifetime
{
    private readonly List<JsonObject?> _seen = [];
    private SwitchboardHarness _sb = null!;

    public async Task InitializeAsync()
    {
        var reads = new RecordingPermission(_seen);
        _sb = await CreateAsync(
            b =>
            {
                b.MapSignal("tests.text", (WindowInfo w, [CatchAll] JsonObject rest) => { }).AllowEveryone();
                b.MapSignal("tests.reads", (WindowInfo w, [CatchAll] JsonObject rest) => { }).AllowedTo(reads);
                b.MapSignal("tests.reads", (WindowInfo w, [CatchAll] JsonObject rest) => { }).AllowedTo(reads).OnQueue("other");
            },
            o => o.MaxKwargsBytes = 64);
    }

    public async Task DisposeAsync() => await _sb.DisposeAsync();

    private ValueTask<Switchboard.Internal.Calls.ClientCallResult> CallAsync(string signal, string opts) =>
        _sb.Dispatcher.DispatchClientCallAsync(Anonymous, signal, opts, Encoding.UTF8.GetByteCount(opts), 1, default);

    [Fact]
    public async Task AsciiOptsReachTheJobAsSent()
    {
        const string opts = """{ "a" : [1, 2.50] ,"b":"\u00e9" }""";

        Assert.True((await CallAsync("tests.text", opts)).Accepted);

        Assert.Equal(opts, (await _sb.TakeJobAsync("default")).Kwargs);
    }

    [Fact]
    public async Task TheLimitCountsTheKwargsWithoutWhiteSpace()
    {
        var spaced = "{\"t\":\"" + new string('x', 56) + "\"" + new string(' ', 40) + "}";
        var tooLong = "{\"t\":\"" + new string('x', 57) + "\"}";

        Assert.True((await CallAsync("tests.text", spaced)).Accepted);
        Assert.Equal(ProtocolNames.ErrorCodes.KwargsTooLarge, (await CallAsync("tests.text", tooLong)).RefusalCode);
        Assert.Equal(64, Encoding.UTF8.GetByteCount((await _sb.TakeJobAsync("default")).Kwargs));
    }

    [Fact]
    public async Task PermissionsOfOneCallShareOneParsedCopy()
    {
        Assert.True((await CallAsync("tests.reads", """{"room":"blue"}""")).Accepted);

        Assert.Equal(2, _seen.Count);
        Assert.Same(_seen[0], _seen[1]);
        Assert.Equal("blue", (string?)_seen[0]!["room"]);
        Assert.Equal("""{"room":"blue"}""", (await _sb.TakeJobAsync("default")).Kwargs);
        Assert.Equal("""{"room":"blue"}""", (await _sb.TakeJobAsync("other")).Kwargs);
    }

    private sealed class RecordingPermission(List<JsonObject?> seen) : SignalPermission
    {
        public override ValueTask<bool> IsAllowedAsync(SignalPermissionContext context, CancellationToken cancellationToken)
        {
            seen.Add(context.Kwargs);
            return ValueTask.FromResult(true);
        }
    }
}
