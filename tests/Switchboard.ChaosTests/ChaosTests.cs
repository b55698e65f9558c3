using System.Globalization;
using System.Text;

namespace Switchboard.ChaosTests;

/// <summary>
/// Issue 6, "chaos with real processes": a private redis-server (no persistence), two web nodes of the demo as real
/// processes, 12 windows on <c>/chat/lobby</c> (6 per node; all share the topic "room:lobby", key "-str.room:lobby")
/// implementing the client side of docs/protocol.md §7, and a publisher sending numbered messages to that topic the
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
/// Then a last "fence" message, which every window must run, closes the traffic, and every window checks its record
/// (see <see cref="Analyze"/> for what is counted). Bounded: about 20 s on a 2-core machine, each step at most 30 s.
/// </summary>
public sealed class ChaosTests(ITestOutputHelper output)
{
    private const string Prefix = "chaos:";

    /// <summary>The room topic as the page and the emitter serialize "room:lobby" (DefaultTopicSerializer: a string topic).</summary>
    private const string Topic = "-str.room:lobby";
    private const int WindowsPerNode = 6;
    private static readonly TimeSpan PublishInterval = TimeSpan.FromMilliseconds(15);
    private static readonly TimeSpan StepTimeout = TimeSpan.FromSeconds(30);

    [ChaosFact]
    public async Task WindowsRunEveryMessageOnceAndInOrderThroughCutsANodeKillAndARedisRestart()
    {
        var clock = Stopwatch.StartNew();
        await using var redis = await RedisServer.StartAsync();
        await using var processes = new ProcessSet(output);
        string[] redisArgs = ["--Switchboard:Redis=" + redis.Configuration, "--Switchboard:RedisOptions:Prefix=" + Prefix];
        var nodes = new NodeDirectory();
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        var startingA = processes.StartWebNodeAsync("web-A", redisArgs);
        var startingB = processes.StartWebNodeAsync("web-B", redisArgs);
        var (nodeA, a) = await startingA;
        var (nodeB, b) = await startingB;
        (nodes[0], nodes[1]) = (a, b);
        (names[a.Authority], names[b.Authority]) = ("A", "B");
        Log($"[{clock.Elapsed:mm\\:ss\\.f}] redis-server :{redis.Port} (no persistence), web-A {a}, web-B {b} up");

        // 12 windows, 6 per node; reconnect policy alternates per pair: switch to the other node when theirs is down,
        // or wait for their node slot to come back (A').
        var windows = await Task.WhenAll(Enumerable.Range(0, 2 * WindowsPerNode).Select(i =>
            ChaosWindow.OpenAsync(i, nodes, slot: i % 2, "/chat/lobby", Topic,
                i / 2 % 2 == 0 ? ReconnectPolicy.SwitchWhenDown : ReconnectPolicy.WaitForSameSlot)));
        try
        {
            var epoch1 = windows[0].Hellos[0].Epoch;
            Assert.All(windows, w => Assert.Equal(epoch1, w.Hellos[0].Epoch));
            Log($"[{clock.Elapsed:mm\\:ss\\.f}] {windows.Length} windows connected (topic id {windows[0].LobbyId}, epoch {epoch1}, seq {windows[0].Hellos[0].Seq})");

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
                await Task.WhenAll(windows.Select(w => w.WaitUntilAsync(x => x.Runs.Any(r => r.Epoch is not null && r.Epoch != epoch1),
                    "running a message of the new epoch", StepTimeout)));
                var recoveredAt = clock.Elapsed;
                Log($"[{clock.Elapsed:mm\\:ss\\.f}] every window runs messages of the new epoch; window 11 (cut in the outage): " +
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
                    await Task.WhenAll(cut.Select(w => w.WaitUntilAsync(x => x.Runs.Any(r => r.Batch == "p" && r.N > lastN + 10),
                        "running messages sent after the cut", StepTimeout)));
                    Log($"[{clock.Elapsed:mm\\:ss\\.f}] fault 4: cut windows {string.Join(",", cut.Select(w => w.Index))} after the Redis restart: " +
                        string.Join(", ", cut.Select(w => $"{w.Index}: hellos {string.Join(" ", w.Hellos.Skip(hellos[w]).Select(h => $"{names.GetValueOrDefault(h.Node.Authority)} recovered {h.Recovered?.ToString() ?? "null"} room pos {(h.Seq < 0 ? "absent" : h.Seq.ToString(CultureInfo.InvariantCulture))}"))}, page reloads {w.Reloads}")));
                    await Task.Delay(1000);
                }

                // The end: the publisher stops, then one last message, which every window must run (it follows everything).
                await stopPublishing.CancelAsync();
                await publishing;
                await publisher.PublishAsync("fence", 1);
                await Task.WhenAll(windows.Select(w => w.WaitUntilAsync(x => x.Runs.Any(r => r.Batch == "fence"), "running the fence message", StepTimeout)));
                Log($"[{clock.Elapsed:mm\\:ss\\.f}] fence message run by every window");

                var failures = Analyze(windows, publisher.Sent, processes.Emitted, epoch1, names, stopAt, restartedAt, recoveredAt);
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

    /// <summary>
    /// The checks and counts. A message is identified by its batch and number (<c>b</c>, <c>n</c>) and has one position
    /// [seq, epoch] in the room topic (the union of what the windows ran; the same message must have the same position
    /// everywhere). Epoch 1 is the topic's epoch before the Redis restart, epoch 2 after.
    /// <list type="bullet">
    /// <item>sent: messages the publisher and the emitter were asked to send; "not published" = the publisher's call during
    /// which its node logged event 1201 (Redis unreachable): never sequenced, no window can get it.</item>
    /// <item>Per window, expected = every position after the window's first <c>hello.pos</c> up to the highest position
    /// any window ran, in each epoch. Missing expected positions are "unrecoverable (Redis restart)" when they are in epoch
    /// 1 after the last epoch-1 position the window had when it was told it could not recover (<c>recovered</c> false /
    /// the epoch change) and were published at most 3 s before Redis stopped; "unrecoverable (topic list)" when they lie
    /// between the window's last position and the first hello of the page it reloaded because its room topic was gone
    /// from <c>hello.pos</c> (window topic lists are in Redis too); any other missing position is a gap.</item>
    /// <item>duplicates: a message the window's ordering ran twice (before any signal_id de-duplication); order: within an
    /// epoch, runs in increasing seq; epochs never go back.</item>
    /// <item>replayed: runs of frames that came before hello (connect.resume replay) or below the highest position already
    /// arrived on that connection (the replay after a <c>resume</c>); "dropped" frames are replays overlapping live ones
    /// that the ordering discarded as already seen.</item>
    /// </list>
    /// </summary>
    private List<string> Analyze(IReadOnlyList<ChaosWindow> windows, IReadOnlyList<SentMessage> sent, IReadOnlyList<(string Batch, int Count, int Failed)> emitted,
        string epoch1, Dictionary<string, string> names, TimeSpan stopAt, TimeSpan restartedAt, TimeSpan recoveredAt)
    {
        var failures = new List<string>();
        var positions = new Dictionary<(string, int), (long Seq, string Epoch)>();
        var byPosition = new Dictionary<(long, string), (string, int)>();
        foreach (var window in windows)
        {
            foreach (var run in window.Runs.Where(r => r.Epoch is not null))
            {
                var key = (run.Batch, run.N);
                var position = (run.Seq, run.Epoch!);
                if (positions.TryGetValue(key, out var known) && known != position)
                {
                    failures.Add($"window {window.Index}: {run.Batch}-{run.N} at [{run.Seq}, {run.Epoch}], elsewhere at [{known.Seq}, {known.Epoch}]");
                }
                positions.TryAdd(key, position);
                if (byPosition.TryGetValue(position, out var other) && other != key)
                {
                    failures.Add($"window {window.Index}: [{run.Seq}, {run.Epoch}] is {run.Batch}-{run.N}, elsewhere {other.Item1}-{other.Item2}");
                }
                byPosition.TryAdd(position, key);
            }
        }
        var epochs = windows.SelectMany(w => w.Runs).Where(r => r.Epoch is not null).Select(r => r.Epoch!).Distinct().ToList();
        epochs.Remove(epoch1);
        epochs.Insert(0, epoch1);
        if (epochs.Count != 2)
        {
            failures.Add($"expected 2 epochs of the topic (before and after the Redis restart), saw {epochs.Count}: {string.Join(", ", epochs)}");
        }
        var maxSeq = epochs.ToDictionary(e => e, e => positions.Values.Where(p => p.Epoch == e).Select(p => p.Seq).DefaultIfEmpty(0).Max());
        foreach (var epoch in epochs)
        {
            var seen = positions.Values.Where(p => p.Epoch == epoch).Select(p => p.Seq).ToHashSet();
            var from = epoch == epoch1 ? windows.Min(w => w.Hellos[0].Seq) + 1 : 1;
            var holes = Enumerable.Range((int)from, Math.Max(0, (int)(maxSeq[epoch] - from + 1))).Count(s => !seen.Contains(s));
            if (holes > 0)
            {
                failures.Add($"epoch {epoch}: {holes} positions between {from} and {maxSeq[epoch]} that no window ran");
            }
        }

        // Messages sent.
        var published = sent.Where(m => m.Published).ToList();
        var notPublished = sent.Where(m => !m.Published).ToList();
        var publishedUnseen = published.Where(m => !positions.ContainsKey((m.Batch, m.N))).ToList();
        var lostWithRestart = publishedUnseen.Where(m => m.End >= stopAt - TimeSpan.FromSeconds(3) && m.Start <= recoveredAt).ToList();
        foreach (var m in publishedUnseen.Except(lostWithRestart))
        {
            failures.Add($"{m.Batch}-{m.N}, published at {m.End.TotalSeconds:0.00} s (Redis up), was run by no window");
        }
        var failedButSequenced = notPublished.Count(m => positions.ContainsKey((m.Batch, m.N)));
        var emittedTotal = emitted.Sum(e => e.Count);
        foreach (var (batch, count, failed) in emitted)
        {
            var got = Enumerable.Range(1, count).Count(n => positions.ContainsKey((batch, n)));
            if (got != count - failed)
            {
                failures.Add($"emitter batch {batch}: {count} sent, {failed} failed, {got} run by some window");
            }
        }
        Log($"sent: {sent.Count + emittedTotal} messages — publisher {sent.Count} (every {PublishInterval.TotalMilliseconds:0} ms + 1 fence; " +
            $"{notPublished.Count} not published: Redis unreachable during the call, {failedButSequenced} of them sequenced anyway), " +
            $"emitter process {emittedTotal} ({string.Join(", ", emitted.Select(e => $"{e.Batch}: {e.Count}, {e.Failed} failed"))})");
        Log($"sequenced (run by some window): {positions.Count} — epoch 1 ({epoch1}) up to seq {maxSeq[epoch1]}, " +
            string.Join(", ", epochs.Skip(1).Select(e => $"epoch 2 ({e}) up to seq {maxSeq[e]}")) +
            $"; published but run by no window: {publishedUnseen.Count} (lost with the Redis restart: {lostWithRestart.Count})");
        var inOutage = sent.Where(m => m.Start < restartedAt && m.End > stopAt).ToList();
        Log($"Redis stopped at {stopAt.TotalSeconds:0.0} s, started again at {restartedAt.TotalSeconds:0.0} s, every window in the new epoch at {recoveredAt.TotalSeconds:0.0} s; " +
            $"publisher calls in flight during the outage: {inOutage.Count} ({string.Join(", ", inOutage.Select(m => $"{m.Batch}-{m.N}: {(m.End - m.Start).TotalMilliseconds:0} ms, " +
                (positions.TryGetValue((m.Batch, m.N), out var p) ? $"sequenced at [{p.Seq}, epoch {epochs.IndexOf(p.Epoch) + 1}]" : m.Published ? "published, run by no window" : "failed (1201)")))})");

        // Per window.
        var sentAt = sent.ToDictionary(m => (m.Batch, m.N));
        var totals = new long[10];
        var totalUnrecoverable = new long[2];
        var (totalDuplicates, totalGaps) = (0, 0);
        Log("window  nodes            ran  live c-replay r-replay dropped reconn cuts resumes res-false hello-false dups gaps unrecoverable");
        foreach (var window in windows)
        {
            var runs = window.Runs;
            var hellos = window.Hellos;
            var losses = window.Losses;
            var sequenced = runs.Where(r => r.Epoch is not null).ToList();
            var duplicates = runs.Count - runs.Select(r => (r.Batch, r.N)).Distinct().Count();
            if (duplicates > 0)
            {
                failures.Add($"window {window.Index}: {duplicates} message(s) run twice");
            }
            if (runs.Count != sequenced.Count)
            {
                failures.Add($"window {window.Index}: {runs.Count - sequenced.Count} message(s) without a position (unsequenced)");
            }
            // Order: increasing seq within an epoch, epochs in order.
            var (epochIndex, lastSeq) = (0, long.MinValue);
            foreach (var run in sequenced)
            {
                var index = epochs.IndexOf(run.Epoch!);
                if (index < epochIndex || (index == epochIndex && run.Seq <= lastSeq))
                {
                    failures.Add($"window {window.Index}: {run.Batch}-{run.N} [{run.Seq}, {run.Epoch}] run after [{lastSeq}, {epochs[epochIndex]}]");
                    break;
                }
                (epochIndex, lastSeq) = (index, run.Seq);
            }
            // Gaps and unrecoverable messages.
            var ran = sequenced.Select(r => (r.Seq, r.Epoch!)).ToHashSet();
            var gaps = new List<(long, string)>();
            var lostWithHistory = new List<(long, string)>();
            var lostWithTopics = new List<(long, string)>();
            foreach (var epoch in epochs)
            {
                var from = epoch == epoch1 ? hellos[0].Seq + 1 : 1;
                for (var seq = from; seq <= maxSeq[epoch]; seq++)
                {
                    if (ran.Contains((seq, epoch)))
                    {
                        continue;
                    }
                    // Lost with the Redis restart: in the old epoch, after the window's last position there, and published
                    // at most 3 s before Redis stopped (the window was told: resumed/hello recovered false).
                    if (epoch == epoch1 && losses.Any(l => l.FromEpoch == epoch && l.ToEpoch != epoch && seq > l.FromSeq)
                        && byPosition.TryGetValue((seq, epoch), out var key)
                        && (!sentAt.TryGetValue(key, out var m) || m.End >= stopAt - TimeSpan.FromSeconds(3)))
                    {
                        lostWithHistory.Add((seq, epoch));
                    }
                    // Lost with the window's topic list (in Redis): between its last position and the reloaded page's hello.
                    else if (losses.Any(l => l.Reason == ChaosWindow.ReloadReason && Between(l, seq, epoch)))
                    {
                        lostWithTopics.Add((seq, epoch));
                    }
                    else
                    {
                        gaps.Add((seq, epoch));
                    }
                }
            }
            var unrecoverable = lostWithHistory.Count + lostWithTopics.Count;
            if (gaps.Count > 0)
            {
                failures.Add($"window {window.Index}: {gaps.Count} gap(s), e.g. {string.Join(", ", gaps.Take(5).Select(g => $"[{g.Item1}, {g.Item2}]"))}; " +
                             $"losses reported: {string.Join("; ", losses)}; {window.Describe()}");
            }
            foreach (var loss in losses.Where(l => l.FromEpoch == l.ToEpoch && l.Reason != ChaosWindow.ReloadReason))
            {
                failures.Add($"window {window.Index}: gave up within one epoch ({loss}) — the history should have had it");
            }
            if (window.EmptyEpochs is { Count: > 0 } empty)
            {
                failures.Add($"window {window.Index}: hello.pos gave positions without an epoch: {string.Join(", ", empty)}");
            }
            if (window.ErrorFrames > 0)
            {
                failures.Add($"window {window.Index}: {window.ErrorFrames} error frame(s); {window.Describe()}");
            }
            if (window.Fatal is not null)
            {
                failures.Add($"window {window.Index}: {window.Fatal}");
            }
            var path = string.Join(">", hellos.Select(h => names.GetValueOrDefault(h.Node.Authority, h.Node.Authority)));
            int[] row =
            [
                runs.Count, runs.Count(r => r.Via == Via.Live), runs.Count(r => r.Via == Via.ConnectReplay), runs.Count(r => r.Via == Via.ResumeReplay),
                window.DroppedSeen, hellos.Count - 1, window.Cuts, window.ResumesSent, window.ResumedFalse + window.ResumeTimeouts, window.HelloNotRecovered,
            ];
            for (var i = 0; i < totals.Length; i++)
            {
                totals[i] += row[i];
            }
            (totalDuplicates, totalGaps) = (totalDuplicates + duplicates, totalGaps + gaps.Count);
            totalUnrecoverable[0] += lostWithHistory.Count;
            totalUnrecoverable[1] += lostWithTopics.Count;
            var why = new List<string>();
            if (lostWithHistory.Count > 0)
            {
                why.Add($"{lostWithHistory.Count} lost with the history: epoch 1 after seq {lostWithHistory.Min(u => u.Item1) - 1}");
            }
            if (lostWithTopics.Count > 0)
            {
                why.Add($"{lostWithTopics.Count} lost with the topic list: while reloading");
            }
            why.AddRange(losses.Select(l => l.Reason).Distinct().Select(r => "told: " + r));
            Log($"{window.Index,6}  {path,-15} {row[0],5} {row[1],5} {row[2],8} {row[3],8} {row[4],7} {row[5],6} {row[6],4} {row[7],7} {row[8],9} {row[9],11} " +
                $"{duplicates,4} {gaps.Count,4} {unrecoverable,4}{(why.Count > 0 ? $" ({string.Join("; ", why)})" : "")}");
        }
        Log($"totals  {"",-15} {totals[0],5} {totals[1],5} {totals[2],8} {totals[3],8} {totals[4],7} {totals[5],6} {totals[6],4} {totals[7],7} {totals[8],9} {totals[9],11}" +
            $" {totalDuplicates,4} {totalGaps,4} {totalUnrecoverable[0] + totalUnrecoverable[1],4} ({totalUnrecoverable[0]} lost with the Redis history, {totalUnrecoverable[1]} lost with the window topic lists)");
        Log("columns: ran = demo.chat.message frames the §7 ordering handed to the page; live/c-replay/r-replay = how they came " +
            "(live, replayed before hello after connect.resume, replayed after a resume); dropped = frames discarded as already seen; " +
            "reconn = handshakes after the first; resumes = resume frames sent on a live gap; res-false = resumed false or timed out; " +
            "hello-false = hello.recovered false");
        return failures;
    }

    /// <summary>Whether position [seq, epoch] lies after the loss's From and at or before its To.</summary>
    private static bool Between(LossReport loss, long seq, string epoch) =>
        loss.FromEpoch == loss.ToEpoch
            ? epoch == loss.FromEpoch && seq > loss.FromSeq && seq <= loss.ToSeq
            : (epoch == loss.FromEpoch && seq > loss.FromSeq) || (epoch == loss.ToEpoch && seq <= loss.ToSeq);

    private static string Hellos(IEnumerable<ChaosWindow> windows, Dictionary<string, string> names) =>
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

/// <summary>The demo processes of the test; disposing kills them and writes their warnings and errors to the output.</summary>
internal sealed class ProcessSet(ITestOutputHelper output) : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);
    private readonly List<DemoProcess> _processes = [];
    private readonly List<(string, int, int)> _emitted = [];

    public IReadOnlyList<DemoProcess> WebNodes
    {
        get
        {
            lock (_processes)
            {
                return [.. _processes.Where(p => p.Name.StartsWith("web-", StringComparison.Ordinal))];
            }
        }
    }

    /// <summary>Emitter batches run: batch id, messages, messages whose publish failed (event 1201 in its output).</summary>
    public IReadOnlyList<(string Batch, int Count, int Failed)> Emitted
    {
        get
        {
            lock (_emitted)
            {
                return [.. _emitted];
            }
        }
    }

    public async Task<(DemoProcess Process, Uri Address)> StartWebNodeAsync(string name, string[] options)
    {
        var process = Start(name, ["--urls", "http://127.0.0.1:0", .. options]);
        return (process, await process.WaitForListeningAsync(StartTimeout));
    }

    /// <summary>Runs the demo's console emitter: <paramref name="count"/> x demo.chat.message to "room:lobby", numbered, batch <paramref name="batch"/>.</summary>
    public async Task EmitAsync(string batch, int count, string[] options)
    {
        var kwargs = JsonSerializer.Serialize(new { room = "lobby", text = "emitted", b = batch });
        var process = Start("emitter-" + batch,
            ["emit", ChaosWindow.ChatSignal, "--to", "room:lobby", "--kwargs", kwargs, "--count", count.ToString(CultureInfo.InvariantCulture), .. options]);
        var exit = await process.WaitForExitAsync(StartTimeout);
        Assert.True(exit == 0, $"the emitter exited with {exit}\n{process.Tail()}");
        Assert.Contains($"emitted {count} x {ChaosWindow.ChatSignal}", process.Lines);
        var failed = process.Lines.Count(l => l.Contains("[1201]", StringComparison.Ordinal));
        lock (_emitted)
        {
            _emitted.Add((batch, count, failed));
        }
    }

    public async ValueTask DisposeAsync()
    {
        List<DemoProcess> all;
        lock (_processes)
        {
            all = [.. _processes];
        }
        await Task.WhenAll(all.Select(p => p.DisposeAsync().AsTask()));
        foreach (var process in all)
        {
            var notable = process.Lines.Where(l => l.StartsWith("warn:", StringComparison.Ordinal) || l.StartsWith("fail:", StringComparison.Ordinal)
                || l.StartsWith("crit:", StringComparison.Ordinal) || l.StartsWith("stderr:", StringComparison.Ordinal)).ToList();
            if (notable.Count == 0)
            {
                continue;
            }
            var text = new StringBuilder($"--- {process.Name} (pid {process.Id}): {notable.Count} warnings/errors, first 10 ---");
            foreach (var line in notable.Take(10))
            {
                text.Append('\n').Append(line.Length <= 300 ? line : line[..300] + "…");
            }
            try
            {
                output.WriteLine(text.ToString());
            }
            catch (InvalidOperationException)
            {
                // No test running any more.
            }
        }
    }

    private DemoProcess Start(string name, string[] args)
    {
        var process = DemoProcess.Start(name, args);
        lock (_processes)
        {
            _processes.Add(process);
        }
        return process;
    }
}
