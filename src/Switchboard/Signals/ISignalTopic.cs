namespace Switchboard;

/// <summary>
/// Implemented by entities used as topics (e.g. <c>to: [order]</c>): the key must be the same in every process.
/// </summary>
public interface ISignalTopic
{
    /// <summary>A stable key such as <c>order.42</c>.</summary>
    string TopicKey { get; }
}
