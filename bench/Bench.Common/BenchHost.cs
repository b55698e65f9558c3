using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Switchboard.Bench;

/// <summary>
/// What every bench server shares, so they differ only in the system under test: the same Kestrel settings, the same
/// logging, the same measurement endpoints, and the same way of announcing the bound port to the harness.
/// </summary>
public static class BenchHost
{
    /// <summary>The line a server prints on stdout once it listens: <c>BENCH_LISTENING http://127.0.0.1:PORT pid=N</c>.</summary>
    public const string ListeningMarker = "BENCH_LISTENING";

    /// <summary>Connections above this get 503: below the 20,000 open files a process may have (see docs/benchmarks.md).</summary>
    public const int MaxConnections = 19_000;

    /// <summary>
    /// Capacity of the servers' own sets of windows (for targeted sends): more than a run ever holds (19,000, and as
    /// many again in the reconnect storm), so they never grow during a measured phase.
    /// </summary>
    public const int WindowSetCapacity = 2 * MaxConnections + 1_000;

    public static WebApplicationBuilder CreateBuilder(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
        builder.Logging.AddFilter((_, _, level) => level >= LogLevel.Warning);
        builder.Services.Configure<Microsoft.Extensions.Logging.Console.ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Limits.MaxConcurrentConnections = MaxConnections;
            k.Limits.MaxConcurrentUpgradedConnections = MaxConnections;
            k.AddServerHeader = false;
        });
        if (string.IsNullOrEmpty(builder.Configuration["urls"]))
        {
            builder.WebHost.UseUrls("http://127.0.0.1:0");
        }
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(3));
        return builder;
    }

    /// <summary>
    /// <c>/bench/gc</c>: full blocking compacting GC, then managed heap, RSS, working set, GC-committed bytes and JIT-compiled methods. <c>/bench/stats</c>: allocated
    /// bytes and GC counts without collecting (read before and after a phase).
    /// </summary>
    public static void MapCommon(WebApplication app)
    {
        app.MapGet("/bench/gc", () =>
        {
            GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
            GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
            var heap = GC.GetTotalMemory(forceFullCollection: true);
            return Results.Json(new
            {
                heapBytes = heap,
                workingSet = Environment.WorkingSet,
                rssBytes = ProcStats.RssBytes(Environment.ProcessId),
                allocatedBytes = GC.GetTotalAllocatedBytes(precise: true),
                gen0 = GC.CollectionCount(0),
                gen1 = GC.CollectionCount(1),
                gen2 = GC.CollectionCount(2),
                // Where RSS goes besides the live heap: memory the GC keeps committed, and code the JIT has compiled.
                committedBytes = GC.GetGCMemoryInfo().TotalCommittedBytes,
                jittedMethods = System.Runtime.JitInfo.GetCompiledMethodCount(),
            });
        });
        AllocationSampler? sampler = null;
        app.MapGet("/bench/alloc/start", () =>
        {
            sampler ??= new AllocationSampler();
            sampler.Start();
            return Results.Json(new { started = true });
        });
        app.MapGet("/bench/alloc/stop", (int? top) => Results.Json(
            (sampler?.Stop(top ?? 25) ?? []).Select(t => new { type = t.Type, sampledBytes = t.Bytes })));
        // Large-object-heap allocation over a phase (the reconnect storm of scenario 1): start arms the counter (the
        // first time, after its runtime event session had time to start), stop waits for the events still in flight
        // (the runtime hands them to listeners from a dispatch thread, after the allocations).
        LohCounter? loh = null;
        app.MapGet("/bench/loh/start", async () =>
        {
            if (loh is null)
            {
                loh = new LohCounter();
                await Task.Delay(500);
            }
            loh.Start();
            return Results.Json(new { started = true });
        });
        app.MapGet("/bench/loh/stop", async () =>
        {
            await Task.Delay(500);
            var (bytes, ticks, types) = loh?.Stop() ?? (0, 0, []);
            return Results.Json(new { lohBytes = bytes, ticks, types = types.Select(t => new { type = t.Type, bytes = t.Bytes }) });
        });
        app.MapGet("/bench/stats", () => Results.Json(new
        {
            allocatedBytes = GC.GetTotalAllocatedBytes(precise: true),
            gen0 = GC.CollectionCount(0),
            gen1 = GC.CollectionCount(1),
            gen2 = GC.CollectionCount(2),
            rssBytes = ProcStats.RssBytes(Environment.ProcessId),
            cpuSeconds = ResourceUsage.CpuSeconds(),
            procCpuSeconds = ProcStats.CpuSeconds(Environment.ProcessId),
            threads = ThreadPool.ThreadCount,
        }));
    }

    /// <summary>Starts the app, prints the listening line, then runs until stopped (SIGTERM or stdin closed).</summary>
    public static async Task RunAsync(WebApplication app)
    {
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        Console.WriteLine($"{ListeningMarker} {address} pid={Environment.ProcessId}");
        Console.Out.Flush();
        var lifetime = app.Services.GetRequiredService<IHostApplicationLifetime>();
        // The harness closes our stdin when it is done (or dies): stop then, so no server outlives a run.
        if (Environment.GetEnvironmentVariable("BENCH_STOP_ON_STDIN_EOF") == "1")
        {
            _ = Task.Run(() =>
        {
            try
            {
                while (Console.In.ReadLine() is not null)
                {
                }
            }
            catch (IOException)
            {
            }
            lifetime.StopApplication();
            });
        }
        await app.WaitForShutdownAsync();
    }

    public static double Seconds(long fromTimestamp) => Stopwatch.GetElapsedTime(fromTimestamp).TotalSeconds;
}
