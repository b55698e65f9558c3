using Switchboard.Redis.Internal;
using static Switchboard.Redis.Tests.Infrastructure.RedisQueueProcesses;

namespace Switchboard.Redis.Tests;

/// <summary>
/// Lines of ordering keys in Redis, where only a durable queue goes: the holder of a key's first job dies and the line
/// goes on after the lease, a worker that lost its job cannot move the line on, several processes share a line, and
/// the keys (one hash slot per queue, removed when empty, an expiry meanwhile).
/// </summary>
public sealed class RedisOrderedJobTests(RedisFixture redis, ITestOutputHelper output) : IClassFixture<RedisFixture>, IAsyncLifetime
{
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(1);
    private readonly RedisQueueProcesses _processes = new(output);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _processes.DisposeAsync();

    [RedisFact]
    public async Task LineGoesOnAfterTheLeaseWhenTheHolderOfItsFirstJobDies()
    {
        var queue = NewQueueName();
        var dying = StartProcess();
        foreach (var id in new[] { "1", "2", "3" })
        {
            await dying.EnqueueAsync(Keyed(queue, id, "w"), default).DefaultTimeout();
        }
        var held = await dying.DequeueAsync(queue, default).DefaultTimeout();
        Assert.Equal("1", held.Job.Id);
        var heldFor = Stopwatch.StartNew();

        await _processes.StopAsync(dying);
        var survivor = StartProcess();
        var reclaimed = await survivor.DequeueAsync(queue, default).AsTask().WaitAsync(Lease + TimeSpan.FromSeconds(10));

        Assert.Equal(("1", "w"), (reclaimed.Job.Id, reclaimed.Job.OrderingKey));
        Assert.True(heldFor.Elapsed >= Lease * 0.9, $"reclaimed after {heldFor.Elapsed}, before the {Lease} lease ran out");
        await survivor.AssertNothingAvailableAsync(queue, DateTimeOffset.UtcNow);
        await survivor.CompleteAsync(reclaimed, default).DefaultTimeout();
        Assert.Equal("2", (await survivor.TakeAsync(queue)).Id);
        Assert.Equal("3", (await survivor.TakeAsync(queue)).Id);
        Assert.False(await redis.Db.KeyExistsAsync(redis.LineKey(queue, "w")), "the empty line was removed");
        Assert.Equal(0, await redis.Db.StreamLengthAsync(redis.QueueKey(queue)));
    }

    [RedisFact]
    public async Task WorkerThatLostTheFirstJobOfALineCannotMoveTheLineOn()
    {
        // The holder is "paused" past its lease (its clock, hence its renewals, stands still): another process reclaims
        // and completes the job; the holder's late completion or give-back must not take the next job off the line.
        var queue = NewQueueName();
        var frozen = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow);
        var paused = StartProcess(time: frozen);
        foreach (var id in new[] { "1", "2", "3" })
        {
            await paused.EnqueueAsync(Keyed(queue, id, "w"), default).DefaultTimeout();
        }
        var stale = await paused.DequeueAsync(queue, default).DefaultTimeout();
        var other = StartProcess();
        var reclaimed = await other.DequeueAsync(queue, default).AsTask().WaitAsync(Lease + TimeSpan.FromSeconds(10));
        Assert.Equal("1", reclaimed.Job.Id);
        await other.CompleteAsync(reclaimed, default).DefaultTimeout();
        var line = redis.LineKey(queue, "w");
        Assert.Equal(2, await redis.Db.ListLengthAsync(line));

        await paused.CompleteAsync(stale, default).DefaultTimeout();
        await paused.AbandonAsync(stale, TimeSpan.Zero, default).DefaultTimeout();

        Assert.True(_processes.Logs.Has(4301), "the late completion is logged (RedisLeaseLost)");
        Assert.True(_processes.Logs.Has(4306), "the late give-back is logged (RedisAbandonLost)");
        // Job 2 (read by either process) is still first in line and the only one of the line in the stream.
        Assert.Equal(2, await redis.Db.ListLengthAsync(line));
        Assert.Contains("\"id\":\"2\"", (string?)await redis.Db.ListGetByIndexAsync(line, 0), StringComparison.Ordinal);
        var entries = await redis.Db.StreamRangeAsync(redis.QueueKey(queue));
        var entry = Assert.Single(entries);
        Assert.Equal("w", (string?)entry["o"]);
        Assert.Contains("\"id\":\"2\"", (string?)entry["job"], StringComparison.Ordinal);
    }

    [RedisFact]
    public async Task ProcessesSharingLinesKeepEachKeysOrder()
    {
        const int keys = 8;
        const int perKey = 40;
        var queue = NewQueueName();
        var processes = new[] { StartProcess(), StartProcess() };
        var order = new System.Collections.Concurrent.ConcurrentDictionary<string, System.Collections.Concurrent.ConcurrentQueue<int>>();
        var taken = 0;
        using var stop = new CancellationTokenSource();
        var consumers = processes.SelectMany(p => Enumerable.Range(0, 3).Select(c => Task.Run(async () =>
        {
            while (true)
            {
                JobLease lease;
                try
                {
                    lease = await p.DequeueAsync(queue, stop.Token);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
                var parts = lease.Job.Id.Split('/');
                order.GetOrAdd(parts[0], _ => new()).Enqueue(int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture));
                // Not awaited, as a worker does not: the ack goes in a batch with others.
                _ = p.CompleteAsync(lease, default).AsTask();
                if (Interlocked.Increment(ref taken) == keys * perKey)
                {
                    await stop.CancelAsync();
                }
            }
        }))).ToArray();

        for (var i = 0; i < perKey; i++)
        {
            for (var k = 0; k < keys; k++)
            {
                await processes[(i + k) % 2].EnqueueAsync(Keyed(queue, $"key-{k}/{i}", $"key-{k}"), default);
            }
        }
        await Task.WhenAll(consumers).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(keys, order.Count);
        Assert.All(order, pair => Assert.Equal(Enumerable.Range(0, perKey), pair.Value));
        await RedisPolling.WaitUntilAsync(async () => await redis.PendingCountAsync(queue) == 0, "every ack");
        for (var k = 0; k < keys; k++)
        {
            Assert.False(await redis.Db.KeyExistsAsync(redis.LineKey(queue, $"key-{k}")), $"line key-{k} was left behind");
        }
    }

    [RedisFact]
    public async Task LineHasAnExpiryWhileItHasJobsAndIsGoneWhenEmpty()
    {
        var queue = NewQueueName();
        var jobs = StartProcess(o => o.OrderingLineExpiry = TimeSpan.FromHours(2));
        await jobs.EnqueueAsync(Keyed(queue, "1", "w"), default).DefaultTimeout();
        await jobs.EnqueueAsync(Keyed(queue, "2", "w"), default).DefaultTimeout();
        var line = redis.LineKey(queue, "w");

        Assert.Equal(2, await redis.Db.ListLengthAsync(line));
        var ttl = await redis.Db.KeyTimeToLiveAsync(line);
        Assert.InRange(ttl!.Value, TimeSpan.FromHours(1.9), TimeSpan.FromHours(2));
        Assert.Equal(1, await redis.Db.StreamLengthAsync(redis.QueueKey(queue)));

        await jobs.TakeAsync(queue);
        await jobs.TakeAsync(queue);

        Assert.False(await redis.Db.KeyExistsAsync(line));
    }

    [Fact]
    public void EveryKeyOfAQueueIsInOneHashSlot()
    {
        var names = new RedisNames("switchboard:");
        string[] tags =
        [
            HashTag(names.Queue("default")),
            HashTag(names.Delayed("default")),
            HashTag(names.Line("default", "a-window-key")),
            HashTag(names.Line("default", "{another}")),
            HashTag(names.DeadLetters("default")),
        ];

        Assert.Equal(["q:default"], tags.Distinct());
        Assert.Equal("q:slow", HashTag(names.Queue("slow")));
        Assert.Equal("switchboard:{q:default}", (string?)names.Queue("default"));
    }

    /// <summary>What Redis Cluster hashes for a key's slot: the text between the first { and the next }, if not empty.</summary>
    private static string HashTag(RedisKey key)
    {
        var text = (string)key!;
        var open = text.IndexOf('{', StringComparison.Ordinal);
        var close = open < 0 ? -1 : text.IndexOf('}', open + 1);
        return close > open + 1 ? text[(open + 1)..close] : text;
    }

    [RedisFact]
    public async Task RequeuedDeadLetterOfAKeyGoesToTheEndOfItsLine()
    {
        var queue = NewQueueName();
        var jobs = StartProcess();
        await jobs.EnqueueAsync(Keyed(queue, "failed", "w"), default).DefaultTimeout();
        var failed = await jobs.DequeueAsync(queue, default).DefaultTimeout();
        await jobs.DeadLetterAsync(failed.Job, "boom", default).DefaultTimeout();
        await jobs.CompleteAsync(failed, default).DefaultTimeout();
        await jobs.EnqueueAsync(Keyed(queue, "later", "w"), default).DefaultTimeout();
        var later = await jobs.DequeueAsync(queue, default).DefaultTimeout();

        var letter = Assert.Single(await jobs.ListDeadLettersAsync(queue, 10, default).DefaultTimeout());
        Assert.True(await jobs.RequeueDeadLetterAsync(queue, letter.Id, default).DefaultTimeout());

        await jobs.AssertNothingAvailableAsync(queue, DateTimeOffset.UtcNow);
        await jobs.CompleteAsync(later, default).DefaultTimeout();
        var again = await jobs.TakeAsync(queue);
        Assert.Equal(("failed", 0, "w"), (again.Id, again.Attempt, again.OrderingKey));
    }

    private RedisJobQueue StartProcess(Action<SwitchboardRedisOptions>? configure = null, TimeProvider? time = null) =>
        _processes.Start(redis.Options(o =>
        {
            o.JobLease = Lease;
            o.LeaseRenewInterval = TimeSpan.FromMilliseconds(300);
            configure?.Invoke(o);
        }), time);

    private static SignalJob Keyed(string queue, string id, string key) => SampleJobs.Minimal(queue, id, DateTimeOffset.UtcNow, orderingKey: key);
}
