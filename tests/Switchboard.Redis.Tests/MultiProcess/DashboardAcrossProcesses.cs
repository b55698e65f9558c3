using System.Net;

namespace Switchboard.Redis.Tests.MultiProcess;

/// <summary>
/// The dashboard across processes: a staff user's dashboard window on web node A receives the snapshots of A, of web
/// node B and of the worker process (which maps no dashboard), each naming its own process, and the queues' statistics
/// with a dead letter queued in Redis. One subclass per deployment: one server, the Redis Cluster, Sentinel.
/// </summary>
public abstract class DashboardAcrossProcesses<TFixture>(TFixture redis, ITestOutputHelper output) : IClassFixture<TFixture>
    where TFixture : RedisFixture
{
    [Fact]
    public async Task ADashboardOnOneNodeSeesEveryProcessThroughRedis()
    {
        await using var cluster = new DemoCluster(redis.Configuration, redis.Prefix + "dashboard:", output);
        var (processA, a, processB, b, worker) = await cluster.StartTwoWebNodesAndWorkerAsync("default");
        await cluster.OpenWindowAsync(b, "/chat/lobby");

        var options = new TestWindowOptions { Timeout = DemoCluster.FrameTimeout, Name = "dashboard" };
        using (var http = new HttpClient(new HttpClientHandler { CookieContainer = options.Cookies, AllowAutoRedirect = false }))
        {
            using var login = await http.GetAsync(new Uri(a, "/login?name=bob&staff=true"));
            Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        }
        var init = await PageInit.LoadAsync(new Uri(a, "/switchboard/dashboard"), options);
        await using var dashboard = await TestWindow.ConnectAsync(init.SocketUriFor(a), init.Token, options);

        foreach (var pid in new[] { processA.Id, processB.Id, worker.Id })
        {
            var snapshot = await dashboard.NextSignalAsync("switchboard.dashboard.node", o => o.Str("node")!.Contains($"/{pid}/", StringComparison.Ordinal));
            output.WriteLine("snapshot: " + snapshot.GetProperty("opts"));
        }
        var fromB = await dashboard.NextSignalAsync("switchboard.dashboard.node", o => o.Str("node")!.Contains($"/{processB.Id}/", StringComparison.Ordinal));
        Assert.Contains(fromB.GetProperty("opts").GetProperty("topTopics").EnumerateArray(), t => t.Str("topic") == DemoRoom.Key("lobby"));
        var fromWorker = await dashboard.NextSignalAsync("switchboard.dashboard.node", o => o.Str("node")!.Contains($"/{worker.Id}/", StringComparison.Ordinal));
        Assert.Contains(fromWorker.GetProperty("opts").GetProperty("queues").EnumerateArray(), q => q.Str("name") == "default" && q.GetProperty("workers").GetInt32() > 0);

        await using var processes = new RedisQueueProcesses();
        var queue = processes.Start(TestRedis.Options(redis.Configuration, cluster.Prefix));
        await queue.DeadLetterAsync(RedisQueueProcesses.NewJob("default", "dashboard-1"), "failed for the dashboard", default);
        var queues = await dashboard.NextSignalAsync("switchboard.dashboard.queues", o =>
            o.GetProperty("queues").EnumerateArray().Any(q => q.Str("name") == "default" && q.GetProperty("deadLetters").GetInt64() == 1));
        var letter = queues.GetProperty("opts").GetProperty("queues").EnumerateArray().Single(q => q.Str("name") == "default").GetProperty("deadLetterList")[0];
        Assert.Equal("failed for the dashboard", letter.Str("reason"));
    }
}
