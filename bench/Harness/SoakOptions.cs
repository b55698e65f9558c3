namespace Switchboard.Bench.Harness;

/// <summary>The load of bench/soak.sh (defaults: one hour, 3,000 windows, a cycle every 5 s).</summary>
public sealed record SoakOptions
{
    public double Minutes { get; init; } = 60;
    public int Windows { get; init; } = 3000;
    public TimeSpan Cycle { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Windows aborted and reopened per cycle: 60 per 5 s replaces 3,000 windows about every 4 minutes.</summary>
    public int ChurnPerCycle { get; init; } = 60;

    public int BroadcastsPerCycle { get; init; } = 2;
    public int CallingWindows { get; init; } = 20;
    public int CallsPerWindow { get; init; } = 5;
    public int JobsPerCycle { get; init; } = 40;

    /// <summary>Of the jobs of a cycle, those with a 2 s countdown (delayed calls).</summary>
    public int DelayedPerCycle { get; init; } = 10;

    /// <summary>TopicsTimeToLive and History:IdleTimeToLive of the servers (defaults 10 h): how long a closed window's keys stay in Redis.</summary>
    public TimeSpan KeyTimeToLive { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Minutes before memory is expected flat: the first quarter of the run (15 of 60).</summary>
    public double WarmUpMinutes => Minutes / 4;

    public string Describe() =>
        $"{Minutes:0.#} min on one redis-server with two web nodes and a worker process; {Windows} windows (loopback), every {Cycle.TotalSeconds:0} s: "
        + $"{ChurnPerCycle} windows aborted and reopened, {BroadcastsPerCycle} broadcasts every window must receive, {CallingWindows} windows × {CallsPerWindow} "
        + $"sequential calls answered by the worker, {JobsPerCycle} server jobs ({DelayedPerCycle} of them with a 2 s countdown); "
        + $"TopicsTimeToLive and History:IdleTimeToLive {KeyTimeToLive.TotalMinutes:0} min; during warm-up every process's HTTP probe is also "
        + "called once per cycle (without collecting), so tiered compilation has compiled the probe's own path before memory is compared";
}
