namespace Switchboard;

/// <summary>
/// Presence: which windows and which distinct users are on a topic, across all nodes (<see cref="IPresence"/>), and a
/// browser signal when a topic's users change. Off for every topic until <see cref="Topics"/> or
/// <see cref="Predicate"/> enables it. See docs/presence.md.
/// </summary>
public sealed class PresenceOptions
{
    /// <summary>The default name of the change signal sent to a topic's windows.</summary>
    public const string DefaultSignal = "switchboard.presence";

    /// <summary>
    /// Patterns of string topics with presence, matched against the string's value; <c>*</c> matches any run of
    /// characters, e.g. <c>room:*</c>. The value is read from the key by the shape the registered
    /// <see cref="ITopicSerializer"/> writes strings in (a fixed prefix and suffix around it); with a serializer that
    /// writes them otherwise, patterns fail the start: use <see cref="Predicate"/>. <value>The default is empty.</value>
    /// </summary>
    public IList<string> Topics { get; set; } = [];

    /// <summary>
    /// Further topics with presence, decided on the topic key the registered <see cref="ITopicSerializer"/> made (with
    /// <see cref="DefaultTopicSerializer"/> e.g. <c>-broadcast</c>, <c>-user.42</c>, <c>-int.7</c>). A window's own
    /// WINDOW topic never has presence. <value>The default is null (none).</value>
    /// </summary>
    public Func<string, bool>? Predicate { get; set; }

    /// <summary>
    /// How long an entry (one window on one topic) lives without being refreshed: the bound on a dead node's ghosts.
    /// <value>The default is 30 seconds.</value>
    /// </summary>
    public TimeSpan EntryLifetime { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How often each node renews its entries and sweeps expired ones; must be shorter than <see cref="EntryLifetime"/>.
    /// <value>The default is 10 seconds.</value>
    /// </summary>
    public TimeSpan RefreshInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The browser signal sent to a topic's windows when its distinct users change (and to a window that joins it).
    /// <value>The default is <see cref="DefaultSignal"/> (<c>switchboard.presence</c>).</value>
    /// </summary>
    public string Signal { get; set; } = DefaultSignal;
}
