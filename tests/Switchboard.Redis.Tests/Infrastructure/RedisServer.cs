using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Switchboard.Redis.Tests.Infrastructure;

/// <summary>
/// A private <c>redis-server</c> on 127.0.0.1 without persistence, started as the project's scripts do
/// (<c>--save '' --appendonly no --daemonize yes --pidfile F</c>). It can be stopped and started again on the same port
/// (a restart that loses every key, stream and group), and is shut down on dispose.
/// </summary>
internal sealed class RedisServer : IAsyncDisposable
{
    private readonly string _directory;
    private readonly IReadOnlyList<string> _arguments;
    private int _generation;

    private RedisServer(int port, string? password = null, IReadOnlyList<string>? arguments = null)
    {
        Port = port;
        Password = password;
        _arguments = arguments ?? [];
        _directory = Directory.CreateTempSubdirectory("switchboard-redis-tests-").FullName;
    }

    public int Port { get; }

    /// <summary>The password the server requires (<c>--requirepass</c>), or null.</summary>
    public string? Password { get; }

    /// <summary>The address alone, without the password.</summary>
    public string Address => "127.0.0.1:" + Port.ToString(CultureInfo.InvariantCulture);

    /// <summary>The StackExchange.Redis connection string (with the password, if any).</summary>
    public string Configuration => Password is null ? Address : Address + ",password=" + Password;

    /// <summary>The pid of the running server, or null when stopped.</summary>
    public int? ProcessId { get; private set; }

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

    /// <summary>
    /// Starts redis-server on <paramref name="port"/> (nothing must be listening there), with further
    /// command-line <paramref name="arguments"/> (e.g. <c>--cluster-enabled yes</c>: nodes.conf lands in the server's own directory).
    /// </summary>
    public static async Task<RedisServer> StartOnAsync(int port, IReadOnlyList<string>? arguments = null)
    {
        var server = new RedisServer(port, arguments: arguments);
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
        var binary = RedisAvailability.ServerBinary ?? throw new InvalidOperationException(RedisAvailability.ServerSkipReason);
        _generation++;
        var pidFile = Path.Combine(_directory, "redis.pid");
        File.Delete(pidFile);
        var start = new ProcessStartInfo(binary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[]
                 {
                     "--port", Port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                     "--daemonize", "yes", "--pidfile", pidFile, "--dir", _directory, "--logfile", LogFile,
                 }.Concat(Password is null ? [] : new[] { "--requirepass", Password }).Concat(_arguments))
        {
            start.ArgumentList.Add(arg);
        }
        using (var launcher = Process.Start(start) ?? throw new InvalidOperationException("redis-server did not start."))
        {
            var output = launcher.StandardOutput.ReadToEndAsync();
            var error = launcher.StandardError.ReadToEndAsync();
            await launcher.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
            if (launcher.ExitCode != 0)
            {
                throw new InvalidOperationException($"redis-server exited with {launcher.ExitCode}: {await output}{await error}");
            }
        }
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (DateTime.UtcNow < deadline)
        {
            if (File.Exists(pidFile) && int.TryParse((await ReadAllTextOrEmptyAsync(pidFile)).Trim(), out var pid))
            {
                try
                {
                    var info = await CommandAsync("INFO", "server");
                    var served = info.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.StartsWith("process_id:", StringComparison.Ordinal));
                    if (served == "process_id:" + pid.ToString(CultureInfo.InvariantCulture))
                    {
                        ProcessId = pid;
                        return;
                    }
                    throw new InvalidOperationException($"Port {Port} is served by another Redis ({served}), not pid {pid}.");
                }
                catch (SocketException)
                {
                    // Not listening yet.
                }
            }
            await Task.Delay(20);
        }
        throw new TimeoutException($"redis-server on port {Port} did not answer within 10 s; log: {await ReadAllTextOrEmptyAsync(LogFile)}");
    }

    /// <summary>SIGKILL: the server dies at once, without a shutdown (its replicas and peers just lose it); dispose still cleans up.</summary>
    public void Kill()
    {
        var pid = ProcessId ?? throw new InvalidOperationException("The server is not running.");
        try
        {
            using var process = Process.GetProcessById(pid);
            process.Kill();
            process.WaitForExit(5000);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            // Already gone.
        }
    }

    /// <summary>Stops the server like <c>redis-cli shutdown nosave</c> and waits until its process is gone.</summary>
    public async Task StopAsync()
    {
        if (ProcessId is not { } pid)
        {
            return;
        }
        try
        {
            await CommandAsync("SHUTDOWN", "NOSAVE");
        }
        catch (Exception e) when (e is SocketException or IOException)
        {
            // Already gone, or it closed the connection while shutting down (the normal answer).
        }
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(5);
        while (IsAlive(pid) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }
        if (IsAlive(pid))
        {
            try
            {
                Process.GetProcessById(pid).Kill();
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException)
            {
                // Exited meanwhile.
            }
        }
        // The port must be free before the same port is used again.
        deadline = DateTime.UtcNow + TimeSpan.FromSeconds(5);
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                await CommandAsync("PING");
                await Task.Delay(20);
            }
            catch (Exception e) when (e is SocketException or IOException)
            {
                break;
            }
        }
        ProcessId = null;
    }

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
    public Task<string> CommandAsync(params string[] args) => SendCoreAsync(Port, Password, args);

    /// <summary>Sends one command to the Redis (or Sentinel) without a password on loopback port <paramref name="port"/>; see <see cref="CommandAsync"/>.</summary>
    public static Task<string> SendAsync(int port, params string[] args) => SendCoreAsync(port, null, args);

    private static async Task<string> SendCoreAsync(int port, string? password, string[] args)
    {
        using var client = new TcpClient();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await client.ConnectAsync(IPAddress.Loopback, port, timeout.Token);
        var stream = client.GetStream();
        var request = new StringBuilder();
        // With a password, AUTH goes first in the same write; its "+OK" is skipped below.
        string[][] commands = password is null ? [args] : [["AUTH", password], args];
        foreach (var command in commands)
        {
            request.Append('*').Append(command.Length).Append("\r\n");
            foreach (var arg in command)
            {
                request.Append('$').Append(Encoding.UTF8.GetByteCount(arg)).Append("\r\n").Append(arg).Append("\r\n");
            }
        }
        await stream.WriteAsync(Encoding.UTF8.GetBytes(request.ToString()), timeout.Token);
        var skip = password is null ? 0 : "+OK\r\n".Length;
        using var reply = new MemoryStream();
        var buffer = new byte[8192];
        while (true)
        {
            var read = await stream.ReadAsync(buffer, timeout.Token);
            if (read == 0)
            {
                throw new IOException("Redis closed the connection.");
            }
            reply.Write(buffer, 0, read);
            if (reply.Length < skip)
            {
                continue;
            }
            var all = reply.ToArray();
            if (skip > 0 && Encoding.UTF8.GetString(all, 0, skip) != "+OK\r\n")
            {
                throw new InvalidOperationException("AUTH failed: " + Encoding.UTF8.GetString(all));
            }
            var text = Encoding.UTF8.GetString(all, skip, all.Length - skip);
            var firstLineEnd = text.IndexOf("\r\n", StringComparison.Ordinal);
            if (firstLineEnd < 0)
            {
                continue;
            }
            if (text[0] != '$')
            {
                return text[..firstLineEnd];
            }
            var length = int.Parse(text[1..firstLineEnd], CultureInfo.InvariantCulture);
            if (length < 0)
            {
                return "";
            }
            var body = all.AsSpan(skip + Encoding.UTF8.GetByteCount(text[..(firstLineEnd + 2)]));
            if (body.Length >= length)
            {
                return Encoding.UTF8.GetString(body[..length]);
            }
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

    private static async Task<string> ReadAllTextOrEmptyAsync(string path)
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
