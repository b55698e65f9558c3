using Hangfire;
using Hangfire.Redis.StackExchange;
using StackExchange.Redis;
using Switchboard.Bench;

// The Hangfire baseline of scenario 6: Hangfire.Core with Redis storage (Hangfire.Redis.StackExchange), 8 workers,
// empty jobs that only record when they started. --Redis=HOST:PORT.
var builder = BenchHost.CreateBuilder(args);
var redis = builder.Configuration["Redis"] ?? throw new InvalidOperationException("pass --Redis=HOST:PORT");
var workers = int.Parse(builder.Configuration["Workers"] ?? "8", System.Globalization.CultureInfo.InvariantCulture);
var multiplexer = await ConnectionMultiplexer.ConnectAsync(redis);
builder.Services.AddHangfire(c => c
    .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
    .UseSimpleAssemblyNameTypeSerializer()
    .UseRecommendedSerializerSettings()
    .UseRedisStorage(multiplexer, new RedisStorageOptions { Prefix = "bench:hangfire:" }));
builder.Services.AddHangfireServer(o =>
{
    o.WorkerCount = workers;
    o.Queues = ["default"];
});
// Hangfire's client is synchronous: producers block threads while Redis answers.
ThreadPool.SetMinThreads(64, 64);

var app = builder.Build();
BenchHost.MapCommon(app);
app.MapGet("/bench/jobs", async (IBackgroundJobClient jobs, int count, double? rate, int? concurrency, int? timeoutMs) =>
{
    var result = await JobStats.RunAsync(count, rate ?? 0, concurrency ?? 32, TimeSpan.FromMilliseconds(timeoutMs ?? 120_000), t =>
    {
        jobs.Enqueue(() => HangfireJobs.Run(t));
        return Task.CompletedTask;
    });
    return Results.Json(result);
});
await BenchHost.RunAsync(app);

/// <summary>The empty job.</summary>
public static class HangfireJobs
{
    public static void Run(long t) => JobStats.Record(t);
}
