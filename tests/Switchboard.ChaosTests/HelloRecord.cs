namespace Switchboard.ChaosTests;

/// <summary>One accepted handshake: where, <c>recovered</c>, the room topic's position in <c>hello.pos</c> (Seq -1: absent).</summary>
internal sealed record HelloRecord(int Connection, Uri Node, bool? Recovered, long Seq, string Epoch, int ReplayedBeforeHello);
