using Microsoft.Extensions.Time.Testing;
using Switchboard.Internal.InMemory;
using Switchboard.Specification.Tests;

namespace Switchboard.Tests.InMemory;

public sealed class InMemoryTopicStoreTests : TopicStoreConformanceTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero));
    private InMemoryTopicStore? _store;

    protected override Task<ITopicStore[]> CreateStoresAsync(int count)
    {
        // One process, one store: every "node" shares the same instance.
        _store ??= new InMemoryTopicStore(_time);
        return Task.FromResult(Enumerable.Repeat<ITopicStore>(_store, count).ToArray());
    }

    protected override Task AdvanceTimeAsync(TimeSpan by)
    {
        _time.Advance(by);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task EntryIsPresentOneTickBeforeItsTimeToLiveAndGoneAtIt()
    {
        var store = await CreateStoreAsync();
        await store.SetAsync("w", ["-broadcast"], TimeSpan.FromMinutes(10), default);

        _time.Advance(TimeSpan.FromMinutes(10) - TimeSpan.FromTicks(1));
        Assert.NotNull(await store.GetAsync("w", default));

        _time.Advance(TimeSpan.FromTicks(1));
        Assert.Null(await store.GetAsync("w", default));
    }
}
