namespace Switchboard.ChaosTests;

/// <summary>
/// Where a page stands in one topic, to know what to ask the server for — not an ordering: nothing is held, reordered
/// or de-duplicated (the JS client does that, and clients/js/test/ordering.test.js tests it). <see cref="Last"/> is the
/// position up to which the server delivered every message since <c>hello</c>; positions delivered past a missing one
/// are remembered until it comes (a replay fills it), or until the server says it cannot (<see cref="Jump"/>).
/// </summary>
internal sealed class TopicCursor(Pos start)
{
    private readonly SortedSet<long> _ahead = [];
    private readonly Dictionary<string, SortedSet<long>> _otherEpochs = new(StringComparer.Ordinal);
    private readonly HashSet<string> _left = new(StringComparer.Ordinal);
    private string? _newestEpoch;

    public Pos Last { get; private set; } = start;

    /// <summary>Whether something is missing: a position past Last + 1 came, or one of another epoch.</summary>
    public bool HasGap => _ahead.Count > 0 || _otherEpochs.Count > 0;

    /// <summary>A position the server delivered in this topic.</summary>
    public void Deliver(Pos p)
    {
        if (p.Epoch == Last.Epoch)
        {
            if (p.Seq > Last.Seq)
            {
                _ahead.Add(p.Seq);
                Advance();
            }
        }
        else if (!_left.Contains(p.Epoch))
        {
            // Epochs only move forward: one not left yet is the newer one.
            if (!_otherEpochs.TryGetValue(p.Epoch, out var seqs))
            {
                _otherEpochs[p.Epoch] = seqs = [];
            }
            seqs.Add(p.Seq);
            _newestEpoch = p.Epoch;
        }
    }

    /// <summary>
    /// The server cannot replay what is missing (<c>resumed</c> recovered false): continue from the first position
    /// delivered after the gap, in the newest epoch seen. Returns the new <see cref="Last"/>.
    /// </summary>
    public Pos Jump()
    {
        if (_newestEpoch is { } epoch)
        {
            _left.Add(Last.Epoch);
            foreach (var other in _otherEpochs.Keys.Where(e => e != epoch))
            {
                _left.Add(other);
            }
            var seqs = _otherEpochs[epoch];
            Last = new Pos(seqs.Min - 1, epoch);
            _ahead.Clear();
            _ahead.UnionWith(seqs);
            _otherEpochs.Clear();
            _newestEpoch = null;
        }
        else if (_ahead.Count > 0)
        {
            Last = Last with { Seq = _ahead.Min - 1 };
        }
        Advance();
        return Last;
    }

    private void Advance()
    {
        while (_ahead.Count > 0 && _ahead.Min <= Last.Seq + 1)
        {
            Last = Last with { Seq = Math.Max(Last.Seq, _ahead.Min) };
            _ahead.Remove(_ahead.Min);
        }
    }
}
