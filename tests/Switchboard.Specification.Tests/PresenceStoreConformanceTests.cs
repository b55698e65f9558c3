namespace Switchboard.Specification.Tests;

/// <summary>
/// The contract of <see cref="IPresenceStore"/>, run against every implementation. Time is an argument of the store, so
/// every backend runs these on made-up instants: nothing waits. Topics are unique per test.
/// </summary>
public abstract class PresenceStoreConformanceTests : IAsyncLifetime
{
    /// <summary>An instant the tests count from.</summary>
    protected static readonly DateTimeOffset T0 = new(2026, 3, 4, 5, 6, 7, TimeSpan.Zero);

    private static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(30);

    /// <summary>Creates <paramref name="count"/> stores sharing one backend (one per node; the same instance is fine in one process).</summary>
    protected abstract Task<IPresenceStore[]> CreateStoresAsync(int count);

    /// <inheritdoc />
    public virtual Task InitializeAsync() => Task.CompletedTask;

    /// <inheritdoc />
    public virtual Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task AddedEntryIsReturnedWithEveryFieldUntilItExpires()
    {
        var store = await StoreAsync();
        var topic = NewTopic();
        // Separators and non-ASCII text in every field: the store must keep them as given.
        var entry = new PresenceEntry(topic, "node:1|a", "s#1", "ü:2|#3", "Zoë \"Z\" : |", "{\"k\":\"v:|\"}");

        Assert.True(await store.AddAsync(entry, T0 + Lifetime, default).DefaultTimeout());

        Assert.Equal([entry], await store.GetAsync(topic, T0, default).DefaultTimeout());
        Assert.Equal([entry], await store.GetAsync(topic, T0 + Lifetime - TimeSpan.FromMilliseconds(1), default).DefaultTimeout());
        Assert.Empty(await store.GetAsync(topic, T0 + Lifetime, default).DefaultTimeout());
    }

    [Fact]
    public async Task OnlyTheFirstEntryOfAUserIsAJoinAndOnlyTheLastRemovalALeave()
    {
        var store = await StoreAsync();
        var topic = NewTopic();
        var first = Entry(topic, "n1", "1", "alice");
        var second = Entry(topic, "n1", "2", "alice");

        Assert.True(await store.AddAsync(first, T0 + Lifetime, default).DefaultTimeout());
        Assert.False(await store.AddAsync(second, T0 + Lifetime, default).DefaultTimeout());
        Assert.False(await store.RemoveAsync(first, default).DefaultTimeout());
        Assert.True(await store.RemoveAsync(second, default).DefaultTimeout());

        Assert.Empty(await store.GetAsync(topic, T0, default).DefaultTimeout());
    }

    [Fact]
    public async Task DistinctUsersJoinAndLeaveOnTheirOwn()
    {
        var store = await StoreAsync();
        var topic = NewTopic();
        var alice = Entry(topic, "n1", "1", "alice");
        var bob = Entry(topic, "n1", "2", "bob");

        Assert.True(await store.AddAsync(alice, T0 + Lifetime, default).DefaultTimeout());
        Assert.True(await store.AddAsync(bob, T0 + Lifetime, default).DefaultTimeout());
        Assert.Equal(2, (await store.GetAsync(topic, T0, default).DefaultTimeout()).Count);

        Assert.True(await store.RemoveAsync(alice, default).DefaultTimeout());
        Assert.Equal([bob], await store.GetAsync(topic, T0, default).DefaultTimeout());
    }

    [Fact]
    public async Task AnonymousEntriesCountAsOneUser()
    {
        var store = await StoreAsync();
        var topic = NewTopic();
        var one = Entry(topic, "n1", "1", null);
        var two = Entry(topic, "n2", "1", null);

        Assert.True(await store.AddAsync(one, T0 + Lifetime, default).DefaultTimeout());
        Assert.False(await store.AddAsync(two, T0 + Lifetime, default).DefaultTimeout());
        Assert.Equal(2, (await store.GetAsync(topic, T0, default).DefaultTimeout()).Count);
        Assert.False(await store.RemoveAsync(two, default).DefaultTimeout());
        Assert.True(await store.RemoveAsync(one, default).DefaultTimeout());
    }

    [Fact]
    public async Task RenewingAnEntryIsNoJoinAndMovesItsExpiry()
    {
        var store = await StoreAsync();
        var topic = NewTopic();
        var entry = Entry(topic, "n1", "1", "alice");
        await store.AddAsync(entry, T0 + Lifetime, default).DefaultTimeout();

        Assert.False(await store.AddAsync(entry, T0 + Lifetime * 2, default).DefaultTimeout());

        Assert.Equal([entry], await store.GetAsync(topic, T0 + Lifetime * 1.5, default).DefaultTimeout());
        Assert.Empty((await store.SweepAsync(topic, T0 + Lifetime * 1.5, default).DefaultTimeout()).Removed);
        Assert.Equal([entry], await store.GetAsync(topic, T0 + Lifetime * 1.5, default).DefaultTimeout());
    }

    [Fact]
    public async Task RemovingAnUnknownEntryIsNoLeave()
    {
        var store = await StoreAsync();
        var topic = NewTopic();
        await store.AddAsync(Entry(topic, "n1", "1", "alice"), T0 + Lifetime, default).DefaultTimeout();

        Assert.False(await store.RemoveAsync(Entry(topic, "n1", "2", "alice"), default).DefaultTimeout());
        Assert.False(await store.RemoveAsync(Entry(NewTopic(), "n1", "1", "alice"), default).DefaultTimeout());
        Assert.Single(await store.GetAsync(topic, T0, default).DefaultTimeout());
    }

    [Fact]
    public async Task SweepRemovesOnlyExpiredEntriesAndTellsWhichUsersLeftOnce()
    {
        var store = await StoreAsync();
        var topic = NewTopic();
        var deadAlice = Entry(topic, "dead", "1", "alice");
        var deadBob = Entry(topic, "dead", "2", "bob");
        var liveBob = Entry(topic, "live", "1", "bob");
        await store.AddAsync(deadAlice, T0 + Lifetime, default).DefaultTimeout();
        await store.AddAsync(deadBob, T0 + Lifetime, default).DefaultTimeout();
        await store.AddAsync(liveBob, T0 + Lifetime * 3, default).DefaultTimeout();

        var sweep = await store.SweepAsync(topic, T0 + Lifetime * 2, default).DefaultTimeout();

        Assert.Equal(new[] { deadAlice, deadBob }.OrderBy(e => e.Socket), sweep.Removed.OrderBy(e => e.Socket));
        Assert.Equal([deadAlice], sweep.Left);
        Assert.Equal([liveBob], await store.GetAsync(topic, T0 + Lifetime * 2, default).DefaultTimeout());
        Assert.Empty((await store.SweepAsync(topic, T0 + Lifetime * 2, default).DefaultTimeout()).Removed);
        // Bob still counts once: his live entry is his last.
        Assert.True(await store.RemoveAsync(liveBob, default).DefaultTimeout());
    }

    [Fact]
    public async Task ASweptUserJoinsAgainWhenItsNodeAddsItBack()
    {
        var store = await StoreAsync();
        var topic = NewTopic();
        var entry = Entry(topic, "n1", "1", "alice");
        await store.AddAsync(entry, T0 + Lifetime, default).DefaultTimeout();
        Assert.Equal([entry], (await store.SweepAsync(topic, T0 + Lifetime, default).DefaultTimeout()).Left);

        Assert.True(await store.AddAsync(entry, T0 + Lifetime * 2, default).DefaultTimeout());
        Assert.False(await store.RemoveAsync(entry with { Socket = "other" }, default).DefaultTimeout());
        Assert.True(await store.RemoveAsync(entry, default).DefaultTimeout());
    }

    [Fact]
    public async Task TopicsAreIndependent()
    {
        var store = await StoreAsync();
        var a = NewTopic();
        var b = NewTopic();

        Assert.True(await store.AddAsync(Entry(a, "n1", "1", "alice"), T0 + Lifetime, default).DefaultTimeout());
        Assert.True(await store.AddAsync(Entry(b, "n1", "1", "alice"), T0 + Lifetime, default).DefaultTimeout());
        Assert.True(await store.RemoveAsync(Entry(a, "n1", "1", "alice"), default).DefaultTimeout());

        Assert.Empty(await store.GetAsync(a, T0, default).DefaultTimeout());
        Assert.Single(await store.GetAsync(b, T0, default).DefaultTimeout());
    }

    [Fact]
    public async Task TwoNodesSeeEachOthersEntriesAndCountUsersTogether()
    {
        var stores = await CreateStoresAsync(2);
        var topic = NewTopic();
        var onA = Entry(topic, "A", "1", "alice");
        var onB = Entry(topic, "B", "1", "alice");

        Assert.True(await stores[0].AddAsync(onA, T0 + Lifetime, default).DefaultTimeout());
        Assert.False(await stores[1].AddAsync(onB, T0 + Lifetime, default).DefaultTimeout());

        Assert.Equal(2, (await stores[0].GetAsync(topic, T0, default).DefaultTimeout()).Count);
        Assert.Equal(2, (await stores[1].GetAsync(topic, T0, default).DefaultTimeout()).Count);
        Assert.False(await stores[1].RemoveAsync(onA, default).DefaultTimeout());
        Assert.True(await stores[0].RemoveAsync(onB, default).DefaultTimeout());
    }

    [Fact]
    public async Task ADeadNodesEntriesExpireAndAreSweptByOneLiveNodeOnly()
    {
        var stores = await CreateStoresAsync(2);
        var topic = NewTopic();
        var dead = Entry(topic, "dead", "1", "carol");
        await stores[0].AddAsync(dead, T0 + Lifetime, default).DefaultTimeout();
        var live = Entry(topic, "live", "1", "dave");
        await stores[1].AddAsync(live, T0 + Lifetime, default).DefaultTimeout();
        // The live node renews; the dead one does not.
        await stores[1].AddAsync(live, T0 + Lifetime * 2, default).DefaultTimeout();

        var sweeps = await Task.WhenAll(
            stores[0].SweepAsync(topic, T0 + Lifetime, default).AsTask(),
            stores[1].SweepAsync(topic, T0 + Lifetime, default).AsTask()).DefaultTimeout();

        Assert.Equal([dead], sweeps.SelectMany(s => s.Removed));
        Assert.Equal([dead], sweeps.SelectMany(s => s.Left));
        Assert.Equal([live], await stores[0].GetAsync(topic, T0 + Lifetime, default).DefaultTimeout());
    }

    [Fact]
    public async Task AbandonedTopicsAreTakenOnceAndOnlyWhenEveryEntryExpired()
    {
        var stores = await CreateStoresAsync(2);
        // Instants before every other test's, so their topics are never abandoned at these.
        var t = T0 - TimeSpan.FromDays(400);
        var abandoned = NewTopic();
        var renewed = NewTopic();
        await stores[0].AddAsync(Entry(abandoned, "dead", "1", "x"), t + Lifetime, default).DefaultTimeout();
        await stores[0].AddAsync(Entry(abandoned, "dead", "2", null), t + Lifetime * 0.5, default).DefaultTimeout();
        await stores[0].AddAsync(Entry(renewed, "dead", "1", "x"), t + Lifetime, default).DefaultTimeout();
        await stores[1].AddAsync(Entry(renewed, "live", "1", "y"), t + Lifetime * 3, default).DefaultTimeout();

        Assert.DoesNotContain(abandoned, await stores[1].TakeAbandonedTopicsAsync(t + Lifetime * 0.9, 1000, default).DefaultTimeout());
        var taken = await Task.WhenAll(
            stores[0].TakeAbandonedTopicsAsync(t + Lifetime * 2, 1000, default).AsTask(),
            stores[1].TakeAbandonedTopicsAsync(t + Lifetime * 2, 1000, default).AsTask()).DefaultTimeout();

        Assert.Single(taken.SelectMany(x => x), abandoned);
        Assert.DoesNotContain(renewed, taken.SelectMany(x => x));
        Assert.Equal(2, (await stores[0].SweepAsync(abandoned, t + Lifetime * 2, default).DefaultTimeout()).Left.Count);
        Assert.Empty(await stores[1].TakeAbandonedTopicsAsync(t + Lifetime * 2, 1000, default).DefaultTimeout());

        // Entries added again make it a topic like any other; abandoned again once they expire.
        await stores[1].AddAsync(Entry(abandoned, "new", "1", "z"), t + Lifetime * 4, default).DefaultTimeout();
        Assert.DoesNotContain(abandoned, await stores[0].TakeAbandonedTopicsAsync(t + Lifetime * 3, 1000, default).DefaultTimeout());
        Assert.Contains(abandoned, await stores[0].TakeAbandonedTopicsAsync(t + Lifetime * 4, 1000, default).DefaultTimeout());
    }

    private async Task<IPresenceStore> StoreAsync() => (await CreateStoresAsync(1))[0];

    private static PresenceEntry Entry(string topic, string node, string socket, string? user) =>
        new(topic, node, socket, user, user is null ? null : user.ToUpperInvariant());

    private static string NewTopic() => "-str.room:" + Guid.NewGuid().ToString("N");
}
