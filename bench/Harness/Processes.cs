using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using System.Threading.Channels;

namespace Switchboard.Bench.Harness;

/// <summary>A child process (a bench server or the load generator) with its output in a log file.</summary>
public class Child : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StreamWriter _log;
    private readonly Channel<string> _lines = Channel.CreateUnbounded<string>();
    private readonly bool _captureStdout;

    protected Child(string name, string dll, IEnumerable<string> args, string logDirectory, bool captureStdout)
    {
        Name = name;
        _captureStdout = captureStdout;
        Directory.CreateDirectory(logDirectory);
        _log = new StreamWriter(Path.Combine(logDirectory, name + ".log"), append: true) { AutoFlush = true };
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(dll);
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }
        info.Environment["BENCH_STOP_ON_STDIN_EOF"] = "1";
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        _log.WriteLine($"# {DateTime.UtcNow:O} dotnet {string.Join(' ', info.ArgumentList)}");
        _process = Process.Start(info) ?? throw new InvalidOperationException("could not start " + dll);
        _process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                _lines.Writer.TryComplete();
                return;
            }
            if (_captureStdout)
            {
                _lines.Writer.TryWrite(e.Data);
            }
            else
            {
                lock (_log)
                {
                    _log.WriteLine(e.Data);
                }
                if (e.Data.StartsWith(BenchHost.ListeningMarker, StringComparison.Ordinal))
                {
                    _lines.Writer.TryWrite(e.Data);
                }
            }
        };
        _process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (_log)
                {
                    _log.WriteLine(e.Data);
                }
            }
        };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public string Name { get; }

    public int Pid => _process.Id;

    public bool HasExited => _process.HasExited;

    public double CpuSeconds => ProcStats.CpuSeconds(Pid);

    public long RssBytes => ProcStats.RssBytes(Pid);

    protected async Task<string> NextLineAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            return await _lines.Reader.ReadAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"{Name}: no answer within {timeout.TotalSeconds:0} s (see its log)");
        }
        catch (ChannelClosedException)
        {
            throw new InvalidOperationException($"{Name} exited (code {(_process.HasExited ? _process.ExitCode : -1)}); see its log");
        }
    }

    protected Task WriteLineAsync(string line) => _process.StandardInput.WriteLineAsync(line);

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.StandardInput.Close();
                using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(8));
                try
                {
                    await _process.WaitForExitAsync(wait.Token);
                }
                catch (OperationCanceledException)
                {
                    _process.Kill(entireProcessTree: true);
                    await _process.WaitForExitAsync();
                }
            }
        }
        catch (InvalidOperationException)
        {
        }
        _process.Dispose();
        lock (_log)
        {
            _log.Dispose();
        }
        GC.SuppressFinalize(this);
    }
}

/// <summary>A bench server: started on port 0, its URL read from the line it prints once listening.</summary>
public sealed class Server : Child
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromMinutes(5) };

    private Server(string name, string dll, IEnumerable<string> args, string logs) : base(name, dll, args, logs, captureStdout: false)
    {
    }

    public string Url { get; private set; } = "";

    public static async Task<Server> StartAsync(string name, string dll, IEnumerable<string> args, string logs)
    {
        var server = new Server(name, dll, args, logs);
        try
        {
            var line = await server.NextLineAsync(TimeSpan.FromSeconds(60));
            server.Url = line.Split(' ')[1];
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>The server's own CPU time (getrusage, µs resolution) and allocated bytes.</summary>
    public async Task<(double Cpu, double Allocated)> StatsAsync()
    {
        var stats = await GetJsonAsync("/bench/stats");
        return ((double)stats["cpuSeconds"]!, (double)stats["allocatedBytes"]!);
    }

    public async Task<JsonObject> GetJsonAsync(string pathAndQuery) =>
        JsonNode.Parse(await Http.GetStringAsync(Url + pathAndQuery))!.AsObject();
}

/// <summary>The load generator, driven with one JSON line per command.</summary>
public sealed class LoadGen : Child
{
    private LoadGen(string dll, string logs, string name) : base(name, dll, [], logs, captureStdout: true)
    {
    }

    public static LoadGen Start(string dll, string logs, string name = "loadgen") => new(dll, logs, name);

    public async Task<JsonObject> SendAsync(JsonObject command, TimeSpan? timeout = null)
    {
        await WriteLineAsync(command.ToJsonString());
        var line = await NextLineAsync(timeout ?? TimeSpan.FromMinutes(5));
        var result = JsonNode.Parse(line)!.AsObject();
        if (result["error"] is { } error)
        {
            throw new InvalidOperationException($"loadgen: {command["cmd"]}: {error}");
        }
        return result;
    }
}

/// <summary>A private redis-server on a free loopback port, stopped (nosave) on dispose.</summary>
public sealed class RedisProcess : IAsyncDisposable
{
    private readonly string _dir;

    private RedisProcess(int port, int pid, string dir)
    {
        Port = port;
        Pid = pid;
        _dir = dir;
    }

    public int Port { get; }

    public int Pid { get; }

    public string Endpoint => $"127.0.0.1:{Port}";

    public double CpuSeconds => ProcStats.CpuSeconds(Pid);

    /// <summary>The integer reply of a counting command (XLEN, ZCARD, ...) on this server.</summary>
    public async Task<long> CountAsync(params string[] command)
    {
        var (_, output) = await RunWithOutputAsync("redis-cli", ["-p", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), .. command]);
        return long.TryParse(output.Trim(), System.Globalization.CultureInfo.InvariantCulture, out var n) ? n : -1;
    }

    /// <summary>The server's <c>used_memory</c> (INFO memory), in bytes.</summary>
    public async Task<long> UsedMemoryAsync()
    {
        var (_, info) = await RunWithOutputAsync("redis-cli", "-p", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "info", "memory");
        var line = info.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.StartsWith("used_memory:", StringComparison.Ordinal))
            ?? throw new InvalidOperationException("redis-cli info memory: no used_memory in " + info);
        return long.Parse(line["used_memory:".Length..], System.Globalization.CultureInfo.InvariantCulture);
    }

    public static bool Available() => Which("redis-server") && Which("redis-cli");

    /// <summary>Starts one server; <paramref name="extraArgs"/> are added to its command line (e.g. cluster mode).</summary>
    public static async Task<RedisProcess> StartAsync(params string[] extraArgs)
    {
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var port = FreePort();
            var dir = Directory.CreateTempSubdirectory("switchboard-bench-redis.").FullName;
            var pidFile = Path.Combine(dir, "redis.pid");
            var started = await RunAsync("redis-server", ["--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--daemonize", "yes",
                "--pidfile", pidFile, "--dir", dir, "--logfile", Path.Combine(dir, "redis.log"), .. extraArgs]);
            if (started != 0)
            {
                continue;
            }
            for (var i = 0; i < 50; i++)
            {
                if (File.Exists(pidFile) && int.TryParse((await File.ReadAllTextAsync(pidFile)).Trim(), out var pid)
                    && await RunAsync("redis-cli", "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "ping") == 0)
                {
                    return new RedisProcess(port, pid, dir);
                }
                await Task.Delay(100);
            }
        }
        throw new InvalidOperationException("could not start redis-server");
    }

    public async ValueTask DisposeAsync()
    {
        await RunAsync("redis-cli", "-p", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "shutdown", "nosave");
        for (var i = 0; i < 30 && File.Exists($"/proc/{Pid}/stat"); i++)
        {
            await Task.Delay(100);
        }
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    internal static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    internal static bool Which(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Any(d => File.Exists(Path.Combine(d, name)));

    internal static async Task<int> RunAsync(string file, params string[] args) => (await RunWithOutputAsync(file, args)).ExitCode;

    internal static async Task<(int ExitCode, string Output)> RunWithOutputAsync(string file, params string[] args)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }
        using var p = Process.Start(info)!;
        var output = p.StandardOutput.ReadToEndAsync();
        var errors = p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        return (p.ExitCode, await output + await errors);
    }
}
