namespace Switchboard.ChaosTests;

/// <summary>
/// One <c>demo.chat.message</c> frame the server delivered to a page, as it came (no de-duplication, no reordering):
/// the message (<c>b</c>, <c>n</c>), its position in the room topic (Epoch null: unsequenced), its signal_id, how it came
/// and on which of the page's connections.
/// </summary>
internal sealed record Delivery(string Batch, int N, long Seq, string? Epoch, string? SignalId, Via Via, int Connection);
