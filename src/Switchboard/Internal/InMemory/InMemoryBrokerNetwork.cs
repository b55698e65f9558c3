using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace Switchboard.Internal.InMemory;

/// <summary>
/// The nodes that share in-memory brokers, and the topics' sequences and histories. Each host has its own network
/// (one node); tests put several hosts on one network to run multi-node scenarios in one process. Publishing locks
/// the message's topics (in a fixed order, so two messages never deadlock) while it sequences the message and hands
/// it to every subscribed node, so every node sees each topic in position order.
/// </summary>
internal sealed class InMemoryBrokerNetwork
{
    private static readonly TimeSpan SweepInterval = TimeSpan.FromMinutes(1);
    private readonly ConcurrentDictionary<string, TopicLog> _logs = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private readonly TimeProvider _time;
    private readonly HistoryOptions _history;
    private readonly string _epochPrefix = Guid.NewGuid().ToString("N")[..8];
    private volatile InMemoryBroker[] _nodes = [];
    private long _epochs;
    private DateTimeOffset _nextSweep;

    public InMemoryBrokerNetwork(TimeProvider time, IOptions<SwitchboardOptions> options)
    {
        _time = time;
        _history = options.Value.History;
    }

    public void Join(InMemoryBroker node)
    {
        lock (_gate)
        {
            if (!_nodes.Contains(node))
            {
                _nodes = [.. _nodes, node];
            }
        }
    }

    public void Leave(InMemoryBroker node)
    {
        lock (_gate)
        {
            _nodes = [.. _nodes.Where(n => n != node)];
        }
    }

    public ValueTask PublishAsync(IReadOnlyList<string> topics, ReadOnlyMemory<byte> body)
    {
        var now = _time.GetUtcNow();
        SweepIfDue(now);
        return topics.Count == 1 ? PublishOne(topics[0], body, now) : PublishMany(topics, body, now);
    }

    /// <summary>The common case (a WINDOW, USER or BROADCAST message): one lock, no sorting, no copies of the topic list.</summary>
    private ValueTask PublishOne(string topic, ReadOnlyMemory<byte> body, DateTimeOffset now)
    {
        var log = Log(topic);
        List<ValueTask>? pending = null;
        lock (log)
        {
            var position = log.Append(body, now, _history);
            BrokerDelivery? delivery = null;
            foreach (var node in _nodes)
            {
                if (node.IsSubscribed(topic))
                {
                    var result = node.Deliver(delivery ??= new BrokerDelivery([topic], [position], body));
                    if (!result.IsCompletedSuccessfully)
                    {
                        (pending ??= []).Add(result);
                    }
                }
            }
        }
        return pending is null ? ValueTask.CompletedTask : AwaitAll(pending);
    }

    private ValueTask PublishMany(IReadOnlyList<string> topics, ReadOnlyMemory<byte> body, DateTimeOffset now)
    {
        topics = topics.Distinct(StringComparer.Ordinal).ToArray();
        var logs = topics.Select(Log).ToArray();
        var lockOrder = Enumerable.Range(0, topics.Count).OrderBy(i => topics[i], StringComparer.Ordinal).ToArray();
        List<ValueTask>? pending = null;
        var taken = 0;
        try
        {
            for (; taken < lockOrder.Length; taken++)
            {
                Monitor.Enter(logs[lockOrder[taken]]);
            }
            var positions = logs.Select(log => log.Append(body, now, _history)).ToArray();
            var delivery = new BrokerDelivery(topics, positions, body);
            foreach (var node in _nodes)
            {
                if (node.IsSubscribedToAny(topics))
                {
                    var result = node.Deliver(delivery);
                    if (!result.IsCompletedSuccessfully)
                    {
                        (pending ??= []).Add(result);
                    }
                }
            }
        }
        finally
        {
            for (var i = taken - 1; i >= 0; i--)
            {
                Monitor.Exit(logs[lockOrder[i]]);
            }
        }
        return pending is null ? ValueTask.CompletedTask : AwaitAll(pending);
    }

    private static async ValueTask AwaitAll(List<ValueTask> pending)
    {
        foreach (var task in pending)
        {
            await task;
        }
    }

    public TopicPosition GetPosition(string topic)
    {
        var log = Log(topic);
        lock (log)
        {
            log.Touch(_time.GetUtcNow());
            return log.Head;
        }
    }

    public HistoryRead Read(string topic, TopicPosition after, int maxCount)
    {
        var log = Log(topic);
        lock (log)
        {
            return log.Read(after, maxCount, _time.GetUtcNow(), _history);
        }
    }

    private TopicLog Log(string topic) =>
        _logs.GetOrAdd(topic, static (_, self) => new TopicLog(self.NewEpoch(), self._time.GetUtcNow()), this);

    private string NewEpoch() => _epochPrefix + "." + Interlocked.Increment(ref _epochs).ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Forgets topics idle past <see cref="HistoryOptions.IdleTimeToLive"/> and drops messages past MaxAge, once a minute.</summary>
    private void SweepIfDue(DateTimeOffset now)
    {
        if (now < _nextSweep)
        {
            return;
        }
        _nextSweep = now + SweepInterval;
        foreach (var (topic, log) in _logs)
        {
            if (now - log.LastTouched > _history.IdleTimeToLive)
            {
                _logs.TryRemove(new KeyValuePair<string, TopicLog>(topic, log));
                continue;
            }
            // A topic that went quiet keeps its sequence but not messages past MaxAge, so memory follows live traffic.
            lock (log)
            {
                log.TrimByAge(now, _history.MaxAge);
            }
        }
    }
}
