namespace Switchboard.Internal.Connections;

/// <summary>
/// The state of one pass of window commands over a connection (a live command, a replay at connect or after a gap):
/// which topics the browser follows (<see cref="Tracked"/>, by key), which it joined on the way (with the last position
/// replayed to it) and which it left, so the rest of the pass skips them and held live frames can be filtered.
/// </summary>
internal sealed class CommandReplay(WindowConnection connection, ISet<string> tracked, WindowMembership membership, int budget)
{
    public WindowConnection Connection => connection;

    /// <summary>Topic keys whose positions the browser tracks (they are in its <c>resume</c>, or it was told of them).</summary>
    public ISet<string> Tracked => tracked;

    /// <summary>Topics joined in this pass: the last position replayed to the window.</summary>
    public Dictionary<string, TopicPosition> Joined { get; } = new(StringComparer.Ordinal);

    /// <summary>Topics left in this pass.</summary>
    public HashSet<string> Left { get; } = new(StringComparer.Ordinal);

    /// <summary>False when a joined topic's history no longer held everything since the join.</summary>
    public bool Complete { get; set; } = true;

    /// <summary>Most frames the pass may add (the window's send queue must hold them).</summary>
    public int Budget => budget;

    /// <summary>Leaves met ahead in the window's own topics (<see cref="ScanAsync"/>): where, which topic, and its position then.</summary>
    public List<(TopicPosition At, string Topic, TopicPosition Until)> Leaves { get; } = [];

    public bool IsOwn(string topic) => connection.Owns(topic);

    /// <summary>Reads the leaves ahead in an own topic before its replay applies them, so a join replayed first stops at them.</summary>
    public Task ScanAsync(string topic, TopicPosition from) => membership.ScanAsync(this, topic, from);

    /// <summary>
    /// Where a join of <paramref name="topic"/> met at <paramref name="position"/> must stop replaying its history: at
    /// the first later leave of it (scanned ahead, or delivered live and not applied yet); null: up to its head.
    /// </summary>
    public TopicPosition? LeaveAfter(string topic, TopicPosition? position)
    {
        foreach (var (at, left, until) in Leaves)
        {
            if (left == topic && position is { } p && at.Epoch == p.Epoch && at.Sequence > p.Sequence)
            {
                return until;
            }
        }
        return connection.LeavingAt(topic);
    }

    /// <summary>Applies a command met in one of the window's own topics.</summary>
    public CommandHandler Handle => (topic, position, command, frames) => membership.ApplyAsync(this, topic, position, command, frames);
}
