using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Switchboard.Internal.Connections;
using Switchboard.Internal.InMemory;
using Switchboard.Internal.Presence;
using Switchboard.Testing;
using Switchboard.Tests.TestSupport;

namespace Switchboard.Tests.Windows;

/// <summary>
/// A replaced <see cref="ITopicSerializer"/> (docs/choices.md, "Replacing the serializer"), through the public test host:
/// every key Switchboard makes comes from it, a serializer with no USER or BROADCAST topic works, and one that would lose
/// messages (colliding or empty built-in keys, no WINDOW, WINDOW or USER depending on more than the key or id, presence
/// patterns it cannot serve) fails the start with a message that says why.
/// </summary>
public sealed class TopicSerializerReplacementTests
{
    [Fact]
    public async Task EveryKeyComesFromTheRegisteredSerializer()
    {
        await using var host = await StartAsync(new Renaming());
        var ada = host.NewWindow("ada", topics: ["room"]);
        var bob = host.NewWindow("bob");

        (await host.CallFromBrowserAsync(ada, "t.answer")).EnsureAccepted();
        (await host.CallFromBrowserAsync(ada, "t.fail")).EnsureAccepted();
        await host.WhenIdleAsync();

        Assert.Equal(["w:" + ada.WindowKey, "u:ada", "everyone", "s:room"], host.Sent.OfSignal("t.got").Select(m => m.Topics.Single()));
        Assert.Equal(4, host.Sent.To(ada).OfSignal("t.got").Count);
        Assert.Equal(["everyone"], host.Sent.To(bob).OfSignal("t.got").Select(m => m.Topics.Single()));
        // The failed call's error report goes to the calling window's key, made by the serializer.
        Assert.Equal(["w:" + ada.WindowKey], host.Sent.Errors.Single().Topics);
        Assert.Empty(host.Sent.To(bob).Errors);
    }

    [Fact]
    public async Task ASerializerWithNoUserOrBroadcastTopicWorks()
    {
        await using var host = await StartAsync(new Renaming { User = false, Broadcast = false });
        var ada = host.NewWindow("ada", topics: ["room"]);

        (await host.CallFromBrowserAsync(ada, "t.answer")).EnsureAccepted();
        await host.WhenIdleAsync();

        // USER and BROADCAST address nobody (a warning each); WINDOW and the room arrive.
        Assert.Equal(["w:" + ada.WindowKey, "s:room"], host.Sent.To(ada).OfSignal("t.got").Select(m => m.Topics.Single()));
    }

    [Theory]
    [InlineData("user=broadcast", "gives BROADCAST and USER of user 'probe-0123456789abcdef' the same key 'x'")]
    [InlineData("window=constant", "the same key 'w'")]
    [InlineData("window=user", "the same key 'id:probe-0123456789abcdef'")]
    [InlineData("broadcast=empty", "returned an empty key for BROADCAST")]
    [InlineData("window=null", "gives a window no WINDOW topic")]
    [InlineData("window=by-name", "depends on more than the window key (WINDOW) or the user id (USER)")]
    [InlineData("user=by-culture", "depends on more than the window key (WINDOW) or the user id (USER)")]
    [InlineData("principal=default", "a principal topic must be its user's USER key")]
    public async Task ASerializerThatWouldLoseMessagesFailsTheStart(string flaw, string message)
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => StartAsync(new Renaming { Flaw = flaw }));

        Assert.Contains(typeof(Renaming).FullName!, error.Message, StringComparison.Ordinal);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PresencePatternsNeedStringKeysThatHoldTheirValue()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => StartAsync(new Renaming { HashStrings = true }, o => o.Presence.Topics.Add("room:*")));
        Assert.Contains("Presence.Topics patterns match the value of string topics", error.Message, StringComparison.Ordinal);

        // With a serializer that keeps the value, patterns match it through the serializer's own prefix.
        await using var host = await StartAsync(new Renaming(), o => o.Presence.Topics.Add("room:*"));
        var presence = host.Services.GetRequiredService<IPresence>();
        Assert.True(presence.IsEnabled("room:1"));
        Assert.False(presence.IsEnabled("lobby"));
        Assert.Equal("room:1", host.Services.GetRequiredService<PresenceTopics>().Display("s:room:1"));
    }

    [Fact]
    public async Task TheRegistryKnowsAWindowsOwnTopicFromTheWindowNotFromAPrefix()
    {
        var network = new InMemoryBrokerNetwork(TimeProvider.System, Microsoft.Extensions.Options.Options.Create(new SwitchboardOptions()));
        using var broker = new InMemoryBroker(network);
        var observer = new Observer();
        var registry = new LocalTopicRegistry(broker, NullLogger<LocalTopicRegistry>.Instance, observer);
        var window = RecordingWire.Window("k", ["everyone", "w:k", "u:ada", "s:room", "-window.k"], own: new("everyone", "w:k", "u:ada"));

        await registry.AddAsync(window, default);

        // "-window.k" is a chosen topic here (another serializer's key means nothing); "w:k" is the window's own.
        Assert.Equal(["everyone", "u:ada", "s:room", "-window.k"], observer.Joined);
        // The dashboard's list leaves the window's own topic out and says which are built-ins.
        Assert.Equal([("-window.k", null), ("everyone", "BROADCAST"), ("s:room", null), ("u:ada", "USER")],
            registry.TopTopics(10).Select(t => (t.Topic, t.Kind)).OrderBy(t => t.Topic, StringComparer.Ordinal));
    }

    private static Task<SwitchboardTestHost> StartAsync(ITopicSerializer serializer, Action<SwitchboardOptions>? options = null) =>
        SwitchboardTestHost.StartAsync(services =>
        {
            var builder = services.AddSwitchboard(o => o.DetailedErrors = false);
            builder.MapSignal("t.answer", async (WindowInfo window, ISignals signals) =>
            {
                foreach (var to in new object[] { Destination.Window, Destination.User, Destination.Broadcast, "room" })
                {
                    await signals.CallAsync(window, "t.got", to: [to]);
                }
            }).AllowEveryone();
            builder.MapSignal("t.fail", (WindowInfo window) =>
            {
                throw new SignalException("failed");
            }).AllowEveryone();
            // After AddSwitchboard, as an application does.
            services.AddSingleton<ITopicSerializer>(serializer);
        }, o => o.Switchboard = options);

    /// <summary>Names every built-in its own way; <see cref="Flaw"/> makes it wrong in one way.</summary>
    private sealed class Renaming : ITopicSerializer
    {
        public bool User { get; init; } = true;

        public bool Broadcast { get; init; } = true;

        public bool HashStrings { get; init; }

        public string? Flaw { get; init; }

        public string? Serialize(WindowInfo? window, object topic) => topic switch
        {
            Destination d when d == Destination.Broadcast => Flaw switch
            {
                "broadcast=empty" => "",
                "user=broadcast" => "x",
                _ => Broadcast ? "everyone" : null,
            },
            Destination d when d == Destination.Window => window?.WindowKey is not { } key ? null : Flaw switch
            {
                "window=constant" => "w",
                "window=null" => null,
                "window=user" => "id:" + key,
                "window=by-name" => "w:" + key + window.UserName,
                _ => "w:" + key,
            },
            Destination d when d == Destination.User => window is not { IsAuthenticated: true, UserId: { } id } || !User ? null : Flaw switch
            {
                "user=broadcast" => "x",
                "window=user" => "id:" + id,
                "user=by-culture" => "u:" + id + window.Culture,
                _ => "u:" + id,
            },
            string s => HashStrings ? "h:" + s.GetHashCode(StringComparison.Ordinal).ToString(CultureInfo.InvariantCulture) : "s:" + s,
            ISignalTopic t => "k:" + t.TopicKey,
            // What inheriting the default's principal mapping while renaming USER would give.
            System.Security.Claims.ClaimsPrincipal p when Flaw == "principal=default" => "-user." + p.Identity!.Name,
            _ => throw new ArgumentException("not a topic here", nameof(topic)),
        };
    }

    private sealed class Observer : IWindowObserver
    {
        public List<string> Joined { get; } = [];

        public void Opened(object socket, WindowInfo window)
        {
        }

        void IWindowObserver.Joined(object socket, WindowInfo window, string topic) => Joined.Add(topic);

        public void Left(object socket, WindowInfo window, string topic)
        {
        }

        public void Closed(object socket, WindowInfo window)
        {
        }
    }
}
