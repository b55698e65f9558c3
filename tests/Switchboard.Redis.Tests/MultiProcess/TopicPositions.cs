namespace Switchboard.Redis.Tests.MultiProcess;

/// <summary>
/// The positions of one topic in the frames a window received, in arrival order (docs/protocol.md §7): epochs seen (in
/// order), positions skipped (gaps), positions carried by two different messages (<c>signal_id</c>s) in one epoch, and
/// new positions that arrived after a later one of the same epoch. The same message twice (replay and live) is no reuse.
/// </summary>
internal sealed record TopicPositions(IReadOnlyList<string> Epochs, IReadOnlyDictionary<string, Pos> LastOf, int Skipped, int Reused, int Backwards)
{
    public static TopicPositions Of(IEnumerable<JsonElement> frames, string topicId)
    {
        var seen = new Dictionary<Pos, string>();
        var epochs = new List<string>();
        var lastOf = new Dictionary<string, Pos>(StringComparer.Ordinal);
        var (skipped, reused, backwards) = (0, 0, 0);
        Pos? last = null;
        foreach (var frame in frames)
        {
            if (!frame.Pos().TryGetValue(topicId, out var here))
            {
                continue;
            }
            var id = frame.Str("signal_id") ?? "";
            if (seen.TryGetValue(here, out var other))
            {
                reused += other == id ? 0 : 1;
                continue;
            }
            seen[here] = id;
            if (!epochs.Contains(here.Epoch))
            {
                epochs.Add(here.Epoch);
            }
            if (last is { } l && l.Epoch == here.Epoch)
            {
                if (here.Seq <= l.Seq)
                {
                    backwards++;
                    continue;
                }
                skipped += (int)(here.Seq - l.Seq - 1);
            }
            last = here;
            lastOf[here.Epoch] = here;
        }
        return new TopicPositions(epochs, lastOf, skipped, reused, backwards);
    }

    public override string ToString() =>
        $"{Epochs.Count} epoch(s), {Skipped} position(s) skipped, {Reused} reused by another message, {Backwards} out of order";
}
