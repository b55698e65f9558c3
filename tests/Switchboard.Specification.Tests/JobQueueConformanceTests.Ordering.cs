using System.Collections.Concurrent;

namespace Switchboard.Specification.Tests;

/// <summary>
/// Ordering keys (<see cref="SignalJob.OrderingKey"/>): jobs of one key on one queue are handed out one at a time, in
/// enqueue order, the next once the previous was completed; other keys and jobs without a key are unaffected.
/// "Not available yet" is checked with a marker job, never by sleeping.
/// </summary>
public abstract partial class JobQueueConformanceTests
{
    [Fact]
    public async Task JobsOfOneKeyAreHandedOutOneAtATimeInEnqueueOrderToConcurrentConsumers()
    {
        const int count = 30;
        var jobs = await NewQueueAsync();
        var queue = NewQueueName();
        var ids = Enumerable.Range(0, count).Select(i => $"k-{i:00}").ToList();
        foreach (var id in ids)
        {
            await jobs.EnqueueAsync(KeyedJob(queue, id, "window-1"), default).DefaultTimeout();
        }
        var handedOut = new ConcurrentQueue<string>();
        var inFlight = 0;
        var overlaps = 0;
        using var stop = new CancellationTokenSource();

        var consumers = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            while (true)
            {
                JobLease lease;
                try
                {
                    lease = await jobs.DequeueAsync(queue, stop.Token);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
                if (Interlocked.Increment(ref inFlight) > 1)
                {
                    Interlocked.Increment(ref overlaps);
                }
                handedOut.Enqueue(lease.Job.Id);
                await Task.Yield();
                Interlocked.Decrement(ref inFlight);
                await jobs.CompleteAsync(lease, default);
                if (handedOut.Count == count)
                {
                    await stop.CancelAsync();
                }
            }
        })).ToArray();

        await Task.WhenAll(consumers).WaitAsync(TaskTimeoutExtensions.Timeout * 2);
        Assert.Equal(0, overlaps);
        Assert.Equal(ids, handedOut);
    }

    [Fact]
    public async Task NextJobOfAKeyIsAvailableOnlyOnceThePreviousIsCompleted()
    {
        var jobs = await NewQueueAsync();
        var queue = NewQueueName();
        await jobs.EnqueueAsync(KeyedJob(queue, "first", "w"), default).DefaultTimeout();
        await jobs.EnqueueAsync(KeyedJob(queue, "second", "w"), default).DefaultTimeout();

        var first = await jobs.DequeueAsync(queue, default).DefaultTimeout();
        Assert.Equal("first", first.Job.Id);
        Assert.Equal("w", first.Job.OrderingKey);
        await jobs.AssertNothingAvailableAsync(queue, Time.GetUtcNow());
        var waiting = jobs.DequeueAsync(queue, default).AsTask();
        await jobs.CompleteAsync(first, default).DefaultTimeout();

        Assert.Equal("second", (await waiting.DefaultTimeout()).Job.Id);
    }

    [Fact]
    public async Task CompletingALeaseTwiceMovesItsLineOnOnce()
    {
        var jobs = await NewQueueAsync();
        var queue = NewQueueName();
        foreach (var id in new[] { "1", "2", "3" })
        {
            await jobs.EnqueueAsync(KeyedJob(queue, id, "w"), default).DefaultTimeout();
        }
        var first = await jobs.DequeueAsync(queue, default).DefaultTimeout();

        await Task.WhenAll(jobs.CompleteAsync(first, default).AsTask(), jobs.CompleteAsync(first, default).AsTask()).DefaultTimeout();
        await jobs.CompleteAsync(first, default).DefaultTimeout();

        var second = await jobs.DequeueAsync(queue, default).DefaultTimeout();
        Assert.Equal("2", second.Job.Id);
        await jobs.AssertNothingAvailableAsync(queue, Time.GetUtcNow());
        await jobs.CompleteAsync(second, default).DefaultTimeout();
        Assert.Equal("3", (await jobs.TakeAsync(queue)).Id);
    }

    [Fact]
    public async Task DeadLetteredJobLetsTheNextOfItsKeyCome()
    {
        var jobs = await NewQueueAsync();
        var dead = jobs as IDeadLetterQueue ?? throw new InvalidOperationException($"{jobs.GetType().Name} does not implement IDeadLetterQueue.");
        var queue = NewQueueName();
        await jobs.EnqueueAsync(KeyedJob(queue, "fails", "w"), default).DefaultTimeout();
        await jobs.EnqueueAsync(KeyedJob(queue, "next", "w"), default).DefaultTimeout();
        var failing = await jobs.DequeueAsync(queue, default).DefaultTimeout();

        // What a worker does with a job whose handler failed its last attempt: dead-letter it, complete its lease.
        await dead.DeadLetterAsync(failing.Job, "failed", default).DefaultTimeout();
        await jobs.CompleteAsync(failing, default).DefaultTimeout();

        Assert.Equal("next", (await jobs.TakeAsync(queue)).Id);
        Assert.Equal("fails", Assert.Single(await dead.ListDeadLettersAsync(queue, 10, default).DefaultTimeout()).Job!.Id);
    }

    [Fact]
    public async Task AbandonedJobKeepsItsPlaceFirstInLineUntilItsRetryIsDueAndTheOrderHoldsAfter()
    {
        var jobs = await NewQueueAsync();
        var queue = NewQueueName();
        foreach (var id in new[] { "a", "b", "c" })
        {
            await jobs.EnqueueAsync(KeyedJob(queue, id, "w"), default).DefaultTimeout();
        }
        var a = await jobs.DequeueAsync(queue, default).DefaultTimeout();

        await jobs.AbandonAsync(a, ShortDelay * 2, default).DefaultTimeout();
        await AdvanceTimeAsync(ShortDelay);
        await jobs.AssertNothingAvailableAsync(queue, Time.GetUtcNow());
        var waiting = jobs.DequeueAsync(queue, default).AsTask();
        await AdvanceTimeAsync(ShortDelay * 1.5);

        var retried = await waiting.DefaultTimeout();
        Assert.Equal(("a", 1, "w"), (retried.Job.Id, retried.Job.Attempt, retried.Job.OrderingKey));
        await jobs.AssertNothingAvailableAsync(queue, Time.GetUtcNow());
        await jobs.CompleteAsync(retried, default).DefaultTimeout();
        Assert.Equal("b", (await jobs.TakeAsync(queue)).Id);
        Assert.Equal("c", (await jobs.TakeAsync(queue)).Id);
    }

    [Fact]
    public async Task AbandonedJobWithoutDelayComesBackBeforeTheNextOfItsKey()
    {
        var jobs = await NewQueueAsync();
        var queue = NewQueueName();
        await jobs.EnqueueAsync(KeyedJob(queue, "a", "w"), default).DefaultTimeout();
        await jobs.EnqueueAsync(KeyedJob(queue, "b", "w"), default).DefaultTimeout();
        var a = await jobs.DequeueAsync(queue, default).DefaultTimeout();

        await jobs.AbandonAsync(a, TimeSpan.Zero, default).DefaultTimeout();

        var again = await jobs.TakeAsync(queue);
        Assert.Equal(("a", 1), (again.Id, again.Attempt));
        Assert.Equal("b", (await jobs.TakeAsync(queue)).Id);
    }

    [Fact]
    public async Task AbandonedJobCanComeBackNarrowedAndStillFirstInLine()
    {
        // A worker gives back only the handlers that failed, on the same lease state.
        var jobs = await NewQueueAsync();
        var queue = NewQueueName();
        var job = new SignalJob
        {
            Id = "two-handlers",
            Queue = queue,
            Signal = "spec.job",
            Handlers = ["spec.job#ok", "spec.job#failed"],
            CreatedAt = Time.GetUtcNow(),
            OrderingKey = "w",
        };
        await jobs.EnqueueAsync(job, default).DefaultTimeout();
        await jobs.EnqueueAsync(KeyedJob(queue, "next", "w"), default).DefaultTimeout();
        var lease = await jobs.DequeueAsync(queue, default).DefaultTimeout();

        var narrowed = lease.Job.WithAttempt(lease.Job.Attempt, lease.Job.NotBefore, ["spec.job#failed"]);
        await jobs.AbandonAsync(new JobLease(narrowed, lease.State), TimeSpan.Zero, default).DefaultTimeout();

        var again = await jobs.TakeAsync(queue);
        Assert.Equal(("two-handlers", 1), (again.Id, again.Attempt));
        Assert.Equal(["spec.job#failed"], again.Handlers);
        Assert.Equal("next", (await jobs.TakeAsync(queue)).Id);
    }

    [Fact]
    public async Task JobsOfDifferentKeysAreHandedOutInParallel()
    {
        var jobs = await NewQueueAsync();
        var queue = NewQueueName();
        await jobs.EnqueueAsync(KeyedJob(queue, "a1", "a"), default).DefaultTimeout();
        await jobs.EnqueueAsync(KeyedJob(queue, "a2", "a"), default).DefaultTimeout();
        await jobs.EnqueueAsync(KeyedJob(queue, "b1", "b"), default).DefaultTimeout();
        await jobs.EnqueueAsync(KeyedJob(queue, "b2", "b"), default).DefaultTimeout();

        var first = await jobs.DequeueAsync(queue, default).DefaultTimeout();
        var second = await jobs.DequeueAsync(queue, default).DefaultTimeout();

        Assert.Equal(["a1", "b1"], new[] { first.Job.Id, second.Job.Id });
        await jobs.AssertNothingAvailableAsync(queue, Time.GetUtcNow());
        await jobs.CompleteAsync(second, default).DefaultTimeout();
        Assert.Equal("b2", (await jobs.TakeAsync(queue)).Id);
        await jobs.CompleteAsync(first, default).DefaultTimeout();
        Assert.Equal("a2", (await jobs.TakeAsync(queue)).Id);
    }

    [Fact]
    public async Task JobsWithoutKeyAreUnaffectedByAKeysLine()
    {
        var jobs = await NewQueueAsync();
        var queue = NewQueueName();
        await jobs.EnqueueAsync(KeyedJob(queue, "k1", "w"), default).DefaultTimeout();
        await jobs.EnqueueAsync(KeyedJob(queue, "k2", "w"), default).DefaultTimeout();
        await jobs.EnqueueAsync(NewJob(queue, "free-1"), default).DefaultTimeout();
        await jobs.EnqueueAsync(NewJob(queue, "free-2"), default).DefaultTimeout();

        var k1 = await jobs.DequeueAsync(queue, default).DefaultTimeout();
        var free1 = await jobs.DequeueAsync(queue, default).DefaultTimeout();
        var free2 = await jobs.DequeueAsync(queue, default).DefaultTimeout();

        Assert.Equal(["k1", "free-1", "free-2"], new[] { k1.Job.Id, free1.Job.Id, free2.Job.Id });
        await jobs.AssertNothingAvailableAsync(queue, Time.GetUtcNow());
        await jobs.CompleteAsync(free1, default).DefaultTimeout();
        await jobs.CompleteAsync(free2, default).DefaultTimeout();
        await jobs.AssertNothingAvailableAsync(queue, Time.GetUtcNow());
        await jobs.CompleteAsync(k1, default).DefaultTimeout();
        Assert.Equal("k2", (await jobs.TakeAsync(queue)).Id);
    }

    [Fact]
    public async Task KeysAreOrderedPerQueue()
    {
        var jobs = await NewQueueAsync();
        var (first, second) = (NewQueueName(), NewQueueName());
        await jobs.EnqueueAsync(KeyedJob(first, "first-1", "w"), default).DefaultTimeout();
        await jobs.EnqueueAsync(KeyedJob(second, "second-1", "w"), default).DefaultTimeout();

        var held = await jobs.DequeueAsync(first, default).DefaultTimeout();

        Assert.Equal("second-1", (await jobs.TakeAsync(second)).Id);
        await jobs.CompleteAsync(held, default).DefaultTimeout();
    }

    [Fact]
    public async Task DelayedJobOfAKeyHoldsTheJobsBehindItUntilDue()
    {
        var jobs = await NewQueueAsync();
        var queue = NewQueueName();
        await jobs.EnqueueAsync(KeyedJob(queue, "later", "w", notBefore: Time.GetUtcNow() + ShortDelay * 2), default).DefaultTimeout();
        await jobs.EnqueueAsync(KeyedJob(queue, "behind", "w"), default).DefaultTimeout();

        await AdvanceTimeAsync(ShortDelay);
        await jobs.AssertNothingAvailableAsync(queue, Time.GetUtcNow());
        var waiting = jobs.DequeueAsync(queue, default).AsTask();
        await AdvanceTimeAsync(ShortDelay * 1.5);

        var later = await waiting.DefaultTimeout();
        Assert.Equal("later", later.Job.Id);
        await jobs.CompleteAsync(later, default).DefaultTimeout();
        Assert.Equal("behind", (await jobs.TakeAsync(queue)).Id);
    }

    [Fact]
    public async Task ManyKeysKeepTheirOrderUnderConcurrentProducersAndConsumers()
    {
        const int keys = 20;
        const int perKey = 25;
        var jobs = await NewQueueAsync();
        var queue = NewQueueName();
        var seen = new ConcurrentDictionary<string, ConcurrentQueue<int>>();
        var inFlight = new ConcurrentDictionary<string, int>();
        var overlaps = 0;
        var taken = 0;
        using var stop = new CancellationTokenSource();

        var consumers = Enumerable.Range(0, 6).Select(_ => Task.Run(async () =>
        {
            while (true)
            {
                JobLease lease;
                try
                {
                    lease = await jobs.DequeueAsync(queue, stop.Token);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
                var key = lease.Job.OrderingKey!;
                if (inFlight.AddOrUpdate(key, 1, (_, n) => n + 1) > 1)
                {
                    Interlocked.Increment(ref overlaps);
                }
                seen.GetOrAdd(key, _ => new ConcurrentQueue<int>()).Enqueue(int.Parse(lease.Job.Id.Split('/')[1], System.Globalization.CultureInfo.InvariantCulture));
                await Task.Yield();
                inFlight.AddOrUpdate(key, 0, (_, n) => n - 1);
                await jobs.CompleteAsync(lease, default);
                if (Interlocked.Increment(ref taken) == keys * perKey)
                {
                    await stop.CancelAsync();
                }
            }
        })).ToArray();
        // Four producers, each with five keys, enqueue their keys' jobs interleaved.
        var producers = Enumerable.Range(0, 4).Select(p => Task.Run(async () =>
        {
            for (var i = 0; i < perKey; i++)
            {
                for (var k = p; k < keys; k += 4)
                {
                    await jobs.EnqueueAsync(KeyedJob(queue, $"key-{k}/{i}", $"key-{k}"), default);
                }
            }
        }));

        await Task.WhenAll(producers).WaitAsync(TaskTimeoutExtensions.Timeout * 2);
        await Task.WhenAll(consumers).WaitAsync(TaskTimeoutExtensions.Timeout * 4);

        Assert.Equal(0, overlaps);
        Assert.Equal(keys, seen.Count);
        Assert.All(seen, pair => Assert.Equal(Enumerable.Range(0, perKey), pair.Value));
    }

    /// <summary>A minimal server job in the line of <paramref name="key"/>.</summary>
    protected SignalJob KeyedJob(string queue, string id, string key, DateTimeOffset? notBefore = null) =>
        SampleJobs.Minimal(queue, id, Time.GetUtcNow(), notBefore, key);
}
