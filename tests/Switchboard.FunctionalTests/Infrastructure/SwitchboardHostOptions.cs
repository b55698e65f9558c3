using Microsoft.AspNetCore.Builder;
using Switchboard.Internal.InMemory;
using Xunit.Abstractions;

namespace Switchboard.FunctionalTests.Infrastructure;

/// <summary>What a test chooses for its <see cref="SwitchboardHost"/>.</summary>
internal sealed class SwitchboardHostOptions
{
    /// <summary>Switchboard options (applied after the harness defaults).</summary>
    public Action<SwitchboardOptions>? Switchboard { get; set; }

    /// <summary>Handlers, registered with <c>MapSignal</c> on the builder <c>AddSwitchboard</c> returns.</summary>
    public Action<ISwitchboardBuilder>? Signals { get; set; }

    /// <summary>Extra services, registered before <c>AddSwitchboard</c> (so they win over its TryAdd defaults).</summary>
    public Action<IServiceCollection>? Services { get; set; }

    /// <summary>Middleware placed first in the pipeline, before authentication and <c>UseSwitchboard</c> (e.g. <c>UseForwardedHeaders</c>).</summary>
    public Action<WebApplication>? Middleware { get; set; }

    /// <summary>Extra endpoints, mapped after <c>MapSwitchboard</c>.</summary>
    public Action<WebApplication>? Endpoints { get; set; }

    /// <summary>The clock of the host (e.g. a FakeTimeProvider); null keeps <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider? Time { get; set; }

    /// <summary>Several hosts given the same network act as nodes of one cluster.</summary>
    public InMemoryBrokerNetwork? Network { get; set; }

    /// <summary>A topic store shared between nodes.</summary>
    public ITopicStore? TopicStore { get; set; }

    /// <summary>A Data Protection key directory shared between nodes; null uses an ephemeral key ring.</summary>
    public DirectoryInfo? DataProtectionKeys { get; set; }

    /// <summary>Where the host logs (warnings and up); null logs nothing.</summary>
    public ITestOutputHelper? Output { get; set; }
}
