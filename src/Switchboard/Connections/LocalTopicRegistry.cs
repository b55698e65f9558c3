using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Switchboard.Connections;

/// <summary>
/// This node's topic → windows map (local fan-out, never behind a seam). The node subscribes to a topic on the
/// broker when its first local window needs it and unsubscribes after the last one leaves. Changes are serialized
/// through one async lock so subscribe/unsubscribe of a topic can never be reordered.
/// </summary>
internal sealed partial class LocalTopicRegistry(IBroker broker, ILogger<LocalTopicRegistry> logger)
{
    private readonly ConcurrentDictionary<string, WindowConnection[]> _topics = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly ConcurrentDictionary<WindowConnection, byte> _windows = new();

    public int WindowCount => _windows.Count;

    public int TopicCount => _topics.Count;

    public WindowConnection[] Get(string topic) => _topics.TryGetValue(topic, out var windows) ? windows : [];

    public ICollection<WindowConnection> AllWindows => _windows.Keys;

    public async Task AddAsync(WindowConnection window, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        var added = new List<string>(window.Topics.Count);
        try
        {
            foreach (var topic in window.Topics)
            {
                var isNew = !_topics.TryGetValue(topic, out var current);
                _topics[topic] = [.. current ?? [], window];
                added.Add(topic);
                if (isNew)
                {
                    await broker.SubscribeAsync(topic, cancellationToken);
                }
            }
            _windows.TryAdd(window, 0);
        }
        catch
        {
            // Roll back so a failed subscription leaves no half-registered window behind.
            await RemoveTopicsAsync(window, added);
            throw;
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task RemoveAsync(WindowConnection window)
    {
        await _gate.WaitAsync();
        try
        {
            _windows.TryRemove(window, out _);
            await RemoveTopicsAsync(window, window.Topics);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task RemoveTopicsAsync(WindowConnection window, IEnumerable<string> topics)
    {
        foreach (var topic in topics)
        {
            if (!_topics.TryGetValue(topic, out var current) || !current.Contains(window))
            {
                continue;
            }
            if (current.Length == 1)
            {
                _topics.TryRemove(topic, out _);
                try
                {
                    await broker.UnsubscribeAsync(topic, CancellationToken.None);
                }
                catch (Exception e)
                {
                    LogUnsubscribeFailed(logger, topic, e);
                }
            }
            else
            {
                _topics[topic] = [.. current.Where(w => w != window)];
            }
        }
    }

    [LoggerMessage(EventId = 1301, EventName = "BrokerUnsubscribeFailed", Level = LogLevel.Warning,
        Message = "Unsubscribing the broker from topic {Topic} failed; the node may keep receiving its messages.")]
    private static partial void LogUnsubscribeFailed(ILogger logger, string topic, Exception exception);
}
