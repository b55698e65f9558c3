namespace Switchboard;

/// <summary>One signed-in user on a topic.</summary>
/// <param name="Id">The user's id (<see cref="WindowInfo.UserId"/>).</param>
/// <param name="Name">The user's display name (<see cref="WindowInfo.UserName"/>), or the id when it has none.</param>
/// <param name="Windows">How many of the user's windows are on the topic.</param>
public sealed record PresenceUser(string Id, string Name, int Windows);
