namespace Switchboard.Redis.Tests.MultiProcess;

/// <summary>
/// The positions of one topic in the frames a window received, in arrival order (docs/protocol.md §7): epochs seen (in
/// order), positions skipped (gaps), positions carried by two different messages (<c>signal_id</c>s) in one epoch, and
/// new positions that arrived after a later one of the same epoch. The same message twice (replay and live) is no reuse.
/// Only messages count (<c>signal</c>, <c>result</c>, <c>error</c>, <c>topics</c>): <c>hello.pos</c> is where the window
/// starts, and a message at or before it is one the client drops as already seen (docs/protocol.md §7).
/// </summary>
internal sealed record TopicPositions(
    IReadOnlyList<string> Epochs, IReadOnlyDictionary<string, Pos> LastOf, int Skipped, int Reused, int Backwards, IReadOnlyList<(Pos Before, Pos After)> Gaps,
    IReadOnlyList<string> Notes)
{
    public static TopicPositions Of(IEnumerable<JsonElement> frames, string topicId)
    {
        var seen = new Dictionary<Pos, (string Id, string Frame)>();
        var notes = new List<string>();
        var gaps = new List<(Pos, Pos)>();
        var epochs = new List<string>();
        var lastOf = new Dictionary<string, Pos>(StringComparer.Ordinal);
        var (skipped, reused, backwards) = (0, 0, 0);
        Pos? last = null;
        foreach (var frame in frames)
        {
            if (frame.Type() is not ("signal" or "result" or "error" or "topics") || !frame.Pos().TryGetValue(topicId, out var here))
            {
                continue;
            }
            var id = frame.Str("signal_id") ?? "";
            if (seen.TryGetValue(here, out var other))
            {
                if (other.Id != id)
                {
                    reused++;
                    notes.Add($"{here} carried by {other.Frame} and by {frame.GetRawText()}");
                }
                continue;
            }
            seen[here] = (id, frame.GetRawText());
            if (!epochs.Contains(here.Epoch))
            {
                epochs.Add(here.Epoch);
            }
            if (last is { } l && l.Epoch == here.Epoch)
            {
                if (here.Seq <= l.Seq)
                {
                    backwards++;
                    notes.Add($"{here} after {l}: {frame.GetRawText()}");
                    continue;
                }
                if (here.Seq > l.Seq + 1)
                {
                    skipped += (int)(here.Seq - l.Seq - 1);
                    gaps.Add((l, here));
                    notes.Add($"gap: {here} after {l}");
                }
            }
            last = here;
            lastOf[here.Epoch] = here;
        }
        return new TopicPositions(epochs, lastOf, skipped, reused, backwards, gaps, notes);
    }

    public override string ToString() =>
        $"{Epochs.Count} epoch(s), {Skipped} position(s) skipped, {Reused} reused by another message, {Backwards} out of order" +
        (Notes.Count == 0 ? "" : "; " + string.Join("; ", Notes));
}
