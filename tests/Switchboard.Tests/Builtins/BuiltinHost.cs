using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;

namespace Switchboard.Tests.Builtins;

/// <summary>
/// The real <see cref="ISignals"/> (AddSwitchboard, nothing started) over a broker that records what it is asked to
/// publish: the frames a typed shortcut sends to the other nodes, exactly as windows would receive them.
/// </summary>
internal sealed class BuiltinHost : IAsyncDisposable
{
    public static readonly WindowInfo Window = new() { WindowKey = "win-1", Culture = "en-US" };

    private readonly ServiceProvider _services;

    public BuiltinHost(Action<IServiceCollection>? configure = null)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<IBroker>(Broker);
        configure?.Invoke(services);
        services.AddSwitchboard();
        _services = services.BuildServiceProvider();
    }

    public RecordingBroker Broker { get; } = new();

    public IServiceProvider Services => _services;

    public ISignals Signals => _services.GetRequiredService<ISignals>();

    /// <summary>The one signal frame published so far (fails if there are none or several).</summary>
    public (string Topic, string Signal, JsonObject Opts) Single()
    {
        var (topic, frame) = Assert.Single(Broker.Published);
        Assert.Equal("signal", frame["type"]!.GetValue<string>());
        return (topic, frame["signal"]!.GetValue<string>(), frame["opts"]!.AsObject());
    }

    public ValueTask DisposeAsync() => _services.DisposeAsync();
}

internal sealed class RecordingBroker : IBroker
{
    private readonly ConcurrentQueue<(string Topic, JsonObject Frame)> _published = new();

    public IReadOnlyList<(string Topic, JsonObject Frame)> Published => [.. _published];

    public ValueTask StartAsync(BrokerMessageHandler handler, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public ValueTask SubscribeAsync(string topic, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public ValueTask UnsubscribeAsync(string topic, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public ValueTask PublishAsync(IReadOnlyList<string> topics, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        // The body is the frame's members without braces.
        var frame = JsonNode.Parse("{" + System.Text.Encoding.UTF8.GetString(body.Span) + "}")!.AsObject();
        foreach (var topic in topics)
        {
            _published.Enqueue((topic, frame));
        }
        return ValueTask.CompletedTask;
    }

    public ValueTask<TopicPosition> GetPositionAsync(string topic, CancellationToken cancellationToken) =>
        ValueTask.FromResult(new TopicPosition(0, "recording"));

    public ValueTask<HistoryRead> ReadAsync(string topic, TopicPosition after, int maxCount, CancellationToken cancellationToken) =>
        ValueTask.FromResult(new HistoryRead(false, [], new TopicPosition(0, "recording")));
}
