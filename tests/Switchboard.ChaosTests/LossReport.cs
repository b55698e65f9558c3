namespace Switchboard.ChaosTests;

/// <summary>
/// The server told the page it cannot replay part of the room topic (<c>recovered</c> false in <c>hello</c> or
/// <c>resumed</c>, or the topic gone from <c>hello.pos</c> so the page reloaded): the page continued from <c>To</c>
/// after <c>From</c>; the messages in between are reported lost.
/// </summary>
internal sealed record LossReport(string Reason, long FromSeq, string FromEpoch, long ToSeq, string ToEpoch)
{
    public LossReport(string reason, Pos from, Pos to)
        : this(reason, from.Seq, from.Epoch, to.Seq, to.Epoch)
    {
    }
}
