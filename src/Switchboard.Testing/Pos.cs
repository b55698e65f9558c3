using System.Globalization;

namespace Switchboard.Testing;

/// <summary>
/// A position in a topic as frames carry it: <c>[seq, "epoch"]</c> (docs/protocol.md §7) — in <c>hello.pos</c>,
/// <c>signal.pos</c>, <c>connect.resume</c> and <c>resume.pos</c>, keyed by topic id (<see cref="TestWindow.TopicId"/>).
/// </summary>
/// <param name="Seq">The sequence number of the message in its topic (1, 2, 3, …), or 0 before the first.</param>
/// <param name="Epoch">The topic's epoch: sequence numbers restart when it changes (history lost).</param>
public readonly record struct Pos(long Seq, string Epoch)
{
    /// <summary>The position as the protocol writes it, e.g. <c>[12,k3x9.2]</c>.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"[{Seq},{Epoch}]");
}
