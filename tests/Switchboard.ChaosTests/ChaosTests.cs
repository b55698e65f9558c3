using System.Globalization;

namespace Switchboard.ChaosTests;

/// <summary>
/// Issue 6, "chaos with real processes": a private redis-server (no persistence), two web nodes of the demo as real
/// processes, 12 pages on <c>/chat/lobby</c> (6 per node; all share the room topic, the record <c>ChatRoom("lobby")</c>, key <see cref="Topic"/>),
/// each a window of the test client (Switchboard.Testing) that reconnects and resumes (<see cref="ChaosPage"/>), and a publisher sending numbered messages to that topic the
/// whole time (plus two batches from the demo's console emitter process). Faults during traffic, in sequence:
/// <list type="number">
/// <item>client connections cut abruptly (8 windows, in two rounds; half reconnect to the other node, the second round
/// stays offline 2 s): they resume with <c>connect.resume</c>;</item>
/// <item>web node A killed with SIGKILL and a new node A' started: A's windows reconnect with the same token, half to B
/// at once, half to A' once it is up, and resume;</item>
/// <item>Redis shut down (nosave) and started again, empty, on the same port, with one window cut during the outage:
/// nodes reconnect by themselves; the topic's history and epoch are lost, windows see a new epoch (a live gap: resume,
/// <c>resumed</c> recovered false) and continue from it;</item>
/// <item>two more windows cut after the restart: the window topic lists were in Redis too, so their room topic is gone
/// from <c>hello.pos</c> (recovered false) and they reload the page, as docs/delivery.md tells pages to do on
/// <c>df.resync</c>. (If the topic lists ever survive a restart, they simply resume.)</item>
/// </list>
/// Then a last "fence" message, which every page must get with everything before it, closes the traffic. The checks are
/// on the server's side: what it delivered to each page, live and in replays (<see cref="ChaosAnalysis"/>) — the JS
/// client's ordering is tested by clients/js/test/ordering.test.js. Bounded: about 20 s on a 2-core machine, each step at
/// most 30 s.
/// </summary>
public sealed class ChaosTests(ITestOutputHelper output)
{
    private const string Prefix = "chaos:";

    /// <summary>The room topic's key as the page and the emitter serialize <c>ChatRoom("lobby")</c> (DefaultTopicSerializer: a record).</summary>
    internal static readonly string Topic = DemoRoom.Key("lobby");
    private const int WindowsPerNode = 6;
    internal static readonly TimeSpan PublishInterval = TimeSpan.FromMilliseconds(15);
    private static readonly TimeSpan StepTimeout = TimeSpan.FromSeconds(30);

    [ChaosFact]
    public async Task EveryMessageReachesEveryWindowInOrderThroughCutsANodeKillAndARedisRestart()
    {
        var clock = Stopwatch.StartNew();
        await using var redis = await RedisServer.StartAsync();
        await using var processes = new ProcessSet(output);
        // No presence in the room: its change signals would take positions of the room topic that are no chat line.
        string[] redisArgs = ["--Switchboard:Redis=" + redis.Configuration, "--Switchboard:RedisOptions:Prefix=" + Prefix, "--Demo:Presence=false"];
        var nodes = new NodeDirectory();
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        var startingA = processes.StartWebNodeAsync("web-A", redisArgs);
        var startingB = processes.StartWebNodeAsync("web-B", redisArgs);
        var (nodeA, a) = await startingA;
        var (nodeB, b) = await startingB;
        (nodes[0], nodes[1]) = (a, b);
        (names[a.Authority], names[b.Authority]) = ("A", "B");
        Log($"[{clock.Elapsed:mm\\:ss\\.f}] redis-server :{redis.Port} (no persistence), web-A {a}, web-B {b} up");

        // 12 pages, 6 per node; reconnect policy alternates per pair: switch to the other node when theirs is down,
        // or wait for their node slot to come back (A').
        var windows = await Task.WhenAll(Enumerable.Range(0, 2 * WindowsPerNode).Select(i =>
            ChaosPage.OpenAsync(i, nodes, slot: i % 2, "/chat/lobby",
                i / 2 % 2 == 0 ? ReconnectPolicy.SwitchWhenDown : ReconnectPolicy.WaitForSameSlot)));
        try
        {
            var epoch1 = windows[0].Hellos[0].Epoch;
            Assert.All(windows, w => Assert.Equal(epoch1, w.Hellos[0].Epoch));
            Log($"[{clock.Elapsed:mm\\:ss\\.f}] {windows.Length} windows connected (topic id {windows[0].RoomId}, epoch {epoch1}, seq {windows[0].Hellos[0].Seq})");

            await using var publisher = await Publisher.StartAsync(redis.Configuration, Prefix, clock);
            using var stopPublishing = new CancellationTokenSource();
            var publishing = Task.Run(() => publisher.RunAsync("p", PublishInterval, stopPublishing.Token));
            try
            {
                await Task.Delay(1500);
                var emitting1 = processes.EmitAsync("e1", 20, redisArgs);

                // Fault 1: cuts. Round 1: windows 0-3 cut, reconnect at once (0, 1 to the same node, 2, 3 to the other);
                // round 2: windows 4-7, offline 2 s before reconnecting (4, 5 same node, 6, 7 the other).
                foreach (var (round, first, offline) in new[] { (1, 0, TimeSpan.Zero), (2, 4, TimeSpan.FromSeconds(2)) })
                {
                    var cut = windows.Skip(first).Take(4).ToList();
                    var hellos = cut.ToDictionary(w => w, w => w.HelloCount);
                    for (var k = 0; k < cut.Count; k++)
                    {
                        cut[k].Cut(toOtherNode: k >= 2, offline);
                    }
                    await Task.WhenAll(cut.Select(w => w.WaitUntilAsync(x => x.HelloCount > hellos[w], "reconnected after the cut", StepTimeout)));
                    Log($"[{clock.Elapsed:mm\\:ss\\.f}] fault 1.{round}: cut windows {string.Join(",", cut.Select(w => w.Index))} " +
                        $"(offline {offline.TotalSeconds:0} s): all resumed; hellos {Hellos(cut, names)}");
                    await Task.Delay(1000);
                }
                // Round 3, a storm: for 3 s, a random window is cut every 100-200 ms (seeded), to a random node, often while it
                // is still catching up from its previous cut.
                {
                    var random = new Random(6);
                    var storm = Stopwatch.StartNew();
                    var cuts = 0;
                    while (storm.Elapsed < TimeSpan.FromSeconds(3))
                    {
                        windows[random.Next(windows.Length)].Cut(toOtherNode: random.Next(2) == 0);
                        cuts++;
                        await Task.Delay(random.Next(100, 200));
                    }
                    await Task.WhenAll(windows.Select(w => w.WaitUntilAsync(x => x.IsLive, "live after the storm", StepTimeout)));
                    Log($"[{clock.Elapsed:mm\\:ss\\.f}] fault 1.3: storm of {cuts} cuts in 3 s: all windows live again");
                    await Task.Delay(1000);
                }
                await emitting1;

                // Fault 2: SIGKILL web node A; its windows reconnect to B (switching ones) or to A' (waiting ones).
                var onA = windows.Where(w => w.Slot == 0).ToList();
                var hellosBeforeKill = windows.ToDictionary(w => w, w => w.HelloCount);
                nodes[0] = null;
                await nodeA.KillAsync();
                Log($"[{clock.Elapsed:mm\\:ss\\.f}] fault 2: web-A killed (SIGKILL) with windows {string.Join(",", onA.Select(w => w.Index))}");
                var (_, a2) = await processes.StartWebNodeAsync("web-A2", redisArgs);
                names[a2.Authority] = "A'";
                nodes[0] = a2;
                await Task.WhenAll(onA.Select(w => w.WaitUntilAsync(x => x.HelloCount > hellosBeforeKill[w], "reconnected after the kill", StepTimeout)));
                Log($"[{clock.Elapsed:mm\\:ss\\.f}] web-A' {a2} up; A's windows resumed: {Hellos(onA, names)}");
                await Task.Delay(1500);

                // Fault 3: Redis restarted without persistence during traffic.
                var restoredBefore = RestoredLines(processes);
                var stopAt = clock.Elapsed;
                await redis.StopAsync();
                // One window is also cut while Redis is down: its node cannot read its topic list until Redis is back.
                var cutInOutage = windows[11];
                var hellosBeforeOutageCut = cutInOutage.HelloCount;
                cutInOutage.Cut(toOtherNode: false);
                Log($"[{clock.Elapsed:mm\\:ss\\.f}] fault 3: redis-server shut down (nosave); window 11 cut meanwhile");
                await Task.Delay(1000);
                await redis.StartAgainAsync();
                Log($"[{clock.Elapsed:mm\\:ss\\.f}] redis-server started again, empty, on :{redis.Port}");
                var restartedAt = clock.Elapsed;
                await WaitAsync(() => RestoredLines(processes) >= restoredBefore + 2, "both web nodes logging a restored Redis connection");
                Log($"[{clock.Elapsed:mm\\:ss\\.f}] both nodes reconnected to Redis");
                await Task.WhenAll(windows.Select(w => w.WaitUntilAsync(x => x.Delivered(d => d.Epoch is not null && d.Epoch != epoch1),
                    "getting a message of the new epoch", StepTimeout)));
                var recoveredAt = clock.Elapsed;
                Log($"[{clock.Elapsed:mm\\:ss\\.f}] every window gets messages of the new epoch; window 11 (cut in the outage): " +
                    string.Join(", ", cutInOutage.Hellos.Skip(hellosBeforeOutageCut).Select(h => $"hello on {names.GetValueOrDefault(h.Node.Authority)} recovered {h.Recovered?.ToString() ?? "null"} room pos {(h.Seq < 0 ? "absent" : h.Seq.ToString(CultureInfo.InvariantCulture))}")) +
                    $", connect failures {cutInOutage.ConnectFailures}, closes [{string.Join(", ", cutInOutage.Closes)}], page reloads {cutInOutage.Reloads}");
                await processes.EmitAsync("e2", 20, redisArgs);
                await Task.Delay(1000);

                // Fault 4: cuts after the Redis restart. The nodes still accept the windows' tokens (their Data Protection key
                // ring is cached), but the window topic lists were in Redis: a window whose room topic is gone from hello.pos
                // (recovered false) does what docs/delivery.md tells pages to do on df.resync — it reloads.
                {
                    var cut = windows.Skip(8).Take(2).ToList();
                    var lastN = publisher.Sent[^1].N;
                    var hellos = cut.ToDictionary(w => w, w => w.HelloCount);
                    cut[0].Cut(toOtherNode: false);
                    cut[1].Cut(toOtherNode: true);
                    await Task.WhenAll(cut.Select(w => w.WaitUntilAsync(x => x.Delivered(d => d.Batch == "p" && d.N > lastN + 10),
                        "getting messages sent after the cut", StepTimeout)));
                    Log($"[{clock.Elapsed:mm\\:ss\\.f}] fault 4: cut windows {string.Join(",", cut.Select(w => w.Index))} after the Redis restart: " +
                        string.Join(", ", cut.Select(w => $"{w.Index}: hellos {string.Join(" ", w.Hellos.Skip(hellos[w]).Select(h => $"{names.GetValueOrDefault(h.Node.Authority)} recovered {h.Recovered?.ToString() ?? "null"} room pos {(h.Seq < 0 ? "absent" : h.Seq.ToString(CultureInfo.InvariantCulture))}"))}, page reloads {w.Reloads}")));
                    await Task.Delay(1000);
                }

                // The end: the publisher stops, then one last message, which every window must get, and everything before it:
                // its room cursor reaches the fence once every earlier position was delivered or declared lost by the server.
                await stopPublishing.CancelAsync();
                await publishing;
                await publisher.PublishAsync("fence", 1);
                await Task.WhenAll(windows.Select(w => w.WaitUntilAsync(x => x.CaughtUpWith(d => d.Batch == "fence"),
                    "getting the fence message and everything before it", StepTimeout)));
                Log($"[{clock.Elapsed:mm\\:ss\\.f}] fence message and everything before it delivered to every window");

                var failures = new ChaosAnalysis(Log).Check(windows, publisher.Sent, processes.Emitted, epoch1, names, stopAt, restartedAt, recoveredAt);
                Assert.True(failures.Count == 0, "chaos check failed:\n" + string.Join("\n", failures));
            }
            finally
            {
                // On a failure too: no publisher call may outlive the test.
                await stopPublishing.CancelAsync();
                await publishing.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
        finally
        {
            foreach (var window in windows)
            {
                await window.DisposeAsync();
            }
        }
    }

    private static string Hellos(IEnumerable<ChaosPage> windows, Dictionary<string, string> names) =>
        string.Join(", ", windows.Select(w =>
        {
            var h = w.Hellos[^1];
            return $"{w.Index}→{names.GetValueOrDefault(h.Node.Authority, h.Node.Authority)} (replayed {h.ReplayedBeforeHello}, recovered {h.Recovered?.ToString() ?? "null"})";
        }));

    private static int RestoredLines(ProcessSet processes) =>
        processes.WebNodes.Where(p => !p.HasExited).Sum(p => p.Lines.Count(l => l.Contains("RedisConnection[4002]", StringComparison.Ordinal)
                                                                             && l.Contains("connection switchboard to", StringComparison.Ordinal)));

    private static async Task WaitAsync(Func<bool> condition, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > StepTimeout)
            {
                throw new TimeoutException($"Still waiting for {what} after {StepTimeout}.");
            }
            await Task.Delay(50);
        }
    }

    private void Log(string line)
    {
        try
        {
            output.WriteLine(line);
        }
        catch (InvalidOperationException)
        {
            // No test running any more.
        }
    }
}
