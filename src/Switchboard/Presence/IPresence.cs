namespace Switchboard;

/// <summary>
/// Who is on a topic with presence (<see cref="SwitchboardOptions.Presence"/>), across all nodes. Resolve it from DI.
/// </summary>
public interface IPresence
{
    /// <summary>
    /// The windows and distinct users on <paramref name="topic"/> now (entries of dead nodes are gone within
    /// <see cref="PresenceOptions.EntryLifetime"/>). Throws <see cref="InvalidOperationException"/> when the topic has
    /// no presence, <see cref="ArgumentException"/> when it is not a topic (e.g. <see cref="Destination.Window"/>).
    /// </summary>
    Task<PresenceInfo> GetAsync(object topic, CancellationToken cancellationToken = default);

    /// <summary>Whether <paramref name="topic"/> has presence.</summary>
    bool IsEnabled(object topic);
}
