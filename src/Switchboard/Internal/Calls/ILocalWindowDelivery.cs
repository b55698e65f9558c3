using Switchboard.Internal.Protocol;

namespace Switchboard.Internal.Calls;

/// <summary>
/// The one port through which a published message reaches this node's windows. Calls own publishing (through the
/// broker, which hands every message back to each node in order); connections own the windows and implement this,
/// so calls never reference connections and the host only wires the two together.
/// </summary>
internal interface ILocalWindowDelivery
{
    /// <summary>
    /// Queues <paramref name="frame"/> (a complete wire frame, shared by every window: it is never modified) to each
    /// window of this node subscribed to any of <paramref name="topics"/>, once per window; returns how many windows.
    /// </summary>
    int Deliver(IReadOnlyList<string> topics, byte[] frame);

    /// <summary>
    /// Applies <paramref name="command"/> (a change made by <see cref="IWindowControl"/>) to each window of this node whose
    /// own topic (WINDOW or USER) <paramref name="topic"/> is, in order with the frames delivered to it; the command was
    /// sequenced at <paramref name="position"/> in that topic (null: the broker could not sequence it).
    /// </summary>
    void Apply(string topic, TopicPosition? position, WindowCommand command);
}
