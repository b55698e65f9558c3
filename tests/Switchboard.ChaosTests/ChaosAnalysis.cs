namespace Switchboard.ChaosTests;

/// <summary>
/// The checks and counts of the chaos test, all on what the server delivered (<see cref="ChaosPage.Deliveries"/>, as it
/// came: duplicates and replays included). A message is identified by its batch and number (<c>b</c>, <c>n</c>) and has
/// one position [seq, epoch] in the room topic and one signal_id (the same everywhere). Epoch 1 is the topic's epoch
/// before the Redis restart, epoch 2 after.
/// <list type="bullet">
/// <item>sent: messages the publisher and the emitter were asked to send; "not published" = the publisher's call during
/// which its node logged event 1201 (Redis unreachable): never sequenced, no page can get it. Every published message
/// reaches some page, except ones lost with the Redis restart; every position up to the highest one delivered, in each
/// epoch, reaches some page (no holes).</item>
/// <item>Per page, expected = every position after the page's first <c>hello.pos</c> up to the highest position any
/// page got, in each epoch. Missing expected positions are "unrecoverable (Redis restart)" when they are in epoch 1
/// after the last epoch-1 position the page had when the server said it could not recover (<c>recovered</c> false / the
/// epoch change) and were published at most 3 s before Redis stopped; "unrecoverable (topic list)" when they lie between
/// the page's position and the first hello of the page it reloaded because its room topic was gone from
/// <c>hello.pos</c> (window topic lists are in Redis too); any other missing position is a gap. The server may not give
/// up within one epoch (the history had it).</item>
/// <item>order and duplicates, per connection (<see cref="ConnectionCheck"/>): replays continue the resume position one
/// by one; after hello, nothing at or below what the connection had unless a <c>resume</c> asked for it; epochs never
/// go back. A message delivered twice (a reconnect's replay, a resume overlapping live traffic) must carry the same
/// signal_id, by which the client runs it once.</item>
/// </list>
/// </summary>
internal sealed class ChaosAnalysis(Action<string> log)
{
    public List<string> Check(IReadOnlyList<ChaosPage> pages, IReadOnlyList<SentMessage> sent, IReadOnlyList<(string Batch, int Count, int Failed)> emitted,
        string epoch1, Dictionary<string, string> names, TimeSpan stopAt, TimeSpan restartedAt, TimeSpan recoveredAt)
    {
        var failures = new List<string>();
        var positions = new Dictionary<(string, int), (long Seq, string Epoch)>();
        var byPosition = new Dictionary<(long, string), (string, int)>();
        var signalIds = new Dictionary<(string, int), string?>();
        foreach (var page in pages)
        {
            foreach (var d in page.Deliveries.Where(d => d.Epoch is not null))
            {
                var key = (d.Batch, d.N);
                var position = (d.Seq, d.Epoch!);
                if (positions.TryGetValue(key, out var known) && known != position)
                {
                    failures.Add($"page {page.Index}: {d.Batch}-{d.N} at [{d.Seq}, {d.Epoch}], elsewhere at [{known.Seq}, {known.Epoch}]");
                }
                positions.TryAdd(key, position);
                if (byPosition.TryGetValue(position, out var other) && other != key)
                {
                    failures.Add($"page {page.Index}: [{d.Seq}, {d.Epoch}] is {d.Batch}-{d.N}, elsewhere {other.Item1}-{other.Item2}");
                }
                byPosition.TryAdd(position, key);
                if (signalIds.TryGetValue(key, out var id) && id != d.SignalId)
                {
                    failures.Add($"page {page.Index}: {d.Batch}-{d.N} has signal_id {d.SignalId}, elsewhere {id}: a client could not run it once");
                }
                signalIds.TryAdd(key, d.SignalId);
            }
        }
        var epochs = pages.SelectMany(p => p.Deliveries).Where(d => d.Epoch is not null).Select(d => d.Epoch!).Distinct().ToList();
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
            var from = epoch == epoch1 ? pages.Min(p => p.Hellos[0].Seq) + 1 : 1;
            var holes = Enumerable.Range((int)from, Math.Max(0, (int)(maxSeq[epoch] - from + 1))).Count(s => !seen.Contains(s));
            if (holes > 0)
            {
                failures.Add($"epoch {epoch}: {holes} positions between {from} and {maxSeq[epoch]} that no page got");
            }
        }
        CheckSent(failures, sent, emitted, positions, epochs, maxSeq, epoch1, stopAt, restartedAt, recoveredAt);
        new PageReport(log).CheckPages(failures, pages, sent, epochs, maxSeq, byPosition, epoch1, names, stopAt);
        return failures;
    }

    private void CheckSent(List<string> failures, IReadOnlyList<SentMessage> sent, IReadOnlyList<(string Batch, int Count, int Failed)> emitted,
        Dictionary<(string, int), (long Seq, string Epoch)> positions, List<string> epochs, Dictionary<string, long> maxSeq, string epoch1,
        TimeSpan stopAt, TimeSpan restartedAt, TimeSpan recoveredAt)
    {
        var published = sent.Where(m => m.Published).ToList();
        var notPublished = sent.Where(m => !m.Published).ToList();
        var publishedUnseen = published.Where(m => !positions.ContainsKey((m.Batch, m.N))).ToList();
        var lostWithRestart = publishedUnseen.Where(m => m.End >= stopAt - TimeSpan.FromSeconds(3) && m.Start <= recoveredAt).ToList();
        foreach (var m in publishedUnseen.Except(lostWithRestart))
        {
            failures.Add($"{m.Batch}-{m.N}, published at {m.End.TotalSeconds:0.00} s (Redis up), reached no page");
        }
        var failedButSequenced = notPublished.Count(m => positions.ContainsKey((m.Batch, m.N)));
        var emittedTotal = emitted.Sum(e => e.Count);
        foreach (var (batch, count, failed) in emitted)
        {
            var got = Enumerable.Range(1, count).Count(n => positions.ContainsKey((batch, n)));
            if (got != count - failed)
            {
                failures.Add($"emitter batch {batch}: {count} sent, {failed} failed, {got} reached some page");
            }
        }
        log($"sent: {sent.Count + emittedTotal} messages — publisher {sent.Count} (every {ChaosTests.PublishInterval.TotalMilliseconds:0} ms + 1 fence; " +
            $"{notPublished.Count} not published: Redis unreachable during the call, {failedButSequenced} of them sequenced anyway), " +
            $"emitter process {emittedTotal} ({string.Join(", ", emitted.Select(e => $"{e.Batch}: {e.Count}, {e.Failed} failed"))})");
        log($"sequenced (delivered to some page): {positions.Count} — epoch 1 ({epoch1}) up to seq {maxSeq[epoch1]}, " +
            string.Join(", ", epochs.Skip(1).Select(e => $"epoch 2 ({e}) up to seq {maxSeq[e]}")) +
            $"; published but delivered to no page: {publishedUnseen.Count} (lost with the Redis restart: {lostWithRestart.Count})");
        var inOutage = sent.Where(m => m.Start < restartedAt && m.End > stopAt).ToList();
        log($"Redis stopped at {stopAt.TotalSeconds:0.0} s, started again at {restartedAt.TotalSeconds:0.0} s, every page in the new epoch at {recoveredAt.TotalSeconds:0.0} s; " +
            $"publisher calls in flight during the outage: {inOutage.Count} ({string.Join(", ", inOutage.Select(m => $"{m.Batch}-{m.N}: {(m.End - m.Start).TotalMilliseconds:0} ms, " +
                (positions.TryGetValue((m.Batch, m.N), out var p) ? $"sequenced at [{p.Seq}, epoch {epochs.IndexOf(p.Epoch) + 1}]" : m.Published ? "published, delivered to no page" : "failed (1201)")))})");
    }
}
