using System.Text;
using Switchboard.Internal.Connections;
using Switchboard.Internal.Protocol;
using Switchboard.Tests.TestSupport;

namespace Switchboard.Tests.Connections;

/// <summary>
/// Holding live frames while a window catches up (HoldLive/ReleaseLive): the replay, hello and the held frames are queued
/// as one block, nothing sent meanwhile overtakes them or is lost, and holding is bounded like the queue.
/// </summary>
public sealed class WindowConnectionHoldTests
{
    private static WindowConnection Window(int capacity = 1024, bool paused = false) =>
        RecordingWire.Window("w", ["-broadcast"], capacity, paused);

    private static byte[] F(string s) => WebSocketFraming.Text(Encoding.UTF8.GetBytes(s));

    private static List<string> Drain(WindowConnection window) => RecordingWire.Drain(window);

    [Fact]
    public void WithoutHoldingFramesAreQueuedAtOnce()
    {
        var window = Window();

        Assert.True(window.TrySend(F("a")));

        Assert.Equal(["a"], Drain(window));
    }

    [Fact]
    public void HeldFramesWaitThenFollowWhatReleaseComposes()
    {
        var window = Window();
        window.HoldLive();
        window.TrySend(F("live1"));
        window.TrySend(F("live2"));
        Assert.Empty(Drain(window));
        IReadOnlyList<byte[]>? given = null;

        window.ReleaseLive(held =>
        {
            given = held;
            return [F("replay1"), F("hello"), .. held];
        });
        window.TrySend(F("live3"));

        Assert.Equal(["live1", "live2"], given!.Select(f => Encoding.UTF8.GetString(WebSocketFraming.Payload(f))));
        Assert.Equal(["replay1", "hello", "live1", "live2", "live3"], Drain(window));
    }

    [Fact]
    public void ComposeMayDropHeldFrames()
    {
        var window = Window();
        window.HoldLive();
        window.TrySend(F("old"));
        window.TrySend(F("new"));

        window.ReleaseLive(held => [F("hello"), .. held.Skip(1)]);

        Assert.Equal(["hello", "new"], Drain(window));
    }

    [Fact]
    public async Task FramesSentConcurrentlyWithTheReleaseAreNeitherLostNorReordered()
    {
        for (var round = 0; round < 50; round++)
        {
            const int Count = 2000;
            var window = Window(capacity: Count + 10);
            window.HoldLive();
            using var started = new SemaphoreSlim(0);
            var sender = Task.Run(() =>
            {
                for (var i = 0; i < Count; i++)
                {
                    if (i == Count / 10)
                    {
                        started.Release();
                    }
                    Assert.True(window.TrySend(F(i.ToString(System.Globalization.CultureInfo.InvariantCulture))));
                }
            });
            await started.WaitAsync();

            window.ReleaseLive(held => [F("hello"), .. held]);
            await sender;

            var frames = Drain(window);
            Assert.Equal("hello", frames[0]);
            Assert.Equal(Enumerable.Range(0, Count).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)), frames.Skip(1));
        }
    }

    [Fact]
    public void HoldingMoreThanTheQueueHoldsClosesTheWindowAsTooSlow()
    {
        var window = Window(capacity: 3);
        window.HoldLive();
        for (var i = 0; i < 3; i++)
        {
            Assert.True(window.TrySend(F("f" + i)));
        }

        Assert.False(window.TrySend(F("f3")));

        Assert.Equal((4101, "send queue full"), window.CloseStatus);
    }

    [Fact]
    public void ReleasingMoreThanTheQueueHoldsClosesTheWindowAsTooSlow()
    {
        var window = Window(capacity: 2, paused: true);
        window.HoldLive();
        window.TrySend(F("live"));

        window.ReleaseLive(held => [F("replay1"), F("replay2"), F("hello"), .. held]);

        Assert.Equal(4101, window.CloseStatus?.Code);
        RecordingWire.Of(window).Paused = false;
        Assert.Equal(["replay1", "replay2"], Drain(window));
    }
}
