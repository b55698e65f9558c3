using System.Diagnostics;

namespace Switchboard.Internal.Diagnostics;

/// <summary>
/// When this node published its recent messages, and from which span: the broker hands each message back to every
/// subscribed node, this one included, without either (its format is not ours to widen), so the delivery on this node
/// finds them here by the message's local number (its <c>signal_id</c> counter) to measure publish → local delivery and
/// to parent its span. A fixed ring: a message delivered after 4096 later ones, or published by another node, is not
/// measured. Used only while someone listens (<see cref="SwitchboardMetrics.DeliveryDurationEnabled"/> or a tracer).
/// </summary>
internal sealed class PublishClock
{
    private const int Size = 4096; // a power of two

    private readonly Entry[] _entries = new Entry[Size];
    private readonly Lock _gate = new();

    /// <summary>Whether publishes should be recorded now.</summary>
    public static bool IsActive(SwitchboardMetrics metrics) => metrics.DeliveryDurationEnabled || SwitchboardActivities.Source.HasListeners();

    /// <summary>Message <paramref name="number"/> is being published now, within <paramref name="context"/> (default: none).</summary>
    public void Published(long number, ActivityContext context)
    {
        var timestamp = Stopwatch.GetTimestamp();
        lock (_gate)
        {
            _entries[number & (Size - 1)] = new Entry(number, timestamp, context);
        }
    }

    /// <summary>Takes what <see cref="Published"/> recorded for <paramref name="number"/>; false when it is not there (any more).</summary>
    public bool TryTake(long number, out long timestamp, out ActivityContext context)
    {
        lock (_gate)
        {
            ref var entry = ref _entries[number & (Size - 1)];
            if (entry.Number == number && number != 0)
            {
                (timestamp, context) = (entry.Timestamp, entry.Context);
                entry = default;
                return true;
            }
        }
        (timestamp, context) = (0, default);
        return false;
    }

    private readonly record struct Entry(long Number, long Timestamp, ActivityContext Context);
}
