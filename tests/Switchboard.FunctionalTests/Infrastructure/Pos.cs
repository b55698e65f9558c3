namespace Switchboard.FunctionalTests.Infrastructure;

/// <summary>A position in a topic as frames carry it: <c>[seq, "epoch"]</c> (protocol.md §7).</summary>
internal readonly record struct Pos(long Seq, string Epoch)
{
    public override string ToString() => $"[{Seq},{Epoch}]";
}
