using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Switchboard.Redis.Tests.Infrastructure;

/// <summary>
/// A private <c>redis-server</c> on 127.0.0.1 without persistence, started as the project's scripts do
/// (<c>--save '' --appendonly no --daemonize yes --pidfile F</c>). It can be stopped and started again on the same port
/// (a restart that loses every key, stream and group), and is shut down on dispose.
/// </summary>
internal sealed class RedisServer : IAsyncDisposable
{
    private readonly string _directory;
    private readonly RedisProcess _process;
    private int _generation;

    private RedisServer(int port, string? password = null)
    {
        Port = port;
        Password = password;
        _directory = Directory.CreateTempSubdirectory("switchboard-redis-tests-").FullName;
        _process = new RedisProcess(port, password, "redis-server");
    }

    public int Port { get; }

    /// <summary>The password the server requires (<c>--requirepass</c>), or null.</summary>
    public string? Password { get; }

    /// <summary>The address alone, without the password.</summary>
    public string Address => "127.0.0.1:" + Port.ToString(CultureInfo.InvariantCulture);

    /// <summary>The StackExchange.Redis connection string (with the password, if any).</summary>
    public string Configuration => Password is null ? Address : Address + ",password=" + Password;

    /// <summary>The pid of the running server, or null when stopped.</summary>
    public int? ProcessId => _process.ProcessId;

    public string LogFile => Path.Combine(_directory, $"redis-{_generation}.log");

    /// <summary>Starts a server on a free port, requiring <paramref name="password"/> when given.</summary>
    public static async Task<RedisServer> StartAsync(string? password = null)
    {
        Exception? last = null;
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var server = new RedisServer(FreePort(), password);
            try
            {
                await server.StartAgainAsync();
                return server;
            }
            catch (Exception e)
            {
                // Someone took the port between probing and starting: try another one.
                last = e;
                await server.DisposeAsync();
            }
        }
        throw new InvalidOperationException("Could not start a private redis-server.", last);
    }

    /// <summary>A loopback port nothing listens on right now.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Starts redis-server on <paramref name="port"/> (nothing must be listening there).</summary>
    public static async Task<RedisServer> StartOnAsync(int port)
    {
        var server = new RedisServer(port);
        try
        {
            await server.StartAgainAsync();
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts the server (again) on <see cref="Port"/>, empty.</summary>
    public async Task StartAgainAsync()
    {
        _generation++;
        await _process.StartAsync(
        [
            "--port", Port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
            "--daemonize", "yes", "--pidfile", Path.Combine(_directory, "redis.pid"), "--dir", _directory, "--logfile", LogFile,
            .. Password is null ? Array.Empty<string>() : ["--requirepass", Password],
        ], Path.Combine(_directory, "redis.pid"), LogFile);
    }

    /// <summary>Stops the server like <c>redis-cli shutdown nosave</c> and waits until its process is gone and its port free.</summary>
    public Task StopAsync() => _process.StopAsync();

    /// <summary>SIGKILL: the server dies at once, without a shutdown (a crash; or the end of an aborted test run).</summary>
    public void Kill(bool wait = true) => _process.Kill(wait);

    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopAsync();
        }
        finally
        {
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

    /// <summary>Sends one command over a fresh connection and returns the raw reply text (bulk strings unwrapped).</summary>
    public Task<string> CommandAsync(params string[] args) => _process.CommandAsync(args);

    /// <summary>Sends one command to the Redis (or Sentinel) without a password on loopback port <paramref name="port"/>; see <see cref="CommandAsync"/>.</summary>
    public static Task<string> SendAsync(int port, params string[] args) => RedisProcess.SendAsync(port, null, args);
}
