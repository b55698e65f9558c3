using System.Collections.Concurrent;
using Switchboard;
using Switchboard.Bench;
using Switchboard.Bench.Server;

// The Switchboard side of the benchmarks: the library as an application would host it (in memory, or Redis with
// --Switchboard:Redis=HOST:PORT), a page per window, and endpoints that make the server call signals.
// Never benchmark a Debug build of the library (async state machines as classes, no JIT optimizations).
if (typeof(ISignals).Assembly.GetCustomAttributes(typeof(System.Diagnostics.DebuggableAttribute), false)
        is [System.Diagnostics.DebuggableAttribute { IsJITOptimizerDisabled: true }]
    && Environment.GetEnvironmentVariable("BENCH_ALLOW_DEBUG") != "1")
{
    await Console.Error.WriteLineAsync("Switchboard.dll is a Debug build: build bench/Switchboard.Bench.slnx with -c Release (or set BENCH_ALLOW_DEBUG=1).");
    return 3;
}

var builder = BenchHost.CreateBuilder(args);
// Library defaults, except the per-window call rate limit (20/s), which the round-trip scenario exceeds by design
// (SignalR has no such limit).
var switchboard = builder.Services.AddSwitchboard(builder.Configuration.GetSection("Switchboard"), o =>
    {
        o.CallRateLimit.PermitsPerSecond = 1_000_000;
        o.CallRateLimit.Burst = 1_000_000;
    })
    .AddSignalsFrom(typeof(BenchSignals).Assembly);
if (builder.Configuration["Switchboard:Redis"] is { Length: > 0 } redis)
{
    switchboard.AddRedis(redis);
}

var app = builder.Build();
app.UseSwitchboard();
app.MapSwitchboard();
BenchHost.MapCommon(app);

// Windows rendered by this node, for targeted sends (one WINDOW topic each). Sized once for more windows than a run
// opens (19,000 connections, and as many again in the reconnect storm), so that this set of the benchmark never grows:
// growing it would allocate on the large object heap and be counted against the library in the storm.
var windows = new ConcurrentDictionary<string, WindowInfo>(Environment.ProcessorCount, BenchHost.WindowSetCapacity, StringComparer.Ordinal);

// A window: the page a browser would load; the load generator reads the init element, then connects.
// The soak (bench/soak.sh) turns this off: it opens tens of thousands of windows over an hour and never sends to one,
// and the set would grow by every window ever rendered (its first run measured that growth as the nodes' heap).
var trackWindows = app.Configuration.GetValue("Bench:TrackWindows", true);
app.MapGet("/w", (HttpContext http) =>
{
    http.SetWebSocketTopics();
    var key = http.GetWindowKey();
    if (trackWindows)
    {
        windows[key] = new WindowInfo { WindowKey = key };
    }
    return Results.Content("<!doctype html><title>bench</title>" + http.SwitchboardInitHtml(), "text/html; charset=utf-8");
});

// count calls to BROADCAST, back to back (rate=0) or at `rate` calls/s.
app.MapGet("/bench/broadcast", async (ISignals signals, int count, int size, double? rate, int? callers) =>
{
    var padding = BenchPayload.Padding(size);
    object[] to = [Destination.Broadcast];
    var seconds = await Pacer.RunAsync(count, rate ?? 0, _ =>
        signals.CallAsync(null, "bench.msg", to: to, kwargs: BenchPayload.Now(padding)), callers ?? 1);
    return Results.Json(new { calls = count, seconds });
});

// Windows rendered by other nodes (scenario 10): targeted sends from this node reach them through Redis. Read once from
// each peer's /bench/window-keys before the measured phases, so no HTTP request is timed.
var peerWindows = new List<WindowInfo>();
app.MapGet("/bench/window-keys", () => Results.Json(windows.Keys.ToArray()));
app.MapGet("/bench/add-peer-windows", async (string url) =>
{
    using var http = new HttpClient();
    var keys = await http.GetFromJsonAsync<string[]>(url.TrimEnd('/') + "/bench/window-keys") ?? [];
    lock (peerWindows)
    {
        peerWindows.AddRange(keys.Select(k => new WindowInfo { WindowKey = k }));
    }
    return Results.Json(new { added = keys.Length });
});

// rounds × one call to each window's WINDOW topic (this node's windows and the peers'): one awaiting caller, or
// `callers` concurrent ones sharing the sends (scenario 10: one caller would measure the Redis round trip of each send).
app.MapGet("/bench/targeted", async (ISignals signals, int rounds, int size, double? rate, int? callers) =>
{
    var padding = BenchPayload.Padding(size);
    object[] to = [Destination.Window];
    WindowInfo[] targets;
    lock (peerWindows)
    {
        targets = [.. windows.Values, .. peerWindows];
    }
    if (callers is > 1)
    {
        var sent = await Pacer.RunAsync(rounds * targets.Length, 0, i =>
            signals.CallAsync(targets[i % targets.Length], "bench.msg", to: to, kwargs: BenchPayload.Now(padding)), callers.Value);
        return Results.Json(new { calls = rounds * targets.Length, seconds = sent });
    }
    var seconds = await Pacer.RunAsync(rounds, rate ?? 0, async _ =>
    {
        foreach (var window in targets)
        {
            await signals.CallAsync(window, "bench.msg", to: to, kwargs: BenchPayload.Now(padding));
        }
    });
    return Results.Json(new { calls = rounds * targets.Length, seconds });
});

// Diagnostic (bench/profile.sh, docs/benchmarks.md): the cost of CallAsync alone, on one thread, to WINDOW topics of
// windows that are not connected here (no socket write), or of connected ones (connected=true).
app.MapGet("/bench/dispatch", async (ISignals signals, int count, bool? connected) =>
{
    var padding = BenchPayload.Padding(100);
    object[] to = [Destination.Window];
    var targets = connected == true
        ? windows.Values.ToArray()
        : [.. Enumerable.Range(0, 1000).Select(i => new WindowInfo { WindowKey = "bench-nobody-" + i })];
    var allocated0 = GC.GetAllocatedBytesForCurrentThread();
    var cpu0 = ResourceUsage.CpuSeconds();
    var clock = System.Diagnostics.Stopwatch.StartNew();
    for (var i = 0; i < count; i++)
    {
        await signals.CallAsync(targets[i % targets.Length], "bench.msg", to: to, kwargs: BenchPayload.Now(padding));
    }
    return Results.Json(new
    {
        count,
        microsPerCall = clock.Elapsed.TotalMicroseconds / count,
        processCpuMicrosPerCall = (ResourceUsage.CpuSeconds() - cpu0) * 1e6 / count,
        bytesPerCallOnThisThread = (GC.GetAllocatedBytesForCurrentThread() - allocated0) / (double)count,
    });
});

// Server-signal jobs (SERVER destination), produced in this process and run by its workers through the job queue.
app.MapGet("/bench/jobs", async (ISignals signals, int count, double? rate, int? concurrency, int? timeoutMs) =>
{
    object[] to = [Destination.Server];
    var result = await JobStats.RunAsync(count, rate ?? 0, concurrency ?? 32, TimeSpan.FromMilliseconds(timeoutMs ?? 120_000),
        t => signals.CallAsync(null, "bench.job", to: to, kwargs: new JobArgs(t)));
    return Results.Json(result);
});

// The cost of ordering (scenario 6c): jobs of bench.job put straight on the queue, as browser calls of an ordered signal
// from `keys` windows would be (each with its window key as ordering key, round robin), or with no key (keys=0), so
// the two runs differ in nothing but the key.
var benchJobHandler = $"bench.job@{typeof(BenchSignals).FullName}.{nameof(BenchSignals.Job)}";
app.MapGet("/bench/jobs-keyed", async (IJobQueue queue, int count, int keys, int? concurrency, int? timeoutMs) =>
{
    var windows = Enumerable.Range(0, Math.Max(keys, 1)).Select(i => new WindowInfo { WindowKey = "bench-window-" + i }).ToArray();
    var next = -1;
    var result = await JobStats.RunAsync(count, 0, concurrency ?? 32, TimeSpan.FromMilliseconds(timeoutMs ?? 120_000), t =>
    {
        var window = windows[Interlocked.Increment(ref next) % windows.Length];
        return queue.EnqueueAsync(new SignalJob
        {
            Id = Guid.NewGuid().ToString("N"),
            Queue = "bench",
            Signal = "bench.job",
            Window = window,
            Kwargs = "{\"t\":" + t.ToString(System.Globalization.CultureInfo.InvariantCulture) + "}",
            Handlers = [benchJobHandler],
            FromClient = true,
            CreatedAt = DateTimeOffset.UtcNow,
            OrderingKey = keys > 0 ? window.WindowKey : null,
        }, default).AsTask();
    });
    return Results.Json(result);
});

// The soak (bench/soak.sh): `count` server jobs with ids from `from` on, `delayed` of them with a 2 s countdown; the
// worker process that runs them answers /bench/soak/handled.
app.MapGet("/bench/soak/enqueue", async (ISignals signals, long from, int count, int delayed) =>
{
    object[] to = [Destination.Server];
    for (var i = 0; i < count; i++)
    {
        await signals.CallAsync(null, "bench.soak.job", to: to, kwargs: new SoakJobArgs(from + i),
            countdown: i < delayed ? TimeSpan.FromSeconds(2) : null);
    }
    return Results.Json(new { enqueued = count });
});
app.MapGet("/bench/soak/handled", (long? expected) => Results.Json(new
{
    distinct = SoakLedger.Distinct,
    duplicates = SoakLedger.Duplicates,
    outOfRange = SoakLedger.OutOfRange,
    missing = expected is { } n ? SoakLedger.MissingBelow(n) : -1,
}));

await BenchHost.RunAsync(app);
return 0;
