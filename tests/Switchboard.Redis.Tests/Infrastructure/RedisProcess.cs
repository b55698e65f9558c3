using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Switchboard.Redis.Tests.Infrastructure;

/// <summary>
/// One daemonized <c>redis-server</c> process on a loopback port — a server (<see cref="RedisServer"/>) or a Sentinel
/// (<see cref="RedisSentinel"/>): started with a pid file and known to be ours once the pid in the file is the one
/// that answers on the port; stopped like <c>redis-cli shutdown nosave</c>, or killed. Commands go over a fresh
/// connection each (<see cref="SendAsync"/>), so tests need no client library to drive or inspect it.
/// </summary>
internal sealed class RedisProcess(int port, string? password, string name)
{
    public int Port => port;

    /// <summary>The pid of the running process, or null when stopped.</summary>
    public int? ProcessId { get; private set; }

    /// <summary>
    /// Runs <c>redis-server <paramref name="arguments"/></c> (which must daemonize and write <paramref name="pidFile"/>)
    /// and waits until the process of the pid file answers on <see cref="Port"/>; throws when another one does.
    /// </summary>
    public async Task StartAsync(IEnumerable<string> arguments, string pidFile, string logFile)
    {
        var binary = RedisAvailability.ServerBinary ?? throw new InvalidOperationException(RedisAvailability.ServerSkipReason);
        File.Delete(pidFile);
        var start = new ProcessStartInfo(binary) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        using (var launcher = Process.Start(start) ?? throw new InvalidOperationException($"{name} did not start."))
        {
            var output = launcher.StandardOutput.ReadToEndAsync();
            var error = launcher.StandardError.ReadToEndAsync();
            await launcher.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
            if (launcher.ExitCode != 0)
            {
                throw new InvalidOperationException($"{name} exited with {launcher.ExitCode}: {await output}{await error}");
            }
        }
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (DateTime.UtcNow < deadline)
        {
            if (File.Exists(pidFile) && int.TryParse((await ReadOrEmptyAsync(pidFile)).Trim(), out var pid))
            {
                try
                {
                    var info = await CommandAsync("INFO", "server");
                    var served = info.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.StartsWith("process_id:", StringComparison.Ordinal));
                    if (served != "process_id:" + pid.ToString(CultureInfo.InvariantCulture))
                    {
                        throw new InvalidOperationException($"Port {port} is served by another process ({served}), not pid {pid}.");
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
        throw new TimeoutException($"{name} on port {port} did not answer within 10 s; log: {await ReadOrEmptyAsync(logFile)}");
    }

    /// <summary>Stops the process like <c>redis-cli shutdown nosave</c> (killing it after 5 s) and waits until the port is free.</summary>
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
        Kill(pid, wait: true);
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

    /// <summary>SIGKILL, if it runs: no shutdown. Waits up to 5 s for the process to end when <paramref name="wait"/>.</summary>
    public void Kill(bool wait = true)
    {
        if (ProcessId is { } pid)
        {
            Kill(pid, wait);
        }
    }

    /// <summary>Sends one command over a fresh connection and returns the raw reply text (bulk strings unwrapped).</summary>
    public Task<string> CommandAsync(params string[] args) => SendAsync(port, password, args);

    /// <summary>Sends one command to the Redis or Sentinel on loopback port <paramref name="port"/>, with AUTH first when <paramref name="password"/> is set.</summary>
    public static async Task<string> SendAsync(int port, string? password, string[] args)
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

    /// <summary>The text of <paramref name="path"/>, or "" when it cannot be read (not written yet).</summary>
    public static async Task<string> ReadOrEmptyAsync(string path)
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

    private static void Kill(int pid, bool wait)
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
}
