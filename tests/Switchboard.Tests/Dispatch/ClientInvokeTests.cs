using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Switchboard.Internal.Protocol;
using Switchboard.Tests.TestSupport;
using static Switchboard.Tests.TestSupport.SwitchboardHarness;

namespace Switchboard.Tests.Dispatch;

/// <summary>Browser invokes (<c>DispatchClientInvokeAsync</c>): the checks of a call, one job, and the list of functions a window may invoke.</summary>
public sealed class ClientInvokeTests : IAsyncLifetime
{
    private SwitchboardHarness _sb = null!;

    public async Task InitializeAsync()
    {
        _sb = await CreateAsync(
            b =>
            {
                b.MapFunction("tests.add", (WindowInfo w, int a, int b) => a + b).AllowEveryone();
                b.MapFunction("tests.server.only", (WindowInfo w) => 1);
                b.MapFunction("tests.staff", (WindowInfo w) => 1).AllowedTo(IsStaff.Instance);
                b.MapFunction("tests.lobby", (WindowInfo w, string room) => room).AllowedTo(new LobbyOnly());
                b.MapFunction("tests.broken", (WindowInfo w) => 1).AllowedTo(new ThrowingPermission());
                b.MapFunction("tests.free", (WindowInfo w) => 1).AllowEveryone().Unordered().OnQueue("free");
                b.MapFunction("tests.room", (WindowInfo w, string room) => room).AllowEveryone().OnQueue((_, _, kwargs) => "room-" + (string?)kwargs?["room"]);
                b.MapFunction("tests.short", (WindowInfo w) => 1).AllowEveryone().ExpiresAfter(TimeSpan.FromSeconds(30));
                b.MapSignal("tests.signal", (WindowInfo w) => { }).AllowEveryone();
            },
            o => o.MaxKwargsBytes = 1024);
    }

    public async Task DisposeAsync() => await _sb.DisposeAsync();

    [Fact]
    public async Task AcceptedInvokeQueuesOneJobRunningTheFunctionForTheWindowInItsOrder()
    {
        var result = await _sb.ClientInvokeAsync(Ada, "tests.add", """{"a":2,"b":3}""", callId: 7);

        Assert.True(result.Accepted);
        Assert.Equal(1, result.Jobs);
        var job = await _sb.TakeJobAsync("default");
        Assert.True(job.Invoke);
        Assert.True(job.FromClient);
        Assert.Equal(7, job.CallId);
        Assert.Same(Ada, job.Window);
        Assert.Equal("tests.add", job.Signal);
        Assert.Equal([_sb.Registry.GetFunction("tests.add")!.Id], job.Handlers);
        Assert.Equal("""{"a":2,"b":3}""", job.Kwargs);
        Assert.Equal(SignalJobKind.Server, job.Kind);
        Assert.Equal(Ada.WindowKey, job.OrderingKey);
        Assert.Null(job.NotBefore);
        Assert.Null(job.ExpiresAt);
        await _sb.AssertNoJobAsync("default");
    }

    [Fact]
    public async Task UnorderedFunctionsJobHasNoOrderingKeyAndRunsOnItsQueue()
    {
        (await _sb.ClientInvokeAsync(Ada, "tests.free")).AssertAccepted();

        Assert.Null((await _sb.TakeJobAsync("free")).OrderingKey);
    }

    [Fact]
    public async Task QueueSelectorGetsTheKwargs()
    {
        (await _sb.ClientInvokeAsync(Ada, "tests.room", """{"room":"blue"}""")).AssertAccepted();

        Assert.Equal("tests.room", (await _sb.TakeJobAsync("room-blue")).Signal);
    }

    [Fact]
    public async Task ExpiresAfterSetsTheJobsExpiryFromNow()
    {
        (await _sb.ClientInvokeAsync(Ada, "tests.short")).AssertAccepted();

        Assert.Equal(Start + TimeSpan.FromSeconds(30), (await _sb.TakeJobAsync("default")).ExpiresAt);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not a name")]
    [InlineData("demo..x")]
    public async Task InvalidNameIsRefused(string name)
    {
        var result = await _sb.ClientInvokeAsync(Anonymous, name);

        Assert.Equal(ProtocolNames.ErrorCodes.InvalidSignalName, result.RefusalCode);
        Assert.Contains("not a valid function name", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownFunctionIsRefused()
    {
        var result = await _sb.ClientInvokeAsync(Anonymous, "tests.nobody");

        Assert.Equal(ProtocolNames.ErrorCodes.UnknownSignal, result.RefusalCode);
        Assert.Equal("No function is registered for 'tests.nobody'.", result.Message);
    }

    [Fact]
    public async Task InvokingASignalIsRefusedSayingToCallIt()
    {
        var result = await _sb.ClientInvokeAsync(Anonymous, "tests.signal");

        Assert.Equal(ProtocolNames.ErrorCodes.UnknownSignal, result.RefusalCode);
        Assert.Equal("'tests.signal' is a signal, not a function: use df.call.", result.Message);
        await _sb.AssertNoJobAsync("default");
    }

    [Fact]
    public async Task CallingAFunctionIsRefusedSayingToInvokeIt()
    {
        var result = await _sb.ClientCallAsync(Anonymous, "tests.add", """{"a":1,"b":2}""");

        Assert.Equal(ProtocolNames.ErrorCodes.UnknownSignal, result.RefusalCode);
        Assert.Equal("'tests.add' is a function, not a signal: use df.invoke.", result.Message);
        await _sb.AssertNoJobAsync("default");
    }

    [Fact]
    public async Task ServerSideFunctionIsForbiddenAndQueuesNothing()
    {
        var result = await _sb.ClientInvokeAsync(Staff, "tests.server.only");

        Assert.Equal(ProtocolNames.ErrorCodes.Forbidden, result.RefusalCode);
        Assert.Equal("This window may not invoke 'tests.server.only'.", result.Message);
        await _sb.AssertNoJobAsync("default");
    }

    [Fact]
    public async Task PermissionDecidesWithTheKwargs()
    {
        var lobby = await _sb.ClientInvokeAsync(Anonymous, "tests.lobby", """{"room":"lobby"}""");
        var vip = await _sb.ClientInvokeAsync(Anonymous, "tests.lobby", """{"room":"vip"}""");

        Assert.True(lobby.Accepted);
        Assert.Equal(ProtocolNames.ErrorCodes.Forbidden, vip.RefusalCode);
        Assert.Equal("""{"room":"lobby"}""", (await _sb.TakeJobAsync("default")).Kwargs);
        await _sb.AssertNoJobAsync("default");
    }

    [Fact]
    public async Task PermissionThatThrowsCountsAsNotAllowed()
    {
        Assert.Equal(ProtocolNames.ErrorCodes.Forbidden, (await _sb.ClientInvokeAsync(Staff, "tests.broken")).RefusalCode);
    }

    [Fact]
    public async Task KwargsOverTheLimitInBytesAreRefused()
    {
        var atLimit = $$"""{"a":1,"b":2,"t":"{{new string('é', 500)}}"}""";
        var overLimit = $$"""{"a":1,"b":2,"t":"{{new string('é', 510)}}"}""";

        var refused = await _sb.ClientInvokeAsync(Anonymous, "tests.add", overLimit);
        var accepted = await _sb.ClientInvokeAsync(Anonymous, "tests.add", atLimit);

        Assert.Equal(ProtocolNames.ErrorCodes.KwargsTooLarge, refused.RefusalCode);
        Assert.Contains("1024 bytes", refused.Message, StringComparison.Ordinal);
        Assert.True(accepted.Accepted);
        // Non-ASCII text is carried as the server writes it (compact), as for calls.
        Assert.Equal(JsonNode.Parse(atLimit)!.ToJsonString(SwitchboardJson.Options), (await _sb.TakeJobAsync("default")).Kwargs);
        await _sb.AssertNoJobAsync("default");
    }

    [Fact]
    public async Task AllowedFunctionsListsWhatTheWindowMayInvokeWithoutKwargs()
    {
        var anonymous = await _sb.Dispatcher.GetAllowedFunctionsAsync(Anonymous, default);
        var staff = await _sb.Dispatcher.GetAllowedFunctionsAsync(Staff, default);
        var signals = await _sb.Dispatcher.GetAllowedSignalsAsync(Staff, default);

        Assert.Equal(["tests.add", "tests.free", "tests.lobby", "tests.room", "tests.short"], anonymous);
        Assert.Equal(["tests.add", "tests.free", "tests.lobby", "tests.room", "tests.short", "tests.staff"], staff);
        Assert.Equal(["tests.signal"], signals);
    }

    /// <summary>Allows the lobby only; with no kwargs (hello) it lists the function.</summary>
    private sealed class LobbyOnly : SignalPermission
    {
        public override ValueTask<bool> IsAllowedAsync(SignalPermissionContext context, CancellationToken cancellationToken) =>
            ValueTask.FromResult(context.Kwargs is null || (string?)context.Kwargs["room"] == "lobby");
    }

    private sealed class ThrowingPermission : SignalPermission
    {
        public override ValueTask<bool> IsAllowedAsync(SignalPermissionContext context, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("permission store unavailable");
    }
}

internal static class ClientCallResultAssertions
{
    public static void AssertAccepted(this Switchboard.Internal.Calls.ClientCallResult result) => Assert.True(result.Accepted, result.Message);
}
