using System.Collections.Concurrent;
using System.Diagnostics.Tracing;
using System.Globalization;

namespace Switchboard.Bench;

/// <summary>
/// Large-object-heap bytes allocated while armed. The runtime raises GCAllocationTick each time ~100 KB more of one kind
/// (small, large, pinned) was allocated on a heap, carrying the amount since the previous tick of that kind; the sum of
/// the Large ticks is the LOH allocation up to the last tick, so it undercounts by less than 100 KB per GC heap.
/// GC.GetTotalAllocatedBytes is not per generation, and GC.GetGCMemoryInfo's generation sizes are only updated by a GC.
/// </summary>
public sealed class LohCounter : EventListener
{
    private const EventKeywords GcKeyword = (EventKeywords)0x1;
    private const uint LargeKind = 1;
    private readonly ConcurrentDictionary<string, long> _byType = new(StringComparer.Ordinal);
    private long _bytes;
    private long _ticks;
    private volatile bool _armed;

    public void Start()
    {
        Interlocked.Exchange(ref _bytes, 0);
        Interlocked.Exchange(ref _ticks, 0);
        _byType.Clear();
        _armed = true;
    }

    /// <summary>Disarms; returns the bytes, the ticks, and the bytes per type of the object that crossed each tick (largest first).</summary>
    public (long Bytes, long Ticks, IReadOnlyList<(string Type, long Bytes)> Types) Stop()
    {
        _armed = false;
        return (Interlocked.Read(ref _bytes), Interlocked.Read(ref _ticks), [.. _byType.OrderByDescending(p => p.Value).Take(10).Select(p => (p.Key, p.Value))]);
    }

    protected override void OnEventSourceCreated(EventSource eventSource)
    {
        if (eventSource.Name == "Microsoft-Windows-DotNETRuntime")
        {
            EnableEvents(eventSource, EventLevel.Verbose, GcKeyword);
        }
    }

    protected override void OnEventWritten(EventWrittenEventArgs eventData)
    {
        if (!_armed || eventData.EventName is null || !eventData.EventName.StartsWith("GCAllocationTick", StringComparison.Ordinal)
            || eventData.PayloadNames is null)
        {
            return;
        }
        var kindIndex = eventData.PayloadNames.IndexOf("AllocationKind");
        var amountIndex = eventData.PayloadNames.IndexOf("AllocationAmount64");
        if (kindIndex < 0 || amountIndex < 0
            || Convert.ToUInt32(eventData.Payload![kindIndex], CultureInfo.InvariantCulture) != LargeKind)
        {
            return;
        }
        var amount = Convert.ToInt64(eventData.Payload[amountIndex], CultureInfo.InvariantCulture);
        Interlocked.Add(ref _bytes, amount);
        Interlocked.Increment(ref _ticks);
        var typeIndex = eventData.PayloadNames.IndexOf("TypeName");
        var type = typeIndex >= 0 ? eventData.Payload[typeIndex] as string ?? "?" : "?";
        _byType.AddOrUpdate(type, amount, (_, v) => v + amount);
    }
}
