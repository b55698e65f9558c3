using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Switchboard.Internal.Connections;

/// <summary>
/// One timer for all windows (not one per window, to keep idle windows cheap): windows silent for longer than
/// <see cref="SwitchboardOptions.ClientTimeout"/> are closed with 4100 and will reconnect.
/// </summary>
internal sealed class HeartbeatMonitor(LocalTopicRegistry registry, TimeProvider time, IOptions<SwitchboardOptions> options) : IHostedService, IDisposable
{
    private ITimer? _timer;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var period = options.Value.ClientTimeout / 4;
        _timer = time.CreateTimer(_ => Sweep(), null, period, period);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _timer?.Dispose();
        return Task.CompletedTask;
    }

    public void Dispose() => _timer?.Dispose();

    internal void Sweep()
    {
        var timeout = options.Value.ClientTimeout;
        var now = time.GetTimestamp();
        foreach (var window in registry.AllWindows)
        {
            if (time.GetElapsedTime(window.LastReceivedTimestamp, now) > timeout)
            {
                window.RequestClose(Protocol.ProtocolNames.CloseCodes.HeartbeatTimeout, "heartbeat timeout");
            }
        }
    }
}
