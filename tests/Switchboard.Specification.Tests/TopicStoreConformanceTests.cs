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
