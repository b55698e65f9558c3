namespace Switchboard.ChaosTests;

/// <summary>The per-page part of <see cref="ChaosAnalysis"/>: gaps, losses, broken connection rules, and the table of counts.</summary>
internal sealed class PageReport(Action<string> log)
{
    public void CheckPages(List<string> failures, IReadOnlyList<ChaosPage> pages, IReadOnlyList<SentMessage> sent, List<string> epochs,
        Dictionary<string, long> maxSeq, Dictionary<(long, string), (string, int)> byPosition, string epoch1, Dictionary<string, string> names, TimeSpan stopAt)
    {
        var sentAt = sent.ToDictionary(m => (m.Batch, m.N));
        var totals = new long[11];
        var totalUnrecoverable = new long[2];
        var totalGaps = 0;
        log("page    nodes            got  live c-replay r-replay repeats reconn cuts resumes res-false hello-false gaps unrecoverable");
        foreach (var page in pages)
        {
            var deliveries = page.Deliveries;
            var hellos = page.Hellos;
            var losses = page.Losses;
            var sequenced = deliveries.Where(d => d.Epoch is not null).ToList();
            // Repeats: deliveries of a message the page already had (a reconnect's replay, a resume overlapping live traffic).
            var repeats = deliveries.Count - deliveries.Select(d => (d.Batch, d.N)).Distinct().Count();
            if (deliveries.Count != sequenced.Count)
            {
                failures.Add($"page {page.Index}: {deliveries.Count - sequenced.Count} message(s) without a position (unsequenced)");
            }
            failures.AddRange(page.Problems.Select(p => $"page {page.Index}: {p}"));
            // Gaps and unrecoverable messages.
            var got = sequenced.Select(d => (d.Seq, d.Epoch!)).ToHashSet();
            var gaps = new List<(long, string)>();
            var lostWithHistory = new List<(long, string)>();
            var lostWithTopics = new List<(long, string)>();
            foreach (var epoch in epochs)
            {
                var from = epoch == epoch1 ? hellos[0].Seq + 1 : 1;
                for (var seq = from; seq <= maxSeq[epoch]; seq++)
                {
                    if (got.Contains((seq, epoch)))
                    {
                        continue;
                    }
                    // Lost with the Redis restart: in the old epoch, after the page's last position there, and published
                    // at most 3 s before Redis stopped (the page was told: resumed/hello recovered false).
                    if (epoch == epoch1 && losses.Any(l => l.FromEpoch == epoch && l.ToEpoch != epoch && seq > l.FromSeq)
                        && byPosition.TryGetValue((seq, epoch), out var key)
                        && (!sentAt.TryGetValue(key, out var m) || m.End >= stopAt - TimeSpan.FromSeconds(3)))
                    {
                        lostWithHistory.Add((seq, epoch));
                    }
                    // Lost with the window's topic list (in Redis): between its last position and the reloaded page's hello.
                    else if (losses.Any(l => l.Reason == ChaosPage.ReloadReason && Between(l, seq, epoch)))
                    {
                        lostWithTopics.Add((seq, epoch));
                    }
                    else
                    {
                        gaps.Add((seq, epoch));
                    }
                }
            }
            if (gaps.Count > 0)
            {
                failures.Add($"page {page.Index}: {gaps.Count} gap(s), e.g. {string.Join(", ", gaps.Take(5).Select(g => $"[{g.Item1}, {g.Item2}]"))}; " +
                             $"losses reported: {string.Join("; ", losses)}; {page.Describe()}");
            }
            foreach (var loss in losses.Where(l => l.FromEpoch == l.ToEpoch && l.Reason != ChaosPage.ReloadReason))
            {
                failures.Add($"page {page.Index}: the server gave up within one epoch ({loss}) — the history should have had it");
            }
            if (page.ErrorFrames > 0)
            {
                failures.Add($"page {page.Index}: {page.ErrorFrames} error frame(s); {page.Describe()}");
            }
            if (page.Fatal is not null)
            {
                failures.Add($"page {page.Index}: {page.Fatal}");
            }
            var path = string.Join(">", hellos.Select(h => names.GetValueOrDefault(h.Node.Authority, h.Node.Authority)));
            long[] row =
            [
                deliveries.Count, deliveries.Count(d => d.Via == Via.Live), deliveries.Count(d => d.Via == Via.ConnectReplay),
                deliveries.Count(d => d.Via == Via.ResumeReplay), repeats, hellos.Count - 1, page.Cuts, page.ResumesSent, page.ResumedFalse,
                page.HelloNotRecovered, gaps.Count,
            ];
            for (var i = 0; i < totals.Length; i++)
            {
                totals[i] += row[i];
            }
            totalGaps += gaps.Count;
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
            log($"{page.Index,4}    {path,-15} {row[0],5} {row[1],5} {row[2],8} {row[3],8} {row[4],7} {row[5],6} {row[6],4} {row[7],7} {row[8],9} {row[9],11} " +
                $"{row[10],4} {lostWithHistory.Count + lostWithTopics.Count,4}{(why.Count > 0 ? $" ({string.Join("; ", why)})" : "")}");
        }
        log($"totals  {"",-15} {totals[0],5} {totals[1],5} {totals[2],8} {totals[3],8} {totals[4],7} {totals[5],6} {totals[6],4} {totals[7],7} {totals[8],9} {totals[9],11}" +
            $" {totalGaps,4} {totalUnrecoverable[0] + totalUnrecoverable[1],4} ({totalUnrecoverable[0]} lost with the Redis history, {totalUnrecoverable[1]} lost with the window topic lists)");
        log("columns: got = demo.chat.message frames the server delivered to the page, duplicates included; live/c-replay/r-replay = how " +
            "they came (live, replayed before hello after connect.resume, at or below the connection's position after a resume); " +
            "repeats = deliveries of a message the page already had; reconn = handshakes after the first; resumes = resume frames " +
            "sent on a live gap; res-false = resumed false; hello-false = hello.recovered false");
    }

    /// <summary>Whether position [seq, epoch] lies after the loss's From and at or before its To.</summary>
    private static bool Between(LossReport loss, long seq, string epoch) =>
        loss.FromEpoch == loss.ToEpoch
            ? epoch == loss.FromEpoch && seq > loss.FromSeq && seq <= loss.ToSeq
            : (epoch == loss.FromEpoch && seq > loss.FromSeq) || (epoch == loss.ToEpoch && seq <= loss.ToSeq);
}
