namespace Switchboard.FunctionalTests;

/// <summary>Browser calls are refused, with the documented codes, unless a handler of the signal allows the window.</summary>
public sealed class PermissionTests : IAsyncLifetime
{
    private readonly Dictionary<string, int> _runs = [];
    private SwitchboardHost _host = null!;

    // One worker: jobs run in queue order, so once a later call was processed an earlier one would have been too.
    public async Task InitializeAsync() => _host = await SwitchboardHost.StartAsync(o =>
    {
        o.Switchboard = options => options.Workers.Count = 1;
        o.Signals = s => MapAll(s);
    });

    private void MapAll(ISwitchboardBuilder s)
    {
        Map(s, "test.server_only");
        Map(s, "test.open").AllowEveryone();
        Map(s, "test.members").AllowedTo(IsAuthenticated.Instance);
        Map(s, "test.anonymous_only").AllowedTo(IsAnonymous.Instance);
        Map(s, "test.staff").AllowedTo(IsStaff.Instance);
        Map(s, "test.superuser").AllowedTo(IsSuperuser.Instance);
        Map(s, "test.editors").RequirePolicy(SwitchboardHost.EditorsPolicy);
        Map(s, "test.orders").RequirePermission("orders.edit");
        s.MapSignal("test.public_rooms", (WindowInfo w, ISignals signals, string room) => Ran(w, signals, "test.public_rooms"))
            .AllowedTo(new PublicRoomsOnly());
        Map(s, "test.broken_permission").AllowedTo(new ThrowingPermission());
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task ServerSideSignalIsRefusedAsForbidden()
    {
        await using var browser = new TestBrowser();
        await browser.LoginAsync(_host, "root", "superuser", "staff");
        var window = await browser.OpenWindowAsync(_host);

        var message = (await window.CallAsync("test.server_only")).AssertRefused("forbidden");

        Assert.Contains("test.server_only", message, StringComparison.Ordinal);
        await AssertNeverRanAsync(window, "test.server_only");
    }

    [Fact]
    public async Task UnknownSignalIsRefused()
    {
        await using var browser = new TestBrowser();
        var window = await browser.OpenWindowAsync(_host);

        (await window.CallAsync("test.nobody_handles_this")).AssertRefused("unknown_signal");
    }

    [Theory]
    [InlineData("1starts.with.digit")]
    [InlineData("two..dots")]
    [InlineData("has space")]
    [InlineData("trailing.")]
    [InlineData("")]
    [InlineData("café.order")]
    [InlineData("ends.with.newline\n")]
    [InlineData(null)]
    public async Task InvalidSignalNameIsRefused(string? name)
    {
        name ??= "a" + new string('b', 256);
        await using var browser = new TestBrowser();
        var window = await browser.OpenWindowAsync(_host);

        (await window.CallAsync(name)).AssertRefused("invalid_signal_name");
    }

    [Fact]
    public async Task AuthenticatedOnlySignalIsRefusedToAnonymousAndItsHandlerNeverRuns()
    {
        await using var browser = new TestBrowser();
        var window = await browser.OpenWindowAsync(_host);

        (await window.CallAsync("test.members")).AssertRefused("forbidden");

        await AssertNeverRanAsync(window, "test.members");
    }

    [Theory]
    [InlineData("test.staff", "staff", true)]
    [InlineData("test.staff", "superuser", true)]
    [InlineData("test.staff", "editor", false)]
    [InlineData("test.superuser", "superuser", true)]
    [InlineData("test.superuser", "staff", false)]
    [InlineData("test.editors", "editor", true)]
    [InlineData("test.editors", "staff", false)]
    [InlineData("test.members", "", true)]
    [InlineData("test.anonymous_only", "", false)]
    public async Task RoleAndPolicyPermissionsDecideWhoMayCall(string signal, string role, bool allowed)
    {
        await using var browser = new TestBrowser();
        await browser.LoginAsync(_host, "user-" + role, role);
        var window = await browser.OpenWindowAsync(_host);

        var answer = await window.CallAsync(signal);

        if (allowed)
        {
            Assert.Equal(1, answer.AssertAccepted());
            await window.NextSignalAsync(signal + ".ran");
        }
        else
        {
            answer.AssertRefused("forbidden");
            await AssertNeverRanAsync(window, signal);
        }
    }

    [Fact]
    public async Task PermissionClaimOrSuperuserAllowsAPermissionSignal()
    {
        await using var clerk = new TestBrowser();
        await using var root = new TestBrowser();
        await using var nobody = new TestBrowser();
        await clerk.LoginAsync(_host, "clerk", [], ["orders.edit"]);
        await root.LoginAsync(_host, "root", "superuser");
        await nobody.LoginAsync(_host, "nobody", [], ["orders.view"]);

        (await (await clerk.OpenWindowAsync(_host)).CallAsync("test.orders")).AssertAccepted();
        (await (await root.OpenWindowAsync(_host)).CallAsync("test.orders")).AssertAccepted();
        (await (await nobody.OpenWindowAsync(_host)).CallAsync("test.orders")).AssertRefused("forbidden");
    }

    [Fact]
    public async Task PermissionSeesTheCallsKwargs()
    {
        await using var browser = new TestBrowser();
        var window = await browser.OpenWindowAsync(_host);

        Assert.Contains("test.public_rooms", window.HelloSignals);
        (await window.CallAsync("test.public_rooms", new { room = "public" })).AssertAccepted();
        (await window.CallAsync("test.public_rooms", new { room = "private" })).AssertRefused("forbidden");
    }

    [Theory]
    [InlineData(null, "", "test.anonymous_only,test.open,test.public_rooms")]
    [InlineData("alice", "", "test.members,test.open,test.public_rooms")]
    [InlineData("sam", "staff", "test.members,test.open,test.public_rooms,test.staff")]
    [InlineData("ed", "editor", "test.editors,test.members,test.open,test.public_rooms")]
    [InlineData("root", "superuser", "test.members,test.open,test.orders,test.public_rooms,test.staff,test.superuser")]
    public async Task HelloListsExactlyTheSignalsTheWindowMayCall(string? user, string role, string expected)
    {
        await using var browser = new TestBrowser();
        if (user is not null)
        {
            await browser.LoginAsync(_host, user, role);
        }

        var window = await browser.OpenWindowAsync(_host);

        Assert.Equal(expected.Split(','), window.HelloSignals);
        Assert.Equal(25000, window.Hello.GetProperty("heartbeat").GetInt32());
        Assert.Equal(1, window.Hello.GetProperty("v").GetInt32());
    }

    [Fact]
    public async Task PermissionThatThrowsCountsAsNotAllowed()
    {
        await using var browser = new TestBrowser();
        var window = await browser.OpenWindowAsync(_host);

        var refused = await window.CallAsync("test.broken_permission");

        refused.AssertRefused("forbidden");
        Assert.DoesNotContain("test.broken_permission", window.HelloSignals);
        await AssertNeverRanAsync(window, "test.broken_permission");
    }

    private SignalHandlerBuilder Map(ISwitchboardBuilder s, string signal) =>
        s.MapSignal(signal, (WindowInfo w, ISignals signals) => Ran(w, signals, signal));

    private Task Ran(WindowInfo window, ISignals signals, string signal)
    {
        lock (_runs)
        {
            _runs[signal] = _runs.GetValueOrDefault(signal) + 1;
        }
        return signals.CallAsync(window, signal + ".ran", [Destination.Window]);
    }

    /// <summary>After a later accepted call has been fully processed, the refused signal's handler still never ran.</summary>
    private async Task AssertNeverRanAsync(TestWindow window, string signal)
    {
        (await window.CallAsync("test.open")).AssertAccepted();
        await window.NextSignalAsync("test.open.ran");
        await window.PingAsync();
        lock (_runs)
        {
            Assert.Equal(0, _runs.GetValueOrDefault(signal));
        }
        Assert.DoesNotContain(window.Pending, f => f.IsSignal(signal + ".ran"));
    }

    private sealed class PublicRoomsOnly : SignalPermission
    {
        public override ValueTask<bool> IsAllowedAsync(SignalPermissionContext context, CancellationToken cancellationToken) =>
            ValueTask.FromResult(context.Kwargs is null || context.Kwargs["room"]?.GetValue<string>() == "public");
    }

    private sealed class ThrowingPermission : SignalPermission
    {
        public override ValueTask<bool> IsAllowedAsync(SignalPermissionContext context, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("permission backend down");
    }
}
