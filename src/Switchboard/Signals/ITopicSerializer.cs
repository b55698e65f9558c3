namespace Switchboard;

/// <summary>
/// Turns a topic value into the stable string that windows subscribe to. The same value must give the same
/// string in every process. Replace it with <c>services.AddSingleton&lt;ITopicSerializer, MySerializer&gt;()</c>
/// after <c>AddSwitchboard</c> (derive from <see cref="DefaultTopicSerializer"/> and call <c>base.Serialize</c> to add
/// kinds of values only). Every key comes from it, the built-in <see cref="Destination.Window"/>,
/// <see cref="Destination.User"/> and <see cref="Destination.Broadcast"/> included: WINDOW may depend on the window key
/// only, USER on the user id only, and the start fails when two built-ins share a key or a key is empty (docs/choices.md).
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
