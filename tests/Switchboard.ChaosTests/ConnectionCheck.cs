namespace Switchboard.ChaosTests;

/// <summary>
/// What one connection's room-topic frames must look like (docs/protocol.md §7), checked on the server's output as it
/// arrives: frames replayed before <c>hello</c> continue one by one, in one epoch, and — when hello says recovered —
/// start right after the <c>connect.resume</c> position and end at <c>hello.pos</c>; after hello, a frame at or below a
/// position the connection already had must repeat one of that replay or be at or below hello's own position before
/// anything newer (its live delivery raced the handshake's read of the history), or be asked for by a <c>resume</c> sent
/// on it (its replay overlaps live traffic); an epoch never comes back once a newer one arrived.
/// </summary>
internal sealed class ConnectionCheck(int connection, Pos? resumeFrom)
{
    private readonly List<Pos> _replayed = [];
    private readonly Dictionary<string, long> _highest = new(StringComparer.Ordinal);
    private readonly List<string> _epochs = [];
    private readonly List<Pos> _asked = [];
    private Pos? _helloRoom;
    private bool _pastHello;

    /// <summary>Broken rules, for the test's failure message.</summary>
    public List<string> Problems { get; } = [];

    public bool Live { get; private set; }

    public int ReplayedBeforeHello => _replayed.Count;

    /// <summary>A room-topic frame; returns how it came.</summary>
    public Via Frame(Pos p)
    {
        CheckEpochOrder(p);
        if (!Live)
        {
            _replayed.Add(p);
            return Via.ConnectReplay;
        }
        if (_highest.TryGetValue(p.Epoch, out var highest) && p.Seq <= highest)
        {
            if (!_pastHello && _helloRoom is { } head && p.Epoch == head.Epoch && p.Seq <= head.Seq
                && (resumeFrom is not { } from || from.Epoch != p.Epoch || p.Seq > from.Seq))
            {
                // Published while the handshake read the topic's head: hello.pos already counts it, and its live
                // delivery reached the node after hello (in order, before anything newer); the client drops it by position.
                return Via.Live;
            }
            if (_replayed.Contains(p))
            {
                // The connect replay read the history before this message's live delivery reached the node: a duplicate
                // across the reconnect, which the client drops by position (and signal_id).
                return Via.Live;
            }
            // A resume asks for what follows its position; one from another epoch gets the current epoch from its start.
            if (!_asked.Any(a => a.Epoch != p.Epoch || p.Seq > a.Seq))
            {
                Problem($"{p} came after [{highest},{p.Epoch}] with no resume asking for it (asked: {string.Join(" ", _asked)})");
            }
            return Via.ResumeReplay;
        }
        _highest[p.Epoch] = p.Seq;
        _pastHello = true;
        return Via.Live;
    }

    /// <summary><c>hello</c>, with the room topic's position (null: absent).</summary>
    public void Hello(Pos? room, bool? recovered)
    {
        if (resumeFrom is null && _replayed.Count > 0)
        {
            Problem($"{_replayed.Count} frame(s) replayed before hello without connect.resume");
        }
        for (var i = 1; i < _replayed.Count; i++)
        {
            if (_replayed[i].Epoch != _replayed[i - 1].Epoch || _replayed[i].Seq != _replayed[i - 1].Seq + 1)
            {
                Problem($"the replay before hello went from {_replayed[i - 1]} to {_replayed[i]}");
                break;
            }
        }
        if (recovered == true && resumeFrom is { } origin && room is { } start)
        {
            if (_replayed.Count > 0 && _replayed[0] != origin with { Seq = origin.Seq + 1 })
            {
                Problem($"hello says recovered, but the replay after {origin} started at {_replayed[0]}");
            }
            var end = _replayed.Count > 0 ? _replayed[^1] : origin;
            if (start != end)
            {
                Problem($"hello says recovered, but starts the room topic at {start} after replaying up to {end}");
            }
        }
        Live = true;
        _helloRoom = room;
        if (room.HasValue)
        {
            CheckEpochOrder(room.Value);
        }
        // Live frames follow everything the connection had at hello.
        foreach (var p in room.HasValue ? _replayed.Append(room.Value) : _replayed)
        {
            _highest[p.Epoch] = Math.Max(p.Seq, _highest.GetValueOrDefault(p.Epoch, long.MinValue));
        }
    }

    /// <summary>A <c>resume</c> sent on this connection, from the room topic's <paramref name="from"/>.</summary>
    public void Asked(Pos from) => _asked.Add(from);

    private void CheckEpochOrder(Pos p)
    {
        var index = _epochs.IndexOf(p.Epoch);
        if (index < 0)
        {
            _epochs.Add(p.Epoch);
        }
        else if (index < _epochs.Count - 1)
        {
            Problem($"{p} came after a frame of the newer epoch {_epochs[^1]}");
        }
    }

    private void Problem(string text)
    {
        if (Problems.Count < 5)
        {
            Problems.Add($"connection {connection}: {text}");
        }
    }
}
