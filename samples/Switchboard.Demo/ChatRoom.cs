namespace Switchboard.Demo;

/// <summary>
/// A chat room as a topic value (<c>DemoSignals.RoomTopic</c>). A record, because a record's key is its type
/// and canonical JSON, the same in every process and on every machine: with <see cref="DefaultTopicSerializer"/>
/// <c>new ChatRoom("lobby")</c> is <c>-obj.Switchboard.Demo.ChatRoom{"Name":"lobby"}</c> whichever node renders the
/// page or runs the handler (docs/choices.md, Topics). Renaming or moving the type changes the key.
/// </summary>
/// <param name="Name">The room's name, as in <c>/chat/{room}</c>.</param>
public sealed record ChatRoom(string Name)
{
    // A name no room has, to find where the serializer puts a room's name in its key.
    private const string ProbeName = "~chat-room-probe~";

    /// <summary>
    /// The text every chat room's key starts with under <paramref name="serializer"/>: its key of a probe room up to the
    /// name (with the default serializer <c>-obj.Switchboard.Demo.ChatRoom{"Name":"</c>). What presence matches the
    /// rooms by, whatever serializer is registered.
    /// </summary>
    /// <exception cref="InvalidOperationException">The serializer does not write a room's name into its key.</exception>
    public static string KeyPrefix(ITopicSerializer serializer)
    {
        ArgumentNullException.ThrowIfNull(serializer);
        var key = serializer.Serialize(null, new ChatRoom(ProbeName));
        var at = key?.IndexOf(ProbeName, StringComparison.Ordinal) ?? -1;
        return at > 0
            ? key![..at]
            : throw new InvalidOperationException(
                $"The topic serializer {serializer.GetType().FullName} does not write a chat room's name after a fixed prefix ('{key}'): " +
                "the demo cannot tell its rooms' keys for presence.");
    }
}
