namespace Switchboard.FunctionalTests.Infrastructure;

/// <summary>
/// Follows one window's connections as the JS client does (protocol.md §7) and counts what breaks the delivery promise
/// (docs/delivery.md): per topic, a position more than one past the last seen (or of another epoch) while hello said
/// <c>recovered: true</c> is a gap; a frame old in every one of its topics is a duplicate. Messages are the numbered
/// <c>test.n</c> signals (<c>opts.n</c>, unique per message); a message reaching the window through several topics
/// runs once, as the client runs a <c>signal_id</c> once.
/// </summary>
internal sealed class DeliveryChecker
{
    private readonly Dictionary<string, Pos> _last = new(StringComparer.Ordinal);
    private readonly HashSet<int> _run = [];
    private readonly List<string> _problems = [];

    /// <summary>The last position of each topic, as the client keeps it.</summary>
    public IReadOnlyDictionary<string, Pos> Last => _last;

    /// <summary>The messages (their <c>n</c>) the client ran, once each.</summary>
    public IReadOnlySet<int> Run => _run;

    public int Connections { get; private set; }

    public int Received { get; private set; }

    public int Replayed { get; private set; }

    public int Gaps { get; private set; }

    public int Duplicates { get; private set; }

    public int NotRecovered { get; private set; }

    /// <summary>What went wrong, first few only.</summary>
    public string Problems => string.Join("; ", _problems.Take(10));

    /// <summary>Takes every frame one connection received (replay, hello, live), in order.</summary>
    public void Connection(IReadOnlyList<JsonElement> received)
    {
        Connections++;
        var helloIndex = received.ToList().FindIndex(f => f.Type() == "hello");
        if (helloIndex < 0)
        {
            throw new InvalidOperationException("The connection never got hello.");
        }
        var hello = received[helloIndex];
        foreach (var frame in received.Take(helloIndex))
        {
            Replayed++;
            Frame(frame, Connections);
        }
        var recovered = hello.Recovered();
        foreach (var (id, p) in hello.Pos())
        {
            if (recovered == true && _last.TryGetValue(id, out var mine) && mine != p)
            {
                Problem($"connection {Connections}: hello says recovered but starts topic {id} at {p}, the client is at {mine}");
            }
            _last[id] = p;
        }
        if (recovered == false)
        {
            NotRecovered++;
        }
        foreach (var frame in received.Skip(helloIndex + 1))
        {
            Frame(frame, Connections);
        }
    }

    private void Frame(JsonElement frame, int connection)
    {
        if (!frame.IsSignal("test.n"))
        {
            return;
        }
        Received++;
        var n = frame.Opts().GetProperty("n").GetInt32();
        var fresh = false;
        foreach (var (id, p) in frame.Pos())
        {
            if (!_last.TryGetValue(id, out var current))
            {
                continue;
            }
            if (p.Epoch == current.Epoch && p.Seq == current.Seq + 1)
            {
                _last[id] = p;
                fresh = true;
            }
            else if (p.Epoch != current.Epoch || p.Seq > current.Seq + 1)
            {
                Gaps++;
                Problem($"connection {connection}: message {n} is at {p} in topic {id}, the client was at {current}");
                _last[id] = p;
                fresh = true;
            }
        }
        if (!fresh)
        {
            Duplicates++;
            Problem($"connection {connection}: message {n} ({frame.GetProperty("pos").GetRawText()}) was already seen in all its topics");
        }
        _run.Add(n);
    }

    private void Problem(string problem) => _problems.Add(problem);

    public override string ToString() =>
        $"{Connections} connections, {Received} messages received ({Replayed} replayed), {Run.Count} run, {Gaps} gaps, {Duplicates} duplicates, {NotRecovered} not recovered";
}
