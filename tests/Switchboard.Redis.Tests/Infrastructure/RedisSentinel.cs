using System.Globalization;
using System.Net.Sockets;

namespace Switchboard.Redis.Tests.Infrastructure;

/// <summary>
/// One private Sentinel (<c>redis-server sentinel.conf --sentinel</c>, as the Debian redis-sentinel package runs it) on
/// 127.0.0.1, watching one master under a service name with short timings (down after 1 s, failover timeout 5 s).
/// Sentinel rewrites its configuration file, so each has a directory of its own; it is shut down on dispose.
/// </summary>
internal sealed class RedisSentinel : IAsyncDisposable
{
    private readonly string _directory;

    private RedisSentinel(int port, string directory)
    {
        Port = port;
        _directory = directory;
    }

    public int Port { get; }

    /// <summary>The pid of the running Sentinel, or null when stopped.</summary>
    public int? ProcessId { get; private set; }

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
        var info = await RedisServer.SendAsync(Port, "INFO", "sentinel");
        return info.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.Contains("name=" + service + ",", StringComparison.Ordinal)) ?? "";
    }

    private async Task StartProcessAsync(string service, int masterPort, int quorum)
    {
        var binary = RedisAvailability.ServerBinary ?? throw new InvalidOperationException(RedisAvailability.ServerSkipReason);
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
        var start = new ProcessStartInfo(binary) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(config);
        start.ArgumentList.Add("--sentinel");
        using (var launcher = Process.Start(start) ?? throw new InvalidOperationException("redis-server --sentinel did not start."))
        {
            var output = launcher.StandardOutput.ReadToEndAsync();
            var error = launcher.StandardError.ReadToEndAsync();
            await launcher.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
            if (launcher.ExitCode != 0)
            {
                throw new InvalidOperationException($"redis-server --sentinel exited with {launcher.ExitCode}: {await output}{await error}");
            }
        }
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (DateTime.UtcNow < deadline)
        {
            if (File.Exists(pidFile) && int.TryParse((await ReadOrEmptyAsync(pidFile)).Trim(), out var pid))
            {
                try
                {
                    var info = await RedisServer.SendAsync(Port, "INFO", "server");
                    if (!info.Contains("process_id:" + pid.ToString(CultureInfo.InvariantCulture) + "\r", StringComparison.Ordinal))
                    {
                        throw new InvalidOperationException($"Port {Port} is served by another process, not pid {pid}.");
                    }
                    ProcessId = pid;
                    return;
                }
                catch (Exception e) when (e is SocketException or IOException)
                {
                    // Not listening yet.
                }
            }
            await Task.Delay(20);
        }
        throw new TimeoutException($"redis-sentinel on port {Port} did not answer within 10 s; log: {await ReadOrEmptyAsync(LogFile)}");
    }

    public async ValueTask DisposeAsync()
    {
        if (ProcessId is { } pid)
        {
            try
            {
                await RedisServer.SendAsync(Port, "SHUTDOWN", "NOSAVE");
            }
            catch (Exception e) when (e is SocketException or IOException)
            {
                // The normal answer: it closed the connection while shutting down.
            }
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(5);
            while (IsAlive(pid) && DateTime.UtcNow < deadline)
            {
                await Task.Delay(20);
            }
            Kill(pid);
            ProcessId = null;
        }
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort.
        }
    }

    /// <summary>SIGKILL, if the process is still there; waits up to 5 s for it to end when <paramref name="wait"/>.</summary>
    internal static void Kill(int pid, bool wait = true)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            process.Kill();
            if (wait)
            {
                process.WaitForExit(5000);
            }
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            // Already gone.
        }
    }

    private static bool IsAlive(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static async Task<string> ReadOrEmptyAsync(string path)
    {
        try
        {
            return await File.ReadAllTextAsync(path);
        }
        catch (IOException)
        {
            return "";
        }
    }
}
