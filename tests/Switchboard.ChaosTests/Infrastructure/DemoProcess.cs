using System.Collections.Concurrent;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Switchboard.ChaosTests.Infrastructure;

/// <summary>
/// One process of the demo (<c>dotnet Switchboard.Demo.dll ...</c>, built by <c>dotnet build Switchboard.slnx</c>), run
/// with the demo project folder as working directory (content root). Output is read asynchronously into
/// <see cref="Lines"/>; tests await the lines they expect. Disposing kills the process (and anything it started).
/// </summary>
internal sealed partial class DemoProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _lines = new();
    private readonly Lock _gate = new();
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private DemoProcess(string name, Process process)
    {
        Name = name;
        _process = process;
    }

    public string Name { get; }

    public int Id { get; private set; }

    public IReadOnlyList<string> Lines => [.. _lines];

    public bool HasExited => _exited.Task.IsCompleted;

    public int? ExitCode => HasExited ? _process.ExitCode : null;

    /// <summary>The demo project folder (the processes' content root).</summary>
    public static string ProjectDirectory { get; } = FindProjectDirectory();

    /// <summary>The built demo, next to the configuration this test assembly was built with.</summary>
    public static string Dll
    {
        get
        {
            var configuration = AppContext.BaseDirectory.Contains("/bin/Debug/", StringComparison.Ordinal) ? "Debug" : "Release";
            foreach (var candidate in new[] { configuration, configuration == "Release" ? "Debug" : "Release" })
            {
                var path = Path.Combine(ProjectDirectory, "bin", candidate, "net10.0", "Switchboard.Demo.dll");
                if (File.Exists(path))
                {
                    return path;
                }
            }
            throw new InvalidOperationException(
                $"The demo is not built: no bin/{configuration}/net10.0/Switchboard.Demo.dll under {ProjectDirectory}. Run `dotnet build Switchboard.slnx -c {configuration}` first.");
        }
    }

    public static DemoProcess Start(string name, IEnumerable<string> args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = ProjectDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Dll);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        // One line per log entry, so tests can match them.
        start.Environment["Logging__Console__FormatterName"] = "simple";
        start.Environment["Logging__Console__FormatterOptions__SingleLine"] = "true";
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var demo = new DemoProcess(name, process);
        process.OutputDataReceived += (_, e) => demo.Add(e.Data);
        process.ErrorDataReceived += (_, e) => demo.Add(e.Data is null ? null : "stderr: " + e.Data);
        process.Exited += (_, _) => demo.OnExited();
        if (!process.Start())
        {
            throw new InvalidOperationException($"dotnet {name} did not start.");
        }
        demo.Id = process.Id;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return demo;
    }

    /// <summary>Waits for an output line matching <paramref name="match"/> (or returns it if it was already written).</summary>
    public async Task<string> WaitForLineAsync(Func<string, bool> match, string description, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        while (true)
        {
            Task changed;
            lock (_gate)
            {
                changed = _changed.Task;
            }
            if (_lines.FirstOrDefault(match) is { } line)
            {
                return line;
            }
            if (HasExited)
            {
                throw new InvalidOperationException($"{Name} exited ({_process.ExitCode}) before {description}.\n{Tail()}");
            }
            try
            {
                await changed.WaitAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"{Name}: no {description} within {timeout}.\n{Tail()}");
            }
        }
    }

    /// <summary>For a web node: waits for Kestrel's "Now listening on" line and returns the address.</summary>
    public async Task<Uri> WaitForListeningAsync(TimeSpan timeout)
    {
        var line = await WaitForLineAsync(l => ListeningLine().IsMatch(l), "\"Now listening on\"", timeout);
        return new Uri(ListeningLine().Match(line).Groups["url"].Value);
    }

    /// <summary>Waits for the process to exit by itself.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        try
        {
            await _exited.Task.WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"{Name} still runs after {timeout}.\n{Tail()}");
        }
        return _process.ExitCode;
    }

    /// <summary>Freezes the process at once (SIGSTOP): it runs no more code until <see cref="Resume"/> or a kill.</summary>
    public void Pause() => Signal("STOP");

    public void Resume() => Signal("CONT");

    /// <summary>SIGKILL: the process dies without running anything (no shutdown, no lease given back).</summary>
    public async Task KillAsync()
    {
        if (!HasExited)
        {
            try
            {
                _process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // Exited meanwhile.
            }
        }
        await _exited.Task.WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    /// <summary>The last lines of output, for failure messages.</summary>
    public string Tail(int count = 40) => $"--- last output of {Name} (pid {Id}) ---\n" + string.Join('\n', _lines.TakeLast(count));

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process.Dispose();
    }

    private void Add(string? line)
    {
        if (line is not null)
        {
            _lines.Enqueue(line);
        }
        Notify();
    }

    private void OnExited() => _ = Task.Run(async () =>
    {
        // Let the output readers drain before reporting the exit.
        await _process.WaitForExitAsync().ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _exited.TrySetResult();
        Notify();
    });

    private void Notify()
    {
        TaskCompletionSource changed;
        lock (_gate)
        {
            changed = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        changed.TrySetResult();
    }

    private void Signal(string signal)
    {
        var start = new ProcessStartInfo("kill") { UseShellExecute = false, RedirectStandardError = true };
        start.ArgumentList.Add("-" + signal);
        start.ArgumentList.Add(Id.ToString(CultureInfo.InvariantCulture));
        using var kill = Process.Start(start) ?? throw new InvalidOperationException("kill did not start.");
        kill.WaitForExit();
        if (kill.ExitCode != 0)
        {
            throw new InvalidOperationException($"kill -{signal} {Id} failed: {kill.StandardError.ReadToEnd()}");
        }
    }

    private static string FindProjectDirectory()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Switchboard.slnx")))
            {
                return Path.Combine(dir.FullName, "samples", "Switchboard.Demo");
            }
        }
        throw new InvalidOperationException("Switchboard.slnx not found above " + AppContext.BaseDirectory);
    }

    [GeneratedRegex(@"Now listening on: (?<url>http://\S+)")]
    private static partial Regex ListeningLine();
}
