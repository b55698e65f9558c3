namespace Switchboard;

/// <summary>
/// Turns a topic value into the stable string that windows subscribe to. Equal values must give the same string in
/// every process and on every machine (so no hash codes, current culture or local time zone). Replace it with
/// <c>services.AddSingleton&lt;ITopicSerializer, MySerializer&gt;()</c> after <c>AddSwitchboard</c>; a replacement can
/// delegate what it does not handle to <see cref="DefaultTopicSerializer"/> (inherit it and call <c>base.Serialize</c>,
/// or wrap an instance), whose remarks list the keys of every kind of value. Every key comes from it, the built-in
/// <see cref="Destination.Window"/>, <see cref="Destination.User"/> and <see cref="Destination.Broadcast"/> included:
/// WINDOW may depend on the window key only, USER on the user id only, and the start fails when two built-ins share a
/// key or a key is empty (docs/choices.md).
/// </summary>
public interface ITopicSerializer
{
    /// <summary>
    /// Serializes <paramref name="topic"/> as seen from <paramref name="window"/>; returns null when the topic
    /// addresses nobody (e.g. <see cref="Destination.Window"/> without a window). Throws
    /// <see cref="ArgumentException"/> for a value it cannot serialize.
    /// </summary>
    string? Serialize(WindowInfo? window, object topic);
}
