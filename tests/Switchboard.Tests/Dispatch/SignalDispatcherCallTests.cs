using System.Security.Claims;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Switchboard.Internal.Calls;
using Switchboard.Tests.TestSupport;
using Switchboard.Internal.Windows;
using static Switchboard.Tests.TestSupport.SwitchboardHarness;

namespace Switchboard.Tests.Dispatch;

/// <summary><see cref="ISignals.CallAsync"/>: destinations, server jobs, delays and expiry.</summary>
public sealed class SignalDispatcherCallTests : IAsyncLifetime
{
    private SwitchboardHarness _sb = null!;
    private int _selectorCalls;

    public async Task InitializeAsync()
    {
        _sb = await CreateAsync(b =>
        {
            b.MapSignal("tests.fanout", (WindowInfo w, int n) => { });
            b.MapSignal("tests.fanout", (WindowInfo w, int n) => { }).OnQueue("slow");
            b.MapSignal("tests.fanout", (WindowInfo w, int n) => { });
            b.MapSignal("tests.selected", (WindowInfo w, string room) => { }).OnQueue((_, _, kwargs) =>
            {
                Interlocked.Increment(ref _selectorCalls);
                return "room-" + (string?)kwargs?["room"];
            });
            b.MapSignal("tests.any", (WindowInfo w, [CatchAll] JsonObject rest) => { });
        });
        await _sb.ObserveAsync("-broadcast", "-window.ada-window", "-user.42", "-str.room:1", "-window.page-key");
    }

    public async Task DisposeAsync() => await _sb.DisposeAsync();

    [Fact]
    public async Task ServerDestinationQueuesOneJobPerDistinctQueue()
    {
        var ids = _sb.HandlerIds("tests.fanout");

        await _sb.Dispatcher.CallAsync(Ada, "tests.fanout", [Destination.Server], new { n = 1 });

        var main = await _sb.TakeJobAsync("default");
        Assert.Equal([ids[0], ids[2]], main.Handlers);
        Assert.Equal(SignalJobKind.Server, main.Kind);
        Assert.Equal("default", main.Queue);
        Assert.Equal("tests.fanout", main.Signal);
        Assert.Same(Ada, main.Window);
        Assert.Equal("""{"n":1}""", main.Kwargs);
        Assert.False(main.FromClient);
        Assert.Null(main.CallId);
        Assert.Equal(Start, main.CreatedAt);
        Assert.Null(main.NotBefore);
        Assert.Null(main.ExpiresAt);
        var slow = await _sb.TakeJobAsync("slow");
        Assert.Equal([ids[1]], slow.Handlers);
        Assert.NotEqual(main.Id, slow.Id);
        await _sb.AssertNoJobAsync("default");
        await _sb.AssertNoJobAsync("slow");
        Assert.Empty(await _sb.PublishedSoFarAsync());
    }

    [Fact]
    public async Task QueueSelectorIsEvaluatedOnceAtDispatchAndNeverByTheWorker()
    {
        await _sb.Dispatcher.CallAsync(Ada, "tests.selected", [Destination.Server], new { room = "blue" });

        var job = await _sb.TakeJobAsync("room-blue");
        Assert.Equal(1, _selectorCalls);
        await _sb.Executor.ExecuteAsync(job, default);
        Assert.Equal(1, _selectorCalls);
    }

    [Fact]
    public async Task DefaultDestinationIsTheCallersUser()
    {
        await _sb.Dispatcher.CallAsync(Ada, "tests.fanout", kwargs: new { n = 2 });

        var message = Assert.Single(await _sb.PublishedSoFarAsync());
        Assert.Equal("-user.42", message.Topic);
        var frame = message.Json();
        Assert.Equal("signal", (string?)frame["type"]);
        Assert.Equal("tests.fanout", (string?)frame["signal"]);
        Assert.Equal("""{"n":2}""", frame["opts"]!.ToJsonString());
        Assert.False(string.IsNullOrEmpty((string?)frame["signal_id"]));
        await _sb.AssertNoJobAsync("default");
    }

    [Fact]
    public async Task WithoutAWindowTheDefaultDestinationAddressesNobody()
    {
        await _sb.Dispatcher.CallAsync(null, "tests.fanout", kwargs: new { n = 2 });
        await _sb.Dispatcher.CallAsync(Anonymous, "tests.fanout", kwargs: new { n = 2 });

        Assert.Empty(await _sb.PublishedSoFarAsync());
        await _sb.AssertNoJobAsync("default");
    }

    [Fact]
    public async Task WindowAndUserWithoutAWindowAddressNobodyButBroadcastStillGoesOut()
    {
        await _sb.Dispatcher.CallAsync(null, "tests.any", [Destination.Window, Destination.User, Destination.Broadcast]);

        Assert.Equal(["-broadcast"], (await _sb.PublishedSoFarAsync()).Select(m => m.Topic));
    }

    [Fact]
    public async Task OneCallReachesEveryTopicWithOneSignalId()
    {
        await _sb.Dispatcher.CallAsync(Ada, "tests.any", [Destination.Window, "room:1", Destination.Broadcast], new { x = 1 });

        var messages = await _sb.PublishedSoFarAsync();
        Assert.Equal(["-window.ada-window", "-str.room:1", "-broadcast"], messages.Select(m => m.Topic));
        Assert.Single(messages.Select(m => (string?)m.Json()["signal_id"]).Distinct());
        Assert.Equal(messages[0].Payload, messages[2].Payload);
    }

    [Fact]
    public async Task EachCallHasItsOwnSignalId()
    {
        await _sb.Dispatcher.CallAsync(Ada, "tests.any", [Destination.Broadcast]);
        await _sb.Dispatcher.CallAsync(Ada, "tests.any", [Destination.Broadcast]);

        var ids = (await _sb.PublishedSoFarAsync()).Select(m => (string?)m.Json()["signal_id"]).ToList();
        Assert.Equal(2, ids.Distinct().Count());
    }

    [Fact]
    public async Task RepeatedDestinationsArePublishedOnce()
    {
        await _sb.Dispatcher.CallAsync(Ada, "tests.any", [Destination.Window, Destination.Window, "room:1", "room:1", Destination.Server, Destination.Server]);

        Assert.Equal(["-window.ada-window", "-str.room:1"], (await _sb.PublishedSoFarAsync()).Select(m => m.Topic));
        await _sb.TakeJobAsync("default");
        await _sb.AssertNoJobAsync("default");
    }

    [Fact]
    public async Task CountdownDelaysBothServerJobsAndBrowserMessages()
    {
        await _sb.Dispatcher.CallAsync(Ada, "tests.any", [Destination.Server, Destination.Broadcast], new { x = 1 }, countdown: TimeSpan.FromSeconds(30));

        await _sb.AssertNoJobAsync("default");
        await _sb.AssertNoJobAsync(SignalDispatcher.DeliveryQueue);
        Assert.Empty(await _sb.PublishedSoFarAsync());

        _sb.Time.Advance(TimeSpan.FromSeconds(30));

        var server = await _sb.TakeJobAsync("default");
        Assert.Equal(Start.AddSeconds(30), server.NotBefore);
        var delivery = await _sb.TakeJobAsync(SignalDispatcher.DeliveryQueue);
        Assert.Equal(SignalJobKind.Deliver, delivery.Kind);
        Assert.Equal("tests.any", delivery.Signal);
        Assert.Equal(["-broadcast"], delivery.Topics);
        Assert.Equal("""{"x":1}""", delivery.Kwargs);
        Assert.Equal(Start.AddSeconds(30), delivery.NotBefore);
        Assert.Same(Ada, delivery.Window);
        Assert.False(string.IsNullOrEmpty(delivery.SignalId));
    }

    [Fact]
    public async Task EtaDelaysUntilThatTime()
    {
        var eta = Start.AddMinutes(5);

        await _sb.Dispatcher.CallAsync(Ada, "tests.any", [Destination.Server, Destination.Window], eta: eta);

        _sb.Time.Advance(TimeSpan.FromMinutes(5) - TimeSpan.FromTicks(1));
        await _sb.AssertNoJobAsync("default");
        await _sb.AssertNoJobAsync(SignalDispatcher.DeliveryQueue);
        _sb.Time.Advance(TimeSpan.FromTicks(1));
        Assert.Equal(eta, (await _sb.TakeJobAsync("default")).NotBefore);
        Assert.Equal(["-window.ada-window"], (await _sb.TakeJobAsync(SignalDispatcher.DeliveryQueue)).Topics);
    }

    [Fact]
    public async Task EtaInThePastSendsAtOnce()
    {
        await _sb.Dispatcher.CallAsync(Ada, "tests.any", [Destination.Server, Destination.Broadcast], eta: Start.AddMinutes(-1));

        Assert.Equal(["-broadcast"], (await _sb.PublishedSoFarAsync()).Select(m => m.Topic));
        await _sb.TakeJobAsync("default");
        await _sb.AssertNoJobEvenLaterAsync("default");
        await _sb.AssertNoJobAsync(SignalDispatcher.DeliveryQueue);
    }

    [Fact]
    public async Task CountdownAndEtaTogetherAreRefused()
    {
        await Assert.ThrowsAsync<ArgumentException>(() =>
            _sb.Dispatcher.CallAsync(Ada, "tests.any", [Destination.Server], countdown: TimeSpan.FromSeconds(1), eta: Start.AddMinutes(1)));

        await _sb.AssertNoJobEvenLaterAsync("default");
    }

    [Fact]
    public async Task NegativeCountdownIsRefused()
    {
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() =>
            _sb.Dispatcher.CallAsync(Ada, "tests.any", [Destination.Server], countdown: TimeSpan.FromSeconds(-1)));
    }

    [Fact]
    public async Task AlreadyExpiredCallSendsNothing()
    {
        await _sb.Dispatcher.CallAsync(Ada, "tests.any", [Destination.Server, Destination.Broadcast], expires: Start);
        await _sb.Dispatcher.CallAsync(Ada, "tests.any", [Destination.Server, Destination.Broadcast], countdown: TimeSpan.FromSeconds(1), expires: Start.AddSeconds(-1));

        Assert.Empty(await _sb.PublishedSoFarAsync());
        await _sb.AssertNoJobEvenLaterAsync("default");
        await _sb.AssertNoJobAsync(SignalDispatcher.DeliveryQueue);
    }

    [Fact]
    public async Task ExpiryTravelsWithTheJobs()
    {
        var expires = Start.AddHours(1);

        await _sb.Dispatcher.CallAsync(Ada, "tests.any", [Destination.Server, Destination.Broadcast], countdown: TimeSpan.FromSeconds(1), expires: expires);
        _sb.Time.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(expires, (await _sb.TakeJobAsync("default")).ExpiresAt);
        Assert.Equal(expires, (await _sb.TakeJobAsync(SignalDispatcher.DeliveryQueue)).ExpiresAt);
    }

    [Fact]
    public async Task KwargsThatAreNotAnObjectAreRefused()
    {
        object[] notObjects =
        [
            "text", 42, new[] { 1, 2 }, new List<string> { "a" }, new JsonArray(1), JsonValue.Create(1),
            JsonDocument.Parse("[1]").RootElement, JsonDocument.Parse("\"s\"").RootElement, DateTimeOffset.UnixEpoch,
        ];

        foreach (var kwargs in notObjects)
        {
            var e = await Assert.ThrowsAsync<ArgumentException>(() => _sb.Dispatcher.CallAsync(Ada, "tests.any", [Destination.Server], kwargs));
            Assert.Equal("kwargs", e.ParamName);
        }
        await _sb.AssertNoJobAsync("default");
    }

    [Fact]
    public async Task KwargsMayBeAnObjectADictionaryOrJson()
    {
        object?[] forms =
        [
            new { UserName = "ada", Level = NotifyLevel.Success },
            new Dictionary<string, object> { ["UserName"] = "ada", ["n"] = 1 },
            new JsonObject { ["a"] = 1 },
            JsonDocument.Parse("""{"b":[true]}""").RootElement,
            null,
        ];
        string[] expected = ["""{"userName":"ada","level":"Success"}""", """{"UserName":"ada","n":1}""", """{"a":1}""", """{"b":[true]}""", "{}"];

        foreach (var kwargs in forms)
        {
            await _sb.Dispatcher.CallAsync(Ada, "tests.any", [Destination.Server], kwargs);
        }

        foreach (var json in expected)
        {
            Assert.Equal(json, (await _sb.TakeJobAsync("default")).Kwargs);
        }
    }

    [Fact]
    public async Task KwargsTextIsNotEscapedBeyondWhatJsonNeeds()
    {
        await _sb.Dispatcher.CallAsync(Ada, "tests.any", [Destination.Server], new { text = "caf\u00e9 <b> \"q\"" });

        Assert.Equal("{\"text\":\"caf\u00e9 <b> \\\"q\\\"\"}", (await _sb.TakeJobAsync("default")).Kwargs);
    }

    [Theory]
    [InlineData("")]
    [InlineData("bad name")]
    [InlineData("1.a")]
    public async Task InvalidSignalNameIsRefused(string signal)
    {
        await Assert.ThrowsAsync<ArgumentException>(() => _sb.Dispatcher.CallAsync(Ada, signal, [Destination.Broadcast]));
    }

    [Fact]
    public async Task NullDestinationIsRefused()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => _sb.Dispatcher.CallAsync(Ada, "tests.any", [Destination.Broadcast, null!]));
    }

    [Fact]
    public async Task WindowOfAnUnsupportedTypeIsRefused()
    {
        var e = await Assert.ThrowsAsync<ArgumentException>(() => _sb.Dispatcher.CallAsync("ada", "tests.any", [Destination.Broadcast]));

        Assert.Contains("System.String", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnsupportedTopicIsRefused()
    {
        // A value without value semantics, and a collection inside 'to' (a list of topics, not a topic).
        await Assert.ThrowsAsync<ArgumentException>(() => _sb.Dispatcher.CallAsync(Ada, "tests.any", [new object()]));
        await Assert.ThrowsAsync<ArgumentException>(() => _sb.Dispatcher.CallAsync(Ada, "tests.any", [new List<int> { 1, 2 }]));
    }

    [Fact]
    public async Task HttpContextIsTheWindowOfItsPage()
    {
        var http = new DefaultHttpContext
        {
            User = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, "42")], "Cookies")),
        };
        http.Features.Set(new WindowFeature("page-key"));

        await _sb.Dispatcher.CallAsync(http, "tests.any", [Destination.Window, Destination.User, Destination.Server]);

        Assert.Equal(["-window.page-key", "-user.42"], (await _sb.PublishedSoFarAsync()).Select(m => m.Topic));
        var job = await _sb.TakeJobAsync("default");
        Assert.Equal("page-key", job.Window?.WindowKey);
        Assert.Equal("42", job.Window?.UserId);
    }

    [Fact]
    public async Task ServerCallOfASignalWithoutHandlersQueuesNothing()
    {
        await _sb.Dispatcher.CallAsync(Ada, "tests.browser.only", [Destination.Server, Destination.Window]);

        Assert.Equal(["-window.ada-window"], (await _sb.PublishedSoFarAsync()).Select(m => m.Topic));
        await _sb.AssertNoJobAsync("default");
    }

    [Fact]
    public async Task ServerJobWithoutAWindowCarriesTheEmptyWindow()
    {
        await _sb.Dispatcher.CallAsync(null, "tests.any", [Destination.Server]);

        Assert.Same(WindowInfo.None, (await _sb.TakeJobAsync("default")).Window);
    }

    [Fact]
    public async Task TriggerIsTheShortForm()
    {
        await _sb.Dispatcher.TriggerAsync(Ada, "tests.any", new { x = 2 }, [Destination.Broadcast]);
        await _sb.Dispatcher.TriggerAsync(Ada, "tests.any", new { x = 3 });

        var messages = await _sb.PublishedSoFarAsync();
        Assert.Equal(["-broadcast", "-user.42"], messages.Select(m => m.Topic));
        Assert.Equal("""{"x":3}""", messages[1].Json()["opts"]!.ToJsonString());
    }

    [Fact]
    public async Task NotifyShortcutSendsDfNotifyToTheCallingWindow()
    {
        await _sb.Dispatcher.NotifyAsync(Ada, "Saved <b>", title: "Orders", level: NotifyLevel.Success, style: NotifyStyle.Banner, timeout: TimeSpan.Zero);

        var message = Assert.Single(await _sb.PublishedSoFarAsync());
        Assert.Equal("-window.ada-window", message.Topic);
        Assert.Equal(BuiltinSignals.Notify, (string?)message.Json()["signal"]);
        var opts = message.Json()["opts"]!.AsObject();
        Assert.Equal("Saved <b>", (string?)opts["content"]);
        Assert.Equal("Orders", (string?)opts["title"]);
        Assert.Equal("success", (string?)opts["level"]);
        Assert.Equal("banner", (string?)opts["style"]);
        Assert.Equal(0, (long?)opts["timeout"]);
    }
}
