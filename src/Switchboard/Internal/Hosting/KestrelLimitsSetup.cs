using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;
using Switchboard.Internal.Diagnostics;

namespace Switchboard.Internal.Hosting;

/// <summary>
/// With <see cref="SwitchboardOptions.LimitKestrelConnections"/>, keeps Kestrel below the open-file limit (90% of it)
/// where the app set no limit of its own: a plain Kestrel app that runs out of file handles dies; with these limits extra
/// connections are closed and WebSockets past <see cref="SwitchboardOptions.MaxWindows"/> get 503 instead. Without it,
/// nothing is changed. It remembers what it set, for the startup log (<see cref="SwitchboardStartup"/>).
/// </summary>
internal sealed class KestrelLimitsSetup(IOptions<SwitchboardOptions> switchboard) : IConfigureOptions<KestrelServerOptions>
{
    /// <summary>Whether Switchboard set <c>MaxConcurrentConnections</c> (at the last configuration of Kestrel's options).</summary>
    public bool SetConnections { get; private set; }

    /// <summary>Whether Switchboard set <c>MaxConcurrentUpgradedConnections</c>.</summary>
    public bool SetUpgradedConnections { get; private set; }

    public void Configure(KestrelServerOptions options)
    {
        if (!switchboard.Value.LimitKestrelConnections || OpenFileLimit.Current is not { } limit)
        {
            return;
        }
        var ceiling = limit * 9 / 10;
        SetConnections = options.Limits.MaxConcurrentConnections is null;
        SetUpgradedConnections = options.Limits.MaxConcurrentUpgradedConnections is null;
        options.Limits.MaxConcurrentConnections ??= ceiling;
        options.Limits.MaxConcurrentUpgradedConnections ??= ceiling;
    }
}
