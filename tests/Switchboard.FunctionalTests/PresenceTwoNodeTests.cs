using Microsoft.Extensions.Time.Testing;
using Switchboard.Internal.InMemory;

namespace Switchboard.FunctionalTests;

/// <summary>
/// Presence across two nodes sharing a broker network and a presence store, each on its own fake clock. Node B's clock
/// never moves, so B never renews its entries: to node A it is a dead node, whose entries must be gone from
/// <see cref="IPresence"/> once <see cref="PresenceOptions.EntryLifetime"/> has passed, swept by A's refresh (which then
/// tells the room and runs <see cref="LifecycleSignals.WindowDisconnected"/> for B's window).
/// </summary>
public sealed class PresenceTwoNodeTests : IAsyncLifetime
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Refresh = TimeSpan.FromSeconds(10);

    private readonly InMemoryBrokerNetwork _network = new(TimeProvider.System, Microsoft.Extensions.Options.Options.Create(new SwitchboardOptions()));
    private readonly InMemoryPresenceStore _presence = new();
    private readonly FakeTimeProvider _timeA = new(DateTimeOffset.UtcNow);
    private SwitchboardHost _a = null!;
    private SwitchboardHost _b = null!;

    public async Task InitializeAsync()
    {
        _a = await StartNodeAsync("A", _timeA);
        _b = await StartNodeAsync("B", new FakeTimeProvider(_timeA.GetUtcNow()));
    }

    public async Task DisposeAsync()
    {
        await _b.DisposeAsync();
        await _a.DisposeAsync();
    }

    [Fact]
    public async Task NodesSeeEachOthersWindowsAndADeadNodesWindowsExpireAfterTheLifetime()
    {
        await using var bob = new TestBrowser();
        await using var alice = new TestBrowser();
        await bob.LoginAsync(_a, "bob");
        await alice.LoginAsync(_b, "alice");
        var onA = await bob.OpenWindowAsync(_a, ["room:1"]);
        await onA.PresenceAsync("room:1", "bob");
        var onB = await alice.OpenWindowAsync(_b, ["room:1"]);
        var aliceKey = _b.ReadToken(onB.Token!).WindowKey!;

        // B's change signal crosses the broker to A's window; A's IPresence sees B's window.
        await onA.PresenceAsync("room:1", "alice, bob");
        await onB.PresenceAsync("room:1", "alice, bob");
        var presence = _a.Services.GetRequiredService<IPresence>();
        Assert.Equal(["alice", "bob"], (await presence.GetAsync("room:1").DefaultTimeout()).Users.Select(u => u.Name));

        // A lives on past the lifetime, renewing its own entries each refresh; B (frozen) renews nothing.
        _timeA.Advance(Lifetime - Refresh);
        Assert.Equal(2, (await presence.GetAsync("room:1").DefaultTimeout()).Windows);
        _timeA.Advance(Refresh);

        // No ghost: A's refresh renews A's entry, then sweeps B's expired one and tells the room (the snapshot it sends is
        // read after the renewal: bob is still there, alice is not). IPresence answers the same.
        await onA.PresenceAsync("room:1", "bob");
        var room = await presence.GetAsync("room:1").DefaultTimeout();
        Assert.Equal([new PresenceUser("bob", "bob", 1)], room.Users);
        Assert.Equal(1, room.Windows);
        var gone = await _a.Services.GetRequiredService<LifecycleRecorder>().NextAsync(LifecycleSignals.WindowDisconnected, aliceKey);
        Assert.Equal("alice", gone.UserName);
        Assert.True(onB.IsOpen);
    }

    private Task<SwitchboardHost> StartNodeAsync(string name, TimeProvider time) => SwitchboardHost.StartAsync(name, o =>
    {
        o.Network = _network;
        o.Time = time;
        o.Services = s => s.AddSingleton<IPresenceStore>(_presence);
        o.Switchboard = s =>
        {
            s.Presence.Topics.Add("room:*");
            s.Presence.EntryLifetime = Lifetime;
            s.Presence.RefreshInterval = Refresh;
        };
        o.Signals = LifecycleRecorder.MapLifecycle;
    });
}
