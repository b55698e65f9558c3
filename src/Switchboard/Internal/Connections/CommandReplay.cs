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

    public bool IsOwn(string topic) => connection.Owns(topic);

    /// <summary>Applies a command met in one of the window's own topics.</summary>
    public CommandHandler Handle => (topic, position, command, frames) => membership.ApplyAsync(this, topic, position, command, frames);
}
