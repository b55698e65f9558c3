namespace Switchboard.Internal.Presence;

/// <summary>The <see cref="IPresence"/> implementation: one store read, entries past their expiry left out.</summary>
internal sealed class PresenceService(IPresenceStore store, PresenceTopics topics, ITopicSerializer serializer, TimeProvider time) : IPresence
{
    public async Task<PresenceInfo> GetAsync(object topic, CancellationToken cancellationToken = default)
    {
        var key = KeyOf(topic);
        if (!topics.IsEnabled(key))
        {
            throw new InvalidOperationException(
                $"Topic '{key}' has no presence: enable it with Switchboard:Presence:Topics (a pattern such as 'room:*') or Presence.Predicate.");
        }
        var entries = await store.GetAsync(key, time.GetUtcNow(), cancellationToken);
        return PresenceSnapshot.From(key, entries);
    }

    public bool IsEnabled(object topic) => topics.IsEnabled(KeyOf(topic));

    private string KeyOf(object topic)
    {
        ArgumentNullException.ThrowIfNull(topic);
        return serializer.Serialize(null, topic)
            ?? throw new ArgumentException($"{topic} addresses no topic outside a window; pass the topic value itself.", nameof(topic));
    }
}
