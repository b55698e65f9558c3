using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;
using Switchboard.Internal.Diagnostics;

namespace Switchboard.Internal.Hosting;

/// <summary>
/// Keeps Kestrel below the open-file limit (90% of it) unless the app set its own limits: a plain Kestrel app that runs
/// out of file handles dies; with these limits extra connections are closed and WebSockets past
/// <see cref="SwitchboardOptions.MaxWindows"/> get 503 instead.
/// </summary>
internal sealed class KestrelLimitsSetup : IConfigureOptions<KestrelServerOptions>
{
    public void Configure(KestrelServerOptions options)
    {
        if (OpenFileLimit.Current is not { } limit)
        {
            return;
        }
        var ceiling = limit * 9 / 10;
        options.Limits.MaxConcurrentConnections ??= ceiling;
        options.Limits.MaxConcurrentUpgradedConnections ??= ceiling;
    }
}
