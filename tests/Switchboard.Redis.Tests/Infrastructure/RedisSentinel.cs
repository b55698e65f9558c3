using System.Globalization;

namespace Switchboard.Redis.Tests.Infrastructure;

/// <summary>
/// One private Sentinel (<c>redis-server sentinel.conf --sentinel</c>, as the Debian redis-sentinel package runs it) on
/// 127.0.0.1, watching one master under a service name with short timings (down after 1 s, failover timeout 5 s).
/// Sentinel rewrites its configuration file, so each has a directory of its own; it is shut down on dispose.
/// </summary>
internal sealed class RedisSentinel : IAsyncDisposable
{
    private readonly string _directory;
    private readonly RedisProcess _process;

    private RedisSentinel(int port, string directory)
    {
        Port = port;
        _directory = directory;
        _process = new RedisProcess(port, password: null, "redis-server --sentinel");
    }

    public int Port { get; }

    /// <summary>The pid of the running Sentinel, or null when stopped.</summary>
    public int? ProcessId => _process.ProcessId;

    public string LogFile => Path.Combine(_directory, "sentinel.log");

    /// <summary>Starts a Sentinel on a free port that monitors <c>127.0.0.1:<paramref name="masterPort"/></c> as <paramref name="service"/>.</summary>
    public static async Task<RedisSentinel> StartAsync(string service, int masterPort, int quorum)
    {
        Exception? last = null;
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var sentinel = new RedisSentinel(RedisServer.FreePort(), Directory.CreateTempSubdirectory("switchboard-sentinel-tests-").FullName);
            try
            {
                await sentinel.StartProcessAsync(service, masterPort, quorum);
                return sentinel;
            }
            catch (Exception e)
            {
                // Someone took the port between probing and starting: try another one.
                last = e;
                await sentinel.DisposeAsync();
            }
        }
        throw new InvalidOperationException("Could not start a private redis-sentinel.", last);
    }

    /// <summary>Starts a Sentinel on <paramref name="port"/> (nothing must be listening there); see <see cref="StartAsync"/>.</summary>
    public static async Task<RedisSentinel> StartOnAsync(string service, int masterPort, int quorum, int port)
    {
        var sentinel = new RedisSentinel(port, Directory.CreateTempSubdirectory("switchboard-sentinel-tests-").FullName);
        try
        {
            await sentinel.StartProcessAsync(service, masterPort, quorum);
            return sentinel;
        }
        catch
        {
            await sentinel.DisposeAsync();
            throw;
        }
    }

    /// <summary>What this Sentinel reports for <paramref name="service"/> (<c>INFO sentinel</c>: status, address, replicas, sentinels).</summary>
    public async Task<string> MasterLineAsync(string service)
    {
        var info = await _process.CommandAsync("INFO", "sentinel");
        return info.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.Contains("name=" + service + ",", StringComparison.Ordinal)) ?? "";
    }

    /// <summary>SIGKILL: no shutdown. Waits up to 5 s for the process to end when <paramref name="wait"/>.</summary>
    public void Kill(bool wait = true) => _process.Kill(wait);

    private async Task StartProcessAsync(string service, int masterPort, int quorum)
    {
        var pidFile = Path.Combine(_directory, "sentinel.pid");
        var config = Path.Combine(_directory, "sentinel.conf");
        var master = masterPort.ToString(CultureInfo.InvariantCulture);
        await File.WriteAllLinesAsync(config,
        [
            "port " + Port.ToString(CultureInfo.InvariantCulture),
            "bind 127.0.0.1",
            "daemonize yes",
            "pidfile " + pidFile,
            "logfile " + LogFile,
            "dir " + _directory,
            $"sentinel monitor {service} 127.0.0.1 {master} {quorum.ToString(CultureInfo.InvariantCulture)}",
            // Short timings so a test sees a failover within seconds (defaults: 30 s and 3 min).
            $"sentinel down-after-milliseconds {service} 1000",
            $"sentinel failover-timeout {service} 5000",
            $"sentinel parallel-syncs {service} 1",
        ]);
        await _process.StartAsync([config, "--sentinel"], pidFile, LogFile);
    }

    public async ValueTask DisposeAsync()
    {
        await _process.StopAsync();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort.
        }
    }
}
