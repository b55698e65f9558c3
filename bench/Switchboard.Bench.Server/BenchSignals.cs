using Switchboard.Bench;

namespace Switchboard.Bench.Server;

/// <summary>Server handlers of the benchmarks.</summary>
public static class BenchSignals
{
    /// <summary>Round trip: a window calls it, the handler answers that window with the same number.</summary>
    [Signal("bench.echo", IsAllowedTo = typeof(Everyone))]
    public static Task Echo(WindowInfo window, ISignals signals, long i) =>
        signals.CallAsync(window, "bench.echoed", to: [Destination.Window], kwargs: new EchoArgs(i));

    /// <summary>Invoke round trip: a window invokes it (df.invoke), the result frame carries the same number back.</summary>
    [Function("bench.echo.fn", IsAllowedTo = typeof(Everyone))]
    public static long EchoFunction(WindowInfo window, long i) => i;

    /// <summary>An empty job (like Hangfire's) that only records when it started.</summary>
    [Signal("bench.job", Queue = "bench")]
    public static Task Job(WindowInfo window, long t)
    {
        JobStats.Record(t);
        return Task.CompletedTask;
    }

    /// <summary>A soak job (bench/soak.sh): records that job <paramref name="id"/> ran, on the worker process.</summary>
    [Signal("bench.soak.job", Queue = "bench")]
    public static Task SoakJob(WindowInfo window, long id)
    {
        SoakLedger.Record(id);
        return Task.CompletedTask;
    }
}

/// <summary>kwargs of bench.echoed.</summary>
public sealed record EchoArgs(long I);

/// <summary>kwargs of bench.soak.job.</summary>
public sealed record SoakJobArgs(long Id);

/// <summary>kwargs of bench.job: the Stopwatch timestamp of the enqueue call.</summary>
public sealed record JobArgs(long T);
