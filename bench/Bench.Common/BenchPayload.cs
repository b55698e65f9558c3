using System.Diagnostics;

namespace Switchboard.Bench;

/// <summary>
/// The benchmark message: <c>t</c> is <see cref="Stopwatch.GetTimestamp"/> when the server made the call (the monotonic
/// clock is shared by every process of the machine, so the load generator subtracts it from its receive time), <c>p</c>
/// pads the JSON to the payload size. Serialized by every server as <c>{"t":...,"p":"xxx..."}</c>.
/// </summary>
public sealed record BenchPayload(long T, string P)
{
    public static BenchPayload Now(string padding) => new(Stopwatch.GetTimestamp(), padding);

    /// <summary>The padding that makes the payload's JSON about <paramref name="size"/> bytes.</summary>
    public static string Padding(int size) => new('x', Math.Max(0, size - 32));

    public static double MicrosSince(long timestamp) =>
        (Stopwatch.GetTimestamp() - timestamp) * 1_000_000.0 / Stopwatch.Frequency;
}
