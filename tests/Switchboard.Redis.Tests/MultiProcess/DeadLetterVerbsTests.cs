using Switchboard.Redis.Internal;

namespace Switchboard.Redis.Tests.MultiProcess;

/// <summary>
/// The demo's <c>worker dead-letters list|requeue|delete</c> verbs, each a process of its own, against dead letters
/// written to a real Redis by a queue of this process; what they did is checked on the queue itself.
/// </summary>
public sealed class DeadLetterVerbsTests(RedisFixture redis) : IClassFixture<RedisFixture>, IAsyncLifetime
{
    private readonly RedisQueueProcesses _processes = new();
    private RedisJobQueue _queue = null!;
    private readonly string _prefix = $"verbs-{Guid.NewGuid():N}:";

    public Task InitializeAsync()
    {
        _queue = _processes.Start(TestRedis.Options(redis.Configuration, _prefix));
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _processes.DisposeAsync();

    [RedisFact]
    public async Task ListRequeueAndDeleteDeadLettersFromTheCommandLine()
    {
        foreach (var id in new[] { "job-a", "job-b", "job-c", "job-d" })
        {
            await _queue.DeadLetterAsync(RedisQueueProcesses.NewJob("default", id), "handler threw for " + id + "\nsecond line", default);
        }
        var letters = await _queue.ListDeadLettersAsync("default", 10, default);

        var list = await RunAsync(0, "list", "--queue", "default");
        Assert.Contains("queue default: 4 dead letters, 0 waiting, 0 leased, 0 delayed", list.Lines);
        Assert.Contains(list.Lines, l => l.Contains(letters[0].Id, StringComparison.Ordinal) && l.Contains("job job-a", StringComparison.Ordinal)
            && l.EndsWith("reason: handler threw for job-a | second line", StringComparison.Ordinal));
        var all = await RunAsync(0, "list");
        Assert.Contains(all.Lines, l => l.StartsWith("queue switchboard.deliveries: 0 dead letters", StringComparison.Ordinal));

        await RunAsync(0, "requeue", "--queue", "default", "--id", letters[1].Id);
        var lease = await _queue.DequeueAsync("default", default).DefaultTimeout();
        Assert.Equal(("job-b", 0), (lease.Job.Id, lease.Job.Attempt));
        await _queue.CompleteAsync(lease, default).DefaultTimeout();

        await RunAsync(0, "delete", "--queue", "default", "--id", letters[0].Id);
        var missing = await RunAsync(1, "delete", "--queue", "default", "--id", letters[0].Id);
        Assert.Contains($"queue default has no dead letter {letters[0].Id}", missing.Lines);
        Assert.Equal(["job-c", "job-d"], (await _queue.ListDeadLettersAsync("default", 10, default)).Select(l => l.Job?.Id));

        var deleted = await RunAsync(0, "delete", "--queue", "default", "--all");
        Assert.Contains("deleted 2 dead letters of queue default", deleted.Lines);
        Assert.Empty(await _queue.ListDeadLettersAsync("default", 10, default));

        await _queue.DeadLetterAsync(RedisQueueProcesses.NewJob("default", "job-e"), "r", default);
        var requeued = await RunAsync(0, "requeue", "--queue", "default", "--all");
        Assert.Contains("requeued 1 dead letters of queue default", requeued.Lines);
        Assert.Equal("job-e", (await _queue.DequeueAsync("default", default).DefaultTimeout()).Job.Id);
    }

    [RedisFact]
    public async Task ABadCommandLineIsRefusedWithItsUsage()
    {
        var noQueue = await RunAsync(2, "delete", "--all");
        Assert.Contains(noQueue.Lines, l => l.Contains("delete needs --queue", StringComparison.Ordinal));
        var both = await RunAsync(2, "requeue", "--queue", "default", "--id", "1-1", "--all");
        Assert.Contains(both.Lines, l => l.Contains("needs either --id ID or --all", StringComparison.Ordinal));
        var verb = await RunAsync(2, "purge");
        Assert.Contains(verb.Lines, l => l.Contains("unknown dead-letters verb 'purge'", StringComparison.Ordinal));
    }

    private async Task<DemoProcess> RunAsync(int expectedExit, params string[] verb)
    {
        var process = DemoProcess.Start("dead-letters " + verb[0],
            ["worker", "dead-letters", .. verb, "--Switchboard:Redis=" + redis.Configuration, "--Switchboard:RedisOptions:Prefix=" + _prefix]);
        await using (process)
        {
            var exit = await process.WaitForExitAsync(DemoCluster.StartTimeout);
            Assert.True(exit == expectedExit, $"exit code {exit}, expected {expectedExit}\n{process.Tail()}");
            return process;
        }
    }
}
