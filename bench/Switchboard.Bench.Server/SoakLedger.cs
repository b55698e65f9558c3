namespace Switchboard.Bench.Server;

/// <summary>
/// The soak's record of which jobs ran (bench/soak.sh): one bit per job id, allocated once (ids below
/// <see cref="Capacity"/>), so that keeping the record does not grow the worker's memory during the run.
/// </summary>
public static class SoakLedger
{
    public const int Capacity = 1 << 22;

    private static readonly int[] Bits = new int[Capacity / 32];
    private static long _distinct;
    private static long _duplicates;
    private static long _outOfRange;

    public static long Distinct => Interlocked.Read(ref _distinct);

    public static long Duplicates => Interlocked.Read(ref _duplicates);

    public static long OutOfRange => Interlocked.Read(ref _outOfRange);

    public static void Record(long id)
    {
        if (id is < 0 or >= Capacity)
        {
            Interlocked.Increment(ref _outOfRange);
            return;
        }
        var mask = 1 << (int)(id & 31);
        var before = Interlocked.Or(ref Bits[id >> 5], mask);
        Interlocked.Increment(ref (before & mask) == 0 ? ref _distinct : ref _duplicates);
    }

    /// <summary>Ids in [0, <paramref name="count"/>) that never ran.</summary>
    public static long MissingBelow(long count)
    {
        long missing = 0;
        for (long id = 0; id < Math.Min(count, Capacity); id++)
        {
            if ((Volatile.Read(ref Bits[id >> 5]) & (1 << (int)(id & 31))) == 0)
            {
                missing++;
            }
        }
        return missing;
    }
}
