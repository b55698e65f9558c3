using System.Text.Json.Nodes;
using Switchboard.Internal.Connections;
using Switchboard.Internal.Presence;
using Switchboard.Internal.Workers;

namespace Switchboard.Internal.Dashboard;

/// <summary>
/// This node's part of the dashboard: its windows, its topics (the <see cref="TopTopics"/> with most windows), the
/// queues its workers serve with their pickup latency and rate, and its recent refusals by reason; for the listed topics
/// that have presence, who is on them (the presence store's count, all nodes). Every process
/// collects its own; <see cref="DashboardPublisher"/> sends it to the dashboard windows of every node.
/// </summary>
internal sealed class NodeSnapshotCollector(
    LocalTopicRegistry registry, WorkerHost workers, DashboardMeasurements measurements, PresenceTopics presenceTopics, IPresenceStore presence, TimeProvider time)
{
    /// <summary>How many topics a node lists (bounded: a node may have millions).</summary>
    public const int TopTopics = 20;

    /// <summary>This node's name on the dashboard: machine, process, and an instance id (two hosts in one process differ).</summary>
    public string Node { get; } = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid().ToString("N")[..6]}";

    public async Task<JsonObject> CollectAsync(CancellationToken cancellationToken)
    {
        var topics = new JsonArray();
        foreach (var (topic, windows, kind) in registry.TopTopics(TopTopics))
        {
            var entry = new JsonObject { ["topic"] = topic, ["windows"] = windows };
            if (kind is not null)
            {
                entry["kind"] = kind;
            }
            else if (presenceTopics.Keys.TryStringValue(topic, out var value))
            {
                // Read by the shape the registered serializer writes strings in, never by a hard-coded prefix.
                entry["kind"] = "str";
                entry["value"] = topic[value];
            }
            if (presenceTopics.Any && presenceTopics.IsEnabled(topic))
            {
                // At most TopTopics reads, and only while a dashboard is watched.
                var info = PresenceSnapshot.From(topic, await presence.GetAsync(topic, time.GetUtcNow(), cancellationToken));
                entry["presence"] = new JsonObject { ["windows"] = info.Windows, ["users"] = info.Users.Count, ["anonymousWindows"] = info.AnonymousWindows };
            }
            topics.Add(entry);
        }
        var pickups = measurements.Pickups();
        var running = workers.RunningWorkers();
        var queues = new JsonArray();
        foreach (var queue in running.Keys.Union(pickups.Keys).Order(StringComparer.Ordinal))
        {
            var served = new JsonObject { ["name"] = queue, ["workers"] = running.GetValueOrDefault(queue) };
            if (pickups.TryGetValue(queue, out var p))
            {
                served["pickupP50Seconds"] = p.P50;
                served["pickupP99Seconds"] = p.P99;
                served["perSecond"] = p.PerSecond;
                served["samples"] = p.Samples;
            }
            queues.Add(served);
        }
        var refusals = new JsonObject();
        foreach (var (reason, count) in measurements.Refusals().OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            refusals[reason] = count;
        }
        return new JsonObject
        {
            ["node"] = Node,
            ["at"] = time.GetUtcNow(),
            ["windows"] = registry.WindowCount,
            ["topics"] = registry.TopicCount,
            ["topTopics"] = topics,
            ["queues"] = queues,
            ["refusals"] = refusals,
        };
    }
}
