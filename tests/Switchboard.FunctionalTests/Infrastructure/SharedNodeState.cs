using Microsoft.AspNetCore.DataProtection;
using Switchboard.Internal.InMemory;

namespace Switchboard.FunctionalTests.Infrastructure;

/// <summary>
/// What nodes in one process share, as Redis and a shared key ring would give them: one in-memory broker network, one
/// topic store and one Data Protection key ring. The key is made before any node starts, so nodes never race to create
/// one each. Disposing deletes the key ring's folder (after the nodes are stopped).
/// </summary>
internal sealed class SharedNodeState : IDisposable
{
    /// <param name="networkOptions">The network's own options (e.g. a longer history); default options otherwise.</param>
    public SharedNodeState(SwitchboardOptions? networkOptions = null)
    {
        Network = new InMemoryBrokerNetwork(TimeProvider.System, Microsoft.Extensions.Options.Options.Create(networkOptions ?? new SwitchboardOptions()));
        DataProtectionProvider.Create(Keys, b => b.SetApplicationName(SwitchboardHost.ApplicationName))
            .CreateProtector("warm-up").Protect("key ring");
    }

    public DirectoryInfo Keys { get; } = Directory.CreateTempSubdirectory("switchboard-keys-");

    public InMemoryBrokerNetwork Network { get; }

    public InMemoryTopicStore Topics { get; } = new(TimeProvider.System);

    /// <summary>Makes a node share this state (for use inside a host's own configuration).</summary>
    public void Apply(SwitchboardHostOptions options)
    {
        options.Network = Network;
        options.TopicStore = Topics;
        options.DataProtectionKeys = Keys;
    }

    /// <summary>Starts a node named <paramref name="name"/> sharing this state, with <paramref name="more"/> on top.</summary>
    public Task<SwitchboardHost> StartNodeAsync(string name, Action<SwitchboardHostOptions>? more = null) =>
        SwitchboardHost.StartAsync(name, o =>
        {
            Apply(o);
            more?.Invoke(o);
        });

    public void Dispose() => Keys.Delete(recursive: true);
}
