using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Switchboard.Internal.Protocol;
using Switchboard.Tests.TestSupport;
using static Switchboard.Tests.TestSupport.SwitchboardHarness;

namespace Switchboard.Tests.Dispatch;

/// <summary>Browser calls (<c>DispatchClientCallAsync</c>) and the list of signals a window may call.</summary>
public sealed class ClientCallTests : IAsyncLifetime
{
    private readonly RoomPermission _roomPermission = new();
    private SwitchboardHarness _sb = null!;

    public async Task InitializeAsync()
    {
        _sb = await CreateAsync(
            b =>
            {
                b.MapSignal("tests.open", (WindowInfo w, [CatchAll] JsonObject rest) => { }).AllowEveryone();
                b.MapSignal("tests.server.only", (WindowInfo w) => { });
                b.MapSignal("tests.mixed", (WindowInfo w) => { }).AllowEveryone().OnQueue("q1");
                b.MapSignal("tests.mixed", (WindowInfo w) => { }).AllowedTo(IsStaff.Instance).OnQueue("q1");
                b.MapSignal("tests.mixed", (WindowInfo w) => { }).AllowedTo(IsStaff.Instance).OnQueue("q2");
                b.MapSignal("tests.room", (WindowInfo w, string room) => { }).AllowedTo(_roomPermission);
                b.MapSignal("tests.staff", (WindowInfo w) => { }).AllowedTo(IsStaff.Instance);
                b.MapSignal("tests.broken", (WindowInfo w) => { }).AllowedTo(new ThrowingPermission());
                b.MapSignal("tests.half.broken", (WindowInfo w) => { }).AllowedTo(new ThrowingPermission());
                b.MapSignal("tests.half.broken", (WindowInfo w) => { }).AllowEveryone();
                b.MapSignal("tests.partly.ordered", (WindowInfo w) => { }).AllowEveryone();
                b.MapSignal("tests.partly.ordered", (WindowInfo w) => { }).AllowEveryone().Unordered();
                b.MapSignal("tests.partly.ordered", (WindowInfo w) => { }).AllowEveryone();
                b.MapSignal("tests.partly.ordered", (WindowInfo w) => { }).AllowEveryone().OnQueue("q2");
                b.MapSignal("tests.unordered", (WindowInfo w) => { }).AllowEveryone().Unordered();
            },
            o => o.MaxKwargsBytes = 1024);
    }

    public async Task DisposeAsync() => await _sb.DisposeAsync();

    [Fact]
    public async Task JobOfAnOrderedHandlerCarriesTheWindowKeyAsOrderingKey()
    {
        Assert.True((await _sb.ClientCallAsync(Anonymous, "tests.open")).Accepted);

        var job = await _sb.TakeJobAsync("default");
        Assert.Equal(Anonymous.WindowKey, job.OrderingKey);
    }

    [Fact]
    public async Task UnorderedHandlersGetJobsOfTheirOwnWithoutOrderingKey()
    {
        var ids = _sb.HandlerIds("tests.partly.ordered");

        var result = await _sb.ClientCallAsync(Anonymous, "tests.partly.ordered");
        var jobs = new[] { await _sb.TakeJobAsync("default"), await _sb.TakeJobAsync("default"), await _sb.TakeJobAsync("q2") };

        Assert.Equal(3, result.Jobs);
        Assert.Equal([ids[0], ids[2]], jobs.Single(j => j.Queue == "default" && j.OrderingKey is not null).Handlers);
        Assert.Equal(Anonymous.WindowKey, jobs.Single(j => j.Queue == "default" && j.OrderingKey is not null).OrderingKey);
        Assert.Equal([ids[1]], jobs.Single(j => j.OrderingKey is null).Handlers);
        Assert.Equal(Anonymous.WindowKey, jobs.Single(j => j.Queue == "q2").OrderingKey);
        Assert.Null((await CallAndTakeAsync("tests.unordered")).OrderingKey);
    }

    [Fact]
    public async Task ServerCallsAndCountdownCallsAreOutsideTheOrder()
    {
        await _sb.Dispatcher.CallAsync(Anonymous, "tests.open", [Destination.Server]);
        Assert.Null((await _sb.TakeJobAsync("default")).OrderingKey);

        await _sb.Dispatcher.CallAsync(Anonymous, "tests.open", [Destination.Server], countdown: TimeSpan.FromSeconds(1));
        _sb.Time.Advance(TimeSpan.FromSeconds(1));
        Assert.Null((await _sb.TakeJobAsync("default")).OrderingKey);
    }

    private async Task<SignalJob> CallAndTakeAsync(string signal)
    {
        Assert.True((await _sb.ClientCallAsync(Anonymous, signal)).Accepted);
        return await _sb.TakeJobAsync("default");
    }

    [Theory]
    [InlineData("")]
    [InlineData("not a name")]
    [InlineData("demo..x")]
    [InlineData("caf\u00e9")]
    public async Task InvalidNameIsRefused(string signal)
    {
        var result = await _sb.ClientCallAsync(Anonymous, signal);

        Assert.False(result.Accepted);
        Assert.Equal(ProtocolNames.ErrorCodes.InvalidSignalName, result.RefusalCode);
        Assert.Equal(0, result.Jobs);
    }

    [Fact]
    public async Task LongInvalidNameIsShortenedInTheMessage()
    {
        var result = await _sb.ClientCallAsync(Anonymous, new string('-', 5000));

        Assert.Equal(ProtocolNames.ErrorCodes.InvalidSignalName, result.RefusalCode);
        Assert.True(result.Message!.Length < 200, result.Message);
    }

    [Fact]
    public async Task SignalWithoutServerHandlerIsRefusedAsUnknown()
    {
        var result = await _sb.ClientCallAsync(Anonymous, "tests.nobody");

        Assert.Equal(ProtocolNames.ErrorCodes.UnknownSignal, result.RefusalCode);
        Assert.Contains("tests.nobody", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ServerSideSignalIsForbiddenAndQueuesNothing()
    {
        var result = await _sb.ClientCallAsync(Staff, "tests.server.only");

        Assert.Equal(ProtocolNames.ErrorCodes.Forbidden, result.RefusalCode);
        Assert.Equal("This window may not call 'tests.server.only'.", result.Message);
        await _sb.AssertNoJobAsync("default");
    }

    [Fact]
    public async Task KwargsUpToTheLimitInBytesAreAccepted()
    {
        // {"t":"…"} is 8 bytes of JSON around the text; é is two bytes in UTF-8.
        var atLimit = $$"""{"t":"{{new string('é', 508)}}"}""";
        var overLimit = $$"""{"t":"{{new string('é', 508)}}x"}""";

        var accepted = await _sb.ClientCallAsync(Anonymous, "tests.open", atLimit);
        var refused = await _sb.ClientCallAsync(Anonymous, "tests.open", overLimit);

        Assert.True(accepted.Accepted, accepted.Message);
        Assert.Equal(ProtocolNames.ErrorCodes.KwargsTooLarge, refused.RefusalCode);
        Assert.Contains("1024 bytes", refused.Message, StringComparison.Ordinal);
        await _sb.TakeJobAsync("default");
        await _sb.AssertNoJobAsync("default");
    }

    [Fact]
    public async Task PermissionDecidesWithTheCallsKwargs()
    {
        var lobby = await _sb.ClientCallAsync(Anonymous, "tests.room", """{"room":"lobby"}""");
        var vip = await _sb.ClientCallAsync(Anonymous, "tests.room", """{"room":"vip"}""");

        Assert.True(lobby.Accepted);
        Assert.Equal(1, lobby.Jobs);
        Assert.Equal(ProtocolNames.ErrorCodes.Forbidden, vip.RefusalCode);
        Assert.Equal(["lobby", "vip"], _roomPermission.SeenRooms);
        Assert.Equal("""{"room":"lobby"}""", (await _sb.TakeJobAsync("default")).Kwargs);
        await _sb.AssertNoJobAsync("default");
    }

    [Fact]
    public async Task OnlyTheAllowedHandlersAreQueued()
    {
        var ids = _sb.HandlerIds("tests.mixed");

        var anonymous = await _sb.ClientCallAsync(Anonymous, "tests.mixed");
        var q1ForAnonymous = await _sb.TakeJobAsync("q1");
        await _sb.AssertNoJobAsync("q2");
        var staff = await _sb.ClientCallAsync(Staff, "tests.mixed");

        Assert.Equal(1, anonymous.Jobs);
        Assert.Equal([ids[0]], q1ForAnonymous.Handlers);
        Assert.Equal(2, staff.Jobs);
        Assert.Equal([ids[0], ids[1]], (await _sb.TakeJobAsync("q1")).Handlers);
        Assert.Equal([ids[2]], (await _sb.TakeJobAsync("q2")).Handlers);
    }

    [Fact]
    public async Task AcceptedCallsJobCarriesTheCallerAndTheCallId()
    {
        var result = await _sb.ClientCallAsync(Ada, "tests.open", """{"text":"hi"}""", callId: 17);

        Assert.True(result.Accepted);
        var job = await _sb.TakeJobAsync("default");
        Assert.True(job.FromClient);
        Assert.Equal(17, job.CallId);
        Assert.Same(Ada, job.Window);
        Assert.Equal("""{"text":"hi"}""", job.Kwargs);
        Assert.Equal(SignalJobKind.Server, job.Kind);
        Assert.Null(job.NotBefore);
        Assert.Null(job.ExpiresAt);
    }

    [Fact]
    public async Task PermissionThatThrowsCountsAsNotAllowed()
    {
        var broken = await _sb.ClientCallAsync(Staff, "tests.broken");
        var halfBroken = await _sb.ClientCallAsync(Staff, "tests.half.broken");

        Assert.Equal(ProtocolNames.ErrorCodes.Forbidden, broken.RefusalCode);
        Assert.Equal(1, halfBroken.Jobs);
        Assert.Equal([_sb.HandlerIds("tests.half.broken")[1]], (await _sb.TakeJobAsync("default")).Handlers);
    }

    [Fact]
    public async Task AllowedSignalsListsWhatTheWindowMayCall()
    {
        var anonymous = await _sb.Dispatcher.GetAllowedSignalsAsync(Anonymous, default);
        var staff = await _sb.Dispatcher.GetAllowedSignalsAsync(Staff, default);

        Assert.Equal(["tests.half.broken", "tests.mixed", "tests.open", "tests.partly.ordered", "tests.room", "tests.unordered"], anonymous);
        Assert.Equal(["tests.half.broken", "tests.mixed", "tests.open", "tests.partly.ordered", "tests.room", "tests.staff", "tests.unordered"], staff);
    }

    [Fact]
    public async Task AllowedSignalsAreDecidedWithoutKwargs()
    {
        await _sb.Dispatcher.GetAllowedSignalsAsync(Anonymous, default);

        Assert.Equal([null], _roomPermission.SeenRooms);
        Assert.True(_roomPermission.SawNullKwargs);
    }

    /// <summary>Allows the lobby only, and (with no kwargs) lists the signal.</summary>
    private sealed class RoomPermission : SignalPermission
    {
        public List<string?> SeenRooms { get; } = [];

        public bool SawNullKwargs { get; private set; }

        public override ValueTask<bool> IsAllowedAsync(SignalPermissionContext context, CancellationToken cancellationToken)
        {
            if (context.Kwargs is null)
            {
                SawNullKwargs = true;
                SeenRooms.Add(null);
                return ValueTask.FromResult(true);
            }
            var room = (string?)context.Kwargs["room"];
            SeenRooms.Add(room);
            return ValueTask.FromResult(room == "lobby");
        }
    }

    private sealed class ThrowingPermission : SignalPermission
    {
        public override ValueTask<bool> IsAllowedAsync(SignalPermissionContext context, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("permission store unavailable");
    }
}
