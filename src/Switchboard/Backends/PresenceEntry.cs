namespace Switchboard;

/// <summary>
/// One socket on one topic, as a <see cref="IPresenceStore"/> keeps it. Entries are compared on every field: a remove
/// passes the entry that was added.
/// </summary>
/// <param name="Topic">The topic key.</param>
/// <param name="Node">The node holding the socket.</param>
/// <param name="Socket">The socket, unique on its node.</param>
/// <param name="UserId">The user the entry counts for; null for an anonymous window (all anonymous windows of a topic
/// count as one user for <see cref="IPresenceStore.AddAsync"/>'s and <see cref="IPresenceStore.RemoveAsync"/>'s answers).</param>
/// <param name="UserName">The user's display name, or null.</param>
/// <param name="Data">Opaque text the store keeps with the entry (Switchboard keeps a window's <see cref="WindowInfo"/> there
/// for lifecycle entries), or null.</param>
public sealed record PresenceEntry(string Topic, string Node, string Socket, string? UserId, string? UserName, string? Data = null);
