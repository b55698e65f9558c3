namespace Switchboard.Specification.Tests;

/// <summary>
/// The contract of <see cref="ITopicStore"/>, run against every implementation. Time moves only through
/// <see cref="AdvanceTimeAsync"/>: an in-memory store advances a fake clock, a real backend waits for real
/// (short) TTLs, so <see cref="ShortTimeToLive"/> should be small there.
/// </summary>
public abstract class TopicStoreConformanceTests : IAsyncLifetime
{
    private readonly List<ITopicStore> _created = [];

    /// <summary>Creates <paramref name="count"/> stores sharing one backend (one per node; the same instance is fine in one process).</summary>
    protected abstract Task<ITopicStore[]> CreateStoresAsync(int count);

    /// <summary>Lets <paramref name="by"/> pass for the store's clock.</summary>
    protected abstract Task AdvanceTimeAsync(TimeSpan by);

    /// <summary>A TTL the tests wait out. <value>The default is 1 second.</value></summary>
    protected virtual TimeSpan ShortTimeToLive => TimeSpan.FromSeconds(1);

    /// <summary>A TTL no test waits out.</summary>
    protected static TimeSpan LongTimeToLive => TimeSpan.FromHours(1);

    /// <summary>Releases a store; by default disposes it.</summary>
    protected virtual ValueTask DisposeStoreAsync(ITopicStore store) => Disposal.DisposeAsync(store);

    /// <inheritdoc />
    public virtual Task InitializeAsync() => Task.CompletedTask;

    /// <inheritdoc />
    public virtual async Task DisposeAsync()
    {
        foreach (var store in _created.Distinct())
        {
            await DisposeStoreAsync(store);
        }
    }

    [Fact]
    public async Task SetThenGetReturnsTheSameTopicsInOrder()
    {
        var store = await CreateStoreAsync();
        var key = NewWindowKey();
        string[] topics = ["-broadcast", "-window." + key, "-user.42", "-str.room:1"];

        await store.SetAsync(key, topics, LongTimeToLive, default).DefaultTimeout();

        Assert.Equal(topics, await store.GetAsync(key, default).DefaultTimeout());
    }

    [Fact]
    public async Task SecondSetReplacesTheTopics()
    {
        var store = await CreateStoreAsync();
        var key = NewWindowKey();
        await store.SetAsync(key, ["-broadcast", "-str.a", "-str.b"], LongTimeToLive, default).DefaultTimeout();

        await store.SetAsync(key, ["-str.c"], LongTimeToLive, default).DefaultTimeout();

        Assert.Equal(["-str.c"], await store.GetAsync(key, default).DefaultTimeout());
    }

    [Fact]
    public async Task SecondSetAlsoReplacesTheTimeToLive()
    {
        var store = await CreateStoreAsync();
        var key = NewWindowKey();
        await store.SetAsync(key, ["-str.first"], ShortTimeToLive, default).DefaultTimeout();
        await store.SetAsync(key, ["-str.second"], LongTimeToLive, default).DefaultTimeout();

        await AdvanceTimeAsync(ShortTimeToLive * 2);

        Assert.Equal(["-str.second"], await store.GetAsync(key, default).DefaultTimeout());
    }

    [Fact]
    public async Task UnknownWindowKeyGivesNull()
    {
        var store = await CreateStoreAsync();
        await store.SetAsync(NewWindowKey(), ["-broadcast"], LongTimeToLive, default).DefaultTimeout();

        Assert.Null(await store.GetAsync(NewWindowKey(), default).DefaultTimeout());
    }

    [Fact]
    public async Task EntryIsKeptUntilItsTimeToLive()
    {
        var store = await CreateStoreAsync();
        var key = NewWindowKey();
        await store.SetAsync(key, ["-broadcast"], ShortTimeToLive * 4, default).DefaultTimeout();

        await AdvanceTimeAsync(ShortTimeToLive);

        Assert.Equal(["-broadcast"], await store.GetAsync(key, default).DefaultTimeout());
    }

    [Fact]
    public async Task EntryExpiresAfterItsTimeToLive()
    {
        var store = await CreateStoreAsync();
        var key = NewWindowKey();
        await store.SetAsync(key, ["-broadcast"], ShortTimeToLive, default).DefaultTimeout();
        Assert.NotNull(await store.GetAsync(key, default).DefaultTimeout());

        await AdvanceTimeAsync(ShortTimeToLive * 1.5);

        Assert.Null(await store.GetAsync(key, default).DefaultTimeout());
    }

    [Fact]
    public async Task WindowKeysAreIsolated()
    {
        var store = await CreateStoreAsync();
        var (first, second) = (NewWindowKey(), NewWindowKey());
        await store.SetAsync(first, ["-str.first"], ShortTimeToLive, default).DefaultTimeout();
        await store.SetAsync(second, ["-str.second"], LongTimeToLive, default).DefaultTimeout();

        Assert.Equal(["-str.first"], await store.GetAsync(first, default).DefaultTimeout());
        await store.SetAsync(first, ["-str.replaced"], ShortTimeToLive, default).DefaultTimeout();
        Assert.Equal(["-str.second"], await store.GetAsync(second, default).DefaultTimeout());

        await AdvanceTimeAsync(ShortTimeToLive * 1.5);

        Assert.Null(await store.GetAsync(first, default).DefaultTimeout());
        Assert.Equal(["-str.second"], await store.GetAsync(second, default).DefaultTimeout());
    }

    [Fact]
    public async Task TopicsWithAnyCharactersRoundTrip()
    {
        var store = await CreateStoreAsync();
        var key = NewWindowKey();
        string[] topics = ["-str.", "-str.a,b", "-str.\"quoted\"", "-str.line\nbreak", "-str.caf\u00e9 \u4e16\u754c", "-str.a|b", "-str.[\"json\"]"];

        await store.SetAsync(key, topics, LongTimeToLive, default).DefaultTimeout();

        Assert.Equal(topics, await store.GetAsync(key, default).DefaultTimeout());
    }

    [Fact]
    public async Task ManyTopicsRoundTrip()
    {
        var store = await CreateStoreAsync();
        var key = NewWindowKey();
        var topics = Enumerable.Range(0, 500).Select(i => "-str.topic-" + i).ToArray();

        await store.SetAsync(key, topics, LongTimeToLive, default).DefaultTimeout();

        Assert.Equal(topics, await store.GetAsync(key, default).DefaultTimeout());
    }

    [Fact]
    public async Task TopicsWrittenOnOneNodeAreReadOnAnother()
    {
        var stores = await CreateStoresAsync(2).DefaultTimeout();
        _created.AddRange(stores);
        var key = NewWindowKey();

        await stores[0].SetAsync(key, ["-broadcast", "-str.shared"], LongTimeToLive, default).DefaultTimeout();

        Assert.Equal(["-broadcast", "-str.shared"], await stores[1].GetAsync(key, default).DefaultTimeout());
    }

    [Fact]
    public async Task StoredTopicsAreACopyOfTheCallersList()
    {
        var store = await CreateStoreAsync();
        var key = NewWindowKey();
        var topics = new List<string> { "-broadcast" };
        await store.SetAsync(key, topics, LongTimeToLive, default).DefaultTimeout();

        topics.Add("-str.added-later");

        Assert.Equal(["-broadcast"], await store.GetAsync(key, default).DefaultTimeout());
    }

    [Fact]
    public async Task EmptyWindowKeyIsRejected()
    {
        var store = await CreateStoreAsync();

        await Assert.ThrowsAnyAsync<ArgumentException>(() => store.SetAsync("", ["-broadcast"], LongTimeToLive, default).AsTask().DefaultTimeout());
    }

    [Fact]
    public async Task ChangeAddsNewTopicsAtTheEndAndRemovesOthers()
    {
        var store = await CreateStoreAsync();
        var key = NewWindowKey();
        await store.SetAsync(key, ["-broadcast", "-str.a", "-str.b"], LongTimeToLive, default).DefaultTimeout();

        var changed = await store.ChangeAsync(key, ["-str.c", "-str.a", "-str.d"], ["-str.b", "-str.missing"], LongTimeToLive, default).DefaultTimeout();

        Assert.Equal(["-broadcast", "-str.a", "-str.c", "-str.d"], changed);
        Assert.Equal(["-broadcast", "-str.a", "-str.c", "-str.d"], await store.GetAsync(key, default).DefaultTimeout());
    }

    [Fact]
    public async Task ChangeThatRemovesEverythingLeavesAnEmptyListNotNothing()
    {
        var store = await CreateStoreAsync();
        var key = NewWindowKey();
        await store.SetAsync(key, ["-str.a"], LongTimeToLive, default).DefaultTimeout();

        Assert.Equal([], await store.ChangeAsync(key, [], ["-str.a"], LongTimeToLive, default).DefaultTimeout());
        Assert.Equal([], await store.GetAsync(key, default).DefaultTimeout());
        Assert.Equal(["-str.b"], await store.ChangeAsync(key, ["-str.b"], [], LongTimeToLive, default).DefaultTimeout());
    }

    [Fact]
    public async Task ChangeOfAnUnknownOrExpiredWindowStoresNothing()
    {
        var store = await CreateStoreAsync();
        var (unknown, expiring) = (NewWindowKey(), NewWindowKey());
        await store.SetAsync(expiring, ["-str.a"], ShortTimeToLive, default).DefaultTimeout();
        await AdvanceTimeAsync(ShortTimeToLive * 1.5);

        Assert.Null(await store.ChangeAsync(unknown, ["-str.x"], [], LongTimeToLive, default).DefaultTimeout());
        Assert.Null(await store.ChangeAsync(expiring, ["-str.x"], [], LongTimeToLive, default).DefaultTimeout());
        Assert.Null(await store.GetAsync(unknown, default).DefaultTimeout());
        Assert.Null(await store.GetAsync(expiring, default).DefaultTimeout());
    }

    [Fact]
    public async Task ChangeRenewsTheTimeToLive()
    {
        var store = await CreateStoreAsync();
        var key = NewWindowKey();
        await store.SetAsync(key, ["-str.a"], ShortTimeToLive, default).DefaultTimeout();

        await store.ChangeAsync(key, ["-str.b"], [], LongTimeToLive, default).DefaultTimeout();
        await AdvanceTimeAsync(ShortTimeToLive * 2);

        Assert.Equal(["-str.a", "-str.b"], await store.GetAsync(key, default).DefaultTimeout());
    }

    [Fact]
    public async Task ConcurrentChangesOfOneWindowAreAllKept()
    {
        var stores = await CreateStoresAsync(2).DefaultTimeout();
        _created.AddRange(stores);
        var key = NewWindowKey();
        await stores[0].SetAsync(key, ["-broadcast"], LongTimeToLive, default).DefaultTimeout();

        await Task.WhenAll(Enumerable.Range(0, 40).Select(i =>
            stores[i % 2].ChangeAsync(key, ["-str.t" + i], [], LongTimeToLive, default).AsTask())).DefaultTimeout();

        var topics = await stores[1].GetAsync(key, default).DefaultTimeout();
        Assert.Equal(41, topics!.Count);
        Assert.Equal(Enumerable.Range(0, 40).Select(i => "-str.t" + i).Order(), topics.Skip(1).Order());
    }

    [Fact]
    public async Task ChangedTopicsWithAnyCharactersRoundTrip()
    {
        var store = await CreateStoreAsync();
        var key = NewWindowKey();
        string[] odd = ["-str.a,b", "-str.\"quoted\"", "-str.line\nbreak", "-str.caf\u00e9 \u4e16\u754c", "-str.a/b", "-str.[\"json\"]"];
        await store.SetAsync(key, ["-str.first"], LongTimeToLive, default).DefaultTimeout();

        await store.ChangeAsync(key, odd, ["-str.first"], LongTimeToLive, default).DefaultTimeout();

        Assert.Equal(odd, await store.GetAsync(key, default).DefaultTimeout());
    }

    [Fact]
    public async Task RefreshKeepsAConnectedWindowsTopicsPastTheirTimeToLive()
    {
        var store = await CreateStoreAsync();
        var key = NewWindowKey();
        await store.SetAsync(key, ["-str.a"], ShortTimeToLive * 2, default).DefaultTimeout();

        await AdvanceTimeAsync(ShortTimeToLive);
        Assert.True(await store.RefreshAsync(key, ShortTimeToLive * 4, default).DefaultTimeout());
        await AdvanceTimeAsync(ShortTimeToLive * 2);

        Assert.Equal(["-str.a"], await store.GetAsync(key, default).DefaultTimeout());
    }

    [Fact]
    public async Task RefreshOfAnUnknownOrExpiredWindowIsFalse()
    {
        var store = await CreateStoreAsync();
        var key = NewWindowKey();
        await store.SetAsync(key, ["-str.a"], ShortTimeToLive, default).DefaultTimeout();
        await AdvanceTimeAsync(ShortTimeToLive * 1.5);

        Assert.False(await store.RefreshAsync(key, LongTimeToLive, default).DefaultTimeout());
        Assert.False(await store.RefreshAsync(NewWindowKey(), LongTimeToLive, default).DefaultTimeout());
        Assert.Null(await store.GetAsync(key, default).DefaultTimeout());
    }

    /// <summary>One store, tracked for cleanup.</summary>
    protected async Task<ITopicStore> CreateStoreAsync()
    {
        var stores = await CreateStoresAsync(1).DefaultTimeout();
        _created.AddRange(stores);
        return Assert.Single(stores);
    }

    /// <summary>A unique window key, so tests sharing a backend never collide.</summary>
    protected static string NewWindowKey() => "spec-" + Guid.NewGuid().ToString("N");
}
