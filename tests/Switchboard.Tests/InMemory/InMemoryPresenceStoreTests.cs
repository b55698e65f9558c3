using Switchboard.Internal.InMemory;
using Switchboard.Specification.Tests;

namespace Switchboard.Tests.InMemory;

public sealed class InMemoryPresenceStoreTests : PresenceStoreConformanceTests
{
    private readonly InMemoryPresenceStore _store = new();

    // One process, one store: every "node" shares the same instance.
    protected override Task<IPresenceStore[]> CreateStoresAsync(int count) =>
        Task.FromResult(Enumerable.Repeat<IPresenceStore>(_store, count).ToArray());
}
