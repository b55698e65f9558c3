using System.Text;
using Switchboard.Internal.Connections;
using Switchboard.Internal.Protocol;
using Switchboard.Tests.TestSupport;

namespace Switchboard.Tests.Connections;

/// <summary>
/// Work run with a window's live frames held (HoldWhile: a window command, a live resume): it runs after the frames sent
/// before it, the frames sent meanwhile wait behind what it composes, works queue in order, and a failing work closes the
/// window instead of holding its frames forever.
/// </summary>
public sealed class WindowConnectionHeldWorkTests
{
    private static byte[] F(string s) => WebSocketFraming.Text(Encoding.UTF8.GetBytes(s));

    private static string Text(byte[] frame) => Encoding.UTF8.GetString(WebSocketFraming.Payload(frame));

    [Fact]
    public async Task FramesSentDuringTheWorkFollowWhatItComposes()
    {
        var window = RecordingWire.Window("w", ["-broadcast"]);
        var go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        window.TrySend(F("before"));

        var done = window.HoldWhile(async () =>
        {
            await go.Task;
            return held => [F("change"), .. held];
        });
        window.TrySend(F("during1"));
        window.TrySend(F("during2"));
        Assert.Equal(["before"], await RecordingWire.DrainAsync(window));
        go.SetResult();
        await done.WaitAsync(TimeSpan.FromSeconds(10));
        window.TrySend(F("after"));

        Assert.Equal(["change", "during1", "during2", "after"], await RecordingWire.DrainAsync(window));
    }

    [Fact]
    public async Task WorkQueuedWhileHoldingRunsAfterTheFramesBeforeIt()
    {
        var window = RecordingWire.Window("w", ["-broadcast"]);
        window.HoldLive(); // a connecting window
        window.TrySend(F("live1"));
        var seen = new List<string>();
        var work = window.HoldWhile(() => Task.FromResult<Func<IReadOnlyList<byte[]>, IEnumerable<byte[]>>>(held =>
        {
            seen.AddRange(held.Select(Text));
            return [F("work"), .. held];
        }));
        window.TrySend(F("live2"));

        window.ReleaseLive(held => [F("hello"), .. held]);
        await work.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(["live2"], seen);
        Assert.Equal(["hello", "live1", "work", "live2"], await RecordingWire.DrainAsync(window));
    }

    [Fact]
    public async Task AFailingWorkClosesTheWindowWith1011AndReleasesTheHold()
    {
        var window = RecordingWire.Window("w", ["-broadcast"]);

        await window.HoldWhile(() => throw new InvalidOperationException("broker down")).WaitAsync(TimeSpan.FromSeconds(10));
        await window.WhenClosedAsync().WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(1011, window.CloseStatus!.Value.Code);
        Assert.False(window.TrySend(F("late")));
    }

    [Fact]
    public void TopicsChangeUntilRetired()
    {
        var window = RecordingWire.Window("w", ["-broadcast", "-window.w"]);

        Assert.True(window.TryAddTopic("-str.a"));
        Assert.False(window.TryAddTopic("-str.a"));
        Assert.True(window.TryRemoveTopic("-broadcast"));
        Assert.Equal(["-window.w", "-str.a"], window.Topics);
        Assert.Equal(["-window.w", "-str.a"], window.RetireTopics());
        Assert.False(window.TryAddTopic("-str.b"));
        Assert.True(window.Owns("-window.w"));
        Assert.False(window.Owns("-user.w"));
    }
}
