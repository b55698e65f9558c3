namespace Switchboard;

/// <summary>
/// The special destinations of a call. Any other value in <c>to</c> is a topic, serialized by the
/// <see cref="ITopicSerializer"/>. A string is one topic (never a list of characters).
/// </summary>
public sealed class Destination
{
    private Destination(string name) => Name = name;

    /// <summary>Run the signal's server handlers (through their queues).</summary>
    public static Destination Server { get; } = new("SERVER");

    /// <summary>The calling window only.</summary>
    public static Destination Window { get; } = new("WINDOW");

    /// <summary>Every window of the calling window's user (nobody when anonymous).</summary>
    public static Destination User { get; } = new("USER");

    /// <summary>Every connected window.</summary>
    public static Destination Broadcast { get; } = new("BROADCAST");

    /// <summary>The constant's name, as in DjangoFloor.</summary>
    public string Name { get; }

    /// <inheritdoc />
    public override string ToString() => Name;
}
