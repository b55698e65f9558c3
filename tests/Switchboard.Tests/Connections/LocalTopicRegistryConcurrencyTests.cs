using System.Net.WebSockets;
using Microsoft.Extensions.Logging.Abstractions;
using Switchboard.Internal.Connections;
using Switchboard.Specification.Tests;

namespace Switchboard.Tests.Connections;

/// <summary>
/// LocalTopicRegistry under concurrent joins and leaves: each topic is subscribed on the broker exactly while at least
/// one local window has it (subscribe and unsubscribe never reordered or overlapping), Get never misses a window whose
/// AddAsync completed nor returns one whose RemoveAsync completed, and a failed join leaves no trace.
/// </summary>
public sealed class LocalTopicRegistryConcurrencyTests
{
    private readonly RegistryOrderCheckingBroker _broker = new();
    private readonly LocalTopicRegistry _registry;

    public LocalTopicRegistryConcurrencyTests() =>
        _registry = new LocalTopicRegistry(_broker, NullLogger<LocalTopicRegistry>.Instance);

    private static WindowConnection Window(string key, params string[] topics) =>
        TestSupport.RecordingWire.Window(key, topics, capacity: 4);

    private bool Has(string topic, WindowConnection window)
    {
        var found = 0;
        foreach (var w in _registry.Get(topic))
        {
            found += w == window ? 1 : 0;
        }
        Assert.True(found <= 1, $"{window.Window.WindowKey} appears {found} times in {topic}");
        return found == 1;
    }

    [Fact]
    public async Task ManyConcurrentJoinsAndLeavesKeepSubscriptionsInStepWithWindows()
    {
        var rooms = Enumerable.Range(0, 6).Select(i => "-str.room" + i).ToArray();
        var failures = 0;
        _broker.FailSubscribe = _ =>
        {
            if (Random.Shared.Next(20) != 0)
            {
                return false;
            }
            Interlocked.Increment(ref failures);
            return true;
        };
        var remaining = new WindowConnection?[16];
        var problems = new System.Collections.Concurrent.ConcurrentQueue<string>();

        async Task WorkerAsync(int worker)
        {
            var random = new Random(worker);
            for (var cycle = 0; cycle < 60; cycle++)
            {
                var key = $"w{worker}-{cycle}";
                // Shared topics, a per-user topic shared by two workers, and the window's own (with a reconnect's
                // repeat of the previous key sometimes, as a page reload does).
                var own = "-window." + (cycle > 0 && random.Next(3) == 0 ? $"w{worker}-{cycle - 1}" : key);
                var window = Window(key, "-broadcast", rooms[random.Next(rooms.Length)], rooms[random.Next(rooms.Length)], "-user.u" + (worker / 2), own);
                try
                {
                    await _registry.AddAsync(window, default);
                }
                catch (InvalidOperationException)
                {
                    foreach (var topic in window.Topics.Where(t => Has(t, window)))
                    {
                        problems.Enqueue($"{key} is still in {topic} after a failed join");
                    }
                    continue;
                }
                foreach (var topic in window.Topics)
                {
                    if (!Has(topic, window))
                    {
                        problems.Enqueue($"{key} missing from {topic} after AddAsync completed");
                    }
                    if (!_broker.IsSubscribed(topic))
                    {
                        problems.Enqueue($"{topic} not subscribed while {key} has it");
                    }
                }
                await Task.Yield();
                if (cycle == 59)
                {
                    remaining[worker] = window;
                    break;
                }
                await _registry.RemoveAsync(window);
                foreach (var topic in window.Topics.Where(t => Has(t, window)))
                {
                    problems.Enqueue($"{key} still in {topic} after RemoveAsync completed");
                }
            }
        }

        await Task.WhenAll(Enumerable.Range(0, remaining.Length).Select(w => Task.Run(() => WorkerAsync(w))))
            .WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Empty(problems);
        Assert.Empty(_broker.Violations);
        Assert.True(failures > 0, "the run should include failed subscribes");
        // Quiescent: subscribed topics are exactly the remaining windows' topics, and Get returns exactly those windows.
        var expected = remaining.OfType<WindowConnection>().SelectMany(w => w.Topics.Select(t => (Topic: t, Window: w)))
            .GroupBy(p => p.Topic, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Select(p => p.Window).ToHashSet(), StringComparer.Ordinal);
        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), _broker.SubscribedTopics());
        foreach (var (topic, windows) in expected)
        {
            Assert.True(windows.SetEquals(_registry.Get(topic)), topic);
            Assert.Equal(windows.Count, _registry.Get(topic).Length);
        }
        Assert.Equal(expected.Count, _registry.TopicCount);
        Assert.Equal(remaining.Count(w => w is not null), _registry.WindowCount);

        foreach (var window in remaining.OfType<WindowConnection>())
        {
            await _registry.RemoveAsync(window).DefaultTimeout();
        }
        Assert.Empty(_broker.SubscribedTopics());
        Assert.Equal(0, _registry.TopicCount);
        Assert.Equal(0, _registry.WindowCount);
        Assert.Empty(_broker.Violations);
    }

    [Fact]
    public async Task JoinWaitsForTheSubscribeAnotherWindowStartedWhileOtherTopicsGoOn()
    {
        var release = new TaskCompletionSource();
        _broker.Hold = (topic, op) => topic == "-str.room" ? release.Task : null;
        var (a, b, c) = (Window("a", "-str.room"), Window("b", "-str.room"), Window("c", "-str.other"));

        var joiningA = _registry.AddAsync(a, default);
        var joiningB = _registry.AddAsync(b, default);
        // Another topic's join is not held up by the room's pending subscribe.
        await _registry.AddAsync(c, default).DefaultTimeout();
        Assert.False(joiningA.IsCompleted);
        Assert.False(joiningB.IsCompleted, "b must not be told it is in before the node is subscribed");

        release.SetResult();
        await Task.WhenAll(joiningA, joiningB).DefaultTimeout();

        Assert.Equal("+", _broker.Operations("-str.room"));
        Assert.True(Has("-str.room", a) && Has("-str.room", b));
        Assert.Empty(_broker.Violations);
    }

    [Fact]
    public async Task JoinAfterTheLastLeaveWaitsForTheUnsubscribeThenSubscribesAgain()
    {
        var a = Window("a", "-str.room");
        await _registry.AddAsync(a, default).DefaultTimeout();
        var release = new TaskCompletionSource();
        _broker.Hold = (topic, op) => op == '-' ? release.Task : null;

        var leaving = _registry.RemoveAsync(a);
        var b = Window("b", "-str.room");
        var joining = _registry.AddAsync(b, default);
        Assert.False(joining.IsCompleted);

        release.SetResult();
        await Task.WhenAll(leaving, joining).DefaultTimeout();

        Assert.Equal("+-+", _broker.Operations("-str.room"));
        Assert.True(_broker.IsSubscribed("-str.room"));
        Assert.False(Has("-str.room", a));
        Assert.True(Has("-str.room", b));
        Assert.Empty(_broker.Violations);
    }

    [Fact]
    public async Task FailedSubscribeRollsBackAndAWaitingJoinSubscribesItself()
    {
        var release = new TaskCompletionSource();
        var holding = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var attempts = 0;
        _broker.Hold = (topic, op) =>
        {
            if (topic != "-str.room" || Interlocked.Increment(ref attempts) != 1)
            {
                return null;
            }
            holding.TrySetResult();
            return release.Task;
        };
        _broker.FailSubscribe = topic => topic == "-str.room" && Volatile.Read(ref attempts) == 1;
        var a = Window("a", "-broadcast", "-str.room");
        var b = Window("b", "-str.room");

        var joiningA = _registry.AddAsync(a, default);
        // b joins only once a's subscribe of the room is under way, so it is b that waits for it (not the other way round).
        await holding.Task.DefaultTimeout();
        var joiningB = _registry.AddAsync(b, default);
        release.SetResult();

        await Assert.ThrowsAsync<InvalidOperationException>(() => joiningA.DefaultTimeout());
        await joiningB.DefaultTimeout();
        Assert.Equal("x+", _broker.Operations("-str.room"));
        Assert.Equal("+-", _broker.Operations("-broadcast"));
        Assert.False(Has("-str.room", a) || Has("-broadcast", a));
        Assert.True(Has("-str.room", b));
        Assert.Equal(1, _registry.WindowCount);
        Assert.Empty(_broker.Violations);
    }

    [Fact]
    public async Task JoinCancelledWhileWaitingForAnotherSubscribeLeavesNoTrace()
    {
        var release = new TaskCompletionSource();
        _broker.Hold = (topic, op) => topic == "-str.room" ? release.Task : null;
        var a = Window("a", "-str.room");
        var b = Window("b", "-window.b", "-str.room");
        using var cancel = new CancellationTokenSource();

        var joiningA = _registry.AddAsync(a, default);
        var joiningB = _registry.AddAsync(b, cancel.Token);
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => joiningB.DefaultTimeout());
        Assert.False(Has("-window.b", b) || Has("-str.room", b));
        // Cancelled during its own subscribe ("x") or after it ("+-"): either way no subscription is left behind.
        Assert.Contains(_broker.Operations("-window.b"), new[] { "+-", "x" });
        Assert.False(_broker.IsSubscribed("-window.b"));
        release.SetResult();
        await joiningA.DefaultTimeout();
        Assert.True(Has("-str.room", a));
        Assert.False(Has("-str.room", b));
        Assert.Equal(1, _registry.WindowCount);
        Assert.Empty(_broker.Violations);
    }

    [Fact]
    public async Task LargeTopicStaysOffTheLargeObjectHeapAndUnchangedReadsDoNotAllocate()
    {
        var windows = Enumerable.Range(0, (2 * TopicWindows.ChunkLength) + 100).Select(i => Window("w" + i, "-broadcast")).ToArray();
        foreach (var window in windows)
        {
            await _registry.AddAsync(window, default);
        }

        var snapshot = _registry.Get("-broadcast");
        Assert.Equal(windows.Length, snapshot.Length);
        Assert.True(windows.ToHashSet().SetEquals(snapshot));
        Assert.Equal(windows.Length, snapshot.Count());
        // Every array of the snapshot is below the 85,000-byte large-object threshold.
        Assert.InRange(snapshot.LargestArrayLength, 1, TopicWindows.ChunkLength);
        Assert.True((TopicWindows.ChunkLength * IntPtr.Size) + 32 < 85_000);

        var allocated = GC.GetAllocatedBytesForCurrentThread();
        var seen = 0;
        foreach (var window in _registry.Get("-broadcast"))
        {
            seen += window is null ? 0 : 1;
        }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - allocated);
        Assert.Equal(windows.Length, seen);

        await _registry.RemoveAsync(windows[5000]);
        Assert.False(Has("-broadcast", windows[5000]));
        Assert.Equal(windows.Length - 1, _registry.Get("-broadcast").Length);
        Assert.Equal("+", _broker.Operations("-broadcast"));
    }

    [Fact]
    public async Task WindowListedTwiceUnderATopicIsReturnedOnceAndLeavesCleanly()
    {
        var a = Window("a", "-str.room", "-str.room");
        var b = Window("b", "-str.room");
        await _registry.AddAsync(a, default);
        await _registry.AddAsync(b, default);
        Assert.Equal(2, _registry.Get("-str.room").Length);

        await _registry.RemoveAsync(a);
        Assert.Equal([b], _registry.Get("-str.room"));
        await _registry.RemoveAsync(b);
        Assert.Equal("+-", _broker.Operations("-str.room"));
        Assert.Equal(0, _registry.TopicCount);
    }
}
