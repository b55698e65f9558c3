namespace Switchboard.ChaosTests;

// The chaos test's final check, in a file of its own: what the windows ran, counted against what was sent.
public sealed partial class ChaosTests
{
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
}
