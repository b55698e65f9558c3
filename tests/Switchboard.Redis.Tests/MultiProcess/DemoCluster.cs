namespace Switchboard.Redis.Tests.MultiProcess;

/// <summary>
/// Demo processes sharing one Redis and one key prefix: web nodes, workers, emitters, and the windows connected to them.
/// Disposing kills every process (also when the test failed) and writes their warnings and errors to the test output.
/// </summary>
internal sealed class DemoCluster(string redis, string prefix, ITestOutputHelper output) : IAsyncDisposable
{
    public static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    /// <summary>How long a window waits for an expected frame: processes on a busy 2-core machine answer slower than Kestrel in-process.</summary>
    public static readonly TimeSpan FrameTimeout = TimeSpan.FromSeconds(15);

    private readonly List<DemoProcess> _processes = [];
    private readonly List<TestWindow> _windows = [];
    private int _emitters;

    public string Redis => redis;

    public string Prefix => prefix;

    /// <summary>Starts a web node on a free port and returns it with its address.</summary>
    public async Task<(DemoProcess Process, Uri Address)> StartWebNodeAsync(string name, params string[] options)
    {
        var process = Start(name, ["--urls", "http://127.0.0.1:0", .. options]);
        return (process, await process.WaitForListeningAsync(StartTimeout));
    }

    /// <summary>Starts a worker process for <paramref name="queues"/> (not waiting for it).</summary>
    public DemoProcess StartWorker(string name, string queues, params string[] options) =>
        Start(name, ["worker", "--queues", queues, .. options]);

    /// <summary>
    /// Starts web nodes web-A and web-B and a worker for <paramref name="queues"/> (with <paramref name="workerOptions"/>)
    /// together; returns once both nodes listen and the worker serves the last of <paramref name="queues"/>.
    /// </summary>
    public async Task<DemoNodes> StartTwoWebNodesAndWorkerAsync(string queues, params string[] workerOptions)
    {
        var nodeA = StartWebNodeAsync("web-A");
        var nodeB = StartWebNodeAsync("web-B");
        var worker = StartWorker("worker", queues, workerOptions);
        var (processA, a) = await nodeA;
        var (processB, b) = await nodeB;
        await WaitServingAsync(worker, queues.Split(',')[^1]);
        return new DemoNodes(processA, a, processB, b, worker);
    }

    /// <summary>Waits until a worker serves <paramref name="queue"/>.</summary>
    public static Task WaitServingAsync(DemoProcess worker, string queue) =>
        worker.WaitForLineAsync(l => l.Contains($"Serving queue {queue} with", StringComparison.Ordinal), $"\"Serving queue {queue}\"", StartTimeout);

    /// <summary>Runs the console emitter to completion; it must print <c>emitted N x SIGNAL</c>.</summary>
    public async Task EmitAsync(string signal, string to, string kwargsJson, int count = 1, params string[] options)
    {
        var process = Start($"emitter-{Interlocked.Increment(ref _emitters)}",
            ["emit", signal, "--to", to, "--kwargs", kwargsJson, "--count", count.ToString(System.Globalization.CultureInfo.InvariantCulture), .. options]);
        var exit = await process.WaitForExitAsync(StartTimeout);
        Assert.True(exit == 0, $"the emitter exited with {exit}\n{process.Tail()}");
        Assert.Contains($"emitted {count} x {signal}", process.Lines);
    }

    /// <summary>
    /// Loads <paramref name="path"/> from <paramref name="node"/> and connects its window there, or to
    /// <paramref name="socketNode"/> (another node behind the same load balancer); returns after <c>hello</c>.
    /// </summary>
    public async Task<TestWindow> OpenWindowAsync(Uri node, string path, Uri? socketNode = null)
    {
        var page = new Uri(node, path);
        var options = new TestWindowOptions { Timeout = FrameTimeout, Name = page.ToString() };
        var init = await PageInit.LoadAsync(page, options);
        Assert.Equal("/switchboard/ws", init.Url);
        var window = await TestWindow.ConnectAsync(init.SocketUriFor(socketNode ?? node), init.Token, options);
        lock (_windows)
        {
            _windows.Add(window);
        }
        return window;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var window in _windows)
        {
            await window.DisposeAsync();
        }
        await Task.WhenAll(_processes.Select(p => p.DisposeAsync().AsTask()));
        foreach (var process in _processes)
        {
            var notable = process.Lines.Where(l => l.StartsWith("warn:", StringComparison.Ordinal) || l.StartsWith("fail:", StringComparison.Ordinal)
                || l.StartsWith("crit:", StringComparison.Ordinal) || l.StartsWith("stderr:", StringComparison.Ordinal)).ToList();
            if (notable.Count == 0)
            {
                continue;
            }
            Write($"--- {process.Name} (pid {process.Id}): {notable.Count} warnings/errors, first 15 ---");
            foreach (var line in notable.Take(15))
            {
                Write(line.Length <= 400 ? line : line[..400] + "…");
            }
        }
    }

    private DemoProcess Start(string name, string[] args)
    {
        var process = DemoProcess.Start(name, [.. args, "--Switchboard:Redis=" + redis, "--Switchboard:RedisOptions:Prefix=" + prefix]);
        lock (_processes)
        {
            _processes.Add(process);
        }
        return process;
    }

    private void Write(string line)
    {
        try
        {
            output.WriteLine(line);
        }
        catch (InvalidOperationException)
        {
            // No test is running any more.
        }
    }
}
