using System.Globalization;
using System.Text;

namespace Switchboard.ChaosTests;

/// <summary>The demo processes of the test; disposing kills them and writes their warnings and errors to the output.</summary>
internal sealed class ProcessSet(ITestOutputHelper output) : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);
    private readonly List<DemoProcess> _processes = [];
    private readonly List<(string, int, int)> _emitted = [];

    public IReadOnlyList<DemoProcess> WebNodes
    {
        get
        {
            lock (_processes)
            {
                return [.. _processes.Where(p => p.Name.StartsWith("web-", StringComparison.Ordinal))];
            }
        }
    }

    /// <summary>Emitter batches run: batch id, messages, messages whose publish failed (event 1201 in its output).</summary>
    public IReadOnlyList<(string Batch, int Count, int Failed)> Emitted
    {
        get
        {
            lock (_emitted)
            {
                return [.. _emitted];
            }
        }
    }

    public async Task<(DemoProcess Process, Uri Address)> StartWebNodeAsync(string name, string[] options)
    {
        var process = Start(name, ["--urls", "http://127.0.0.1:0", .. options]);
        return (process, await process.WaitForListeningAsync(StartTimeout));
    }

    /// <summary>Runs the demo's console emitter: <paramref name="count"/> x demo.chat.message to the room <c>ROOM:lobby</c>, numbered, batch <paramref name="batch"/>.</summary>
    public async Task EmitAsync(string batch, int count, string[] options)
    {
        var kwargs = JsonSerializer.Serialize(new { room = "lobby", text = "emitted", b = batch });
        var process = Start("emitter-" + batch,
            ["emit", ChaosPage.ChatSignal, "--to", "ROOM:lobby", "--kwargs", kwargs, "--count", count.ToString(CultureInfo.InvariantCulture), .. options]);
        var exit = await process.WaitForExitAsync(StartTimeout);
        Assert.True(exit == 0, $"the emitter exited with {exit}\n{process.Tail()}");
        Assert.Contains($"emitted {count} x {ChaosPage.ChatSignal}", process.Lines);
        var failed = process.Lines.Count(l => l.Contains("[1201]", StringComparison.Ordinal));
        lock (_emitted)
        {
            _emitted.Add((batch, count, failed));
        }
    }

    public async ValueTask DisposeAsync()
    {
        List<DemoProcess> all;
        lock (_processes)
        {
            all = [.. _processes];
        }
        await Task.WhenAll(all.Select(p => p.DisposeAsync().AsTask()));
        foreach (var process in all)
        {
            var notable = process.Lines.Where(l => l.StartsWith("warn:", StringComparison.Ordinal) || l.StartsWith("fail:", StringComparison.Ordinal)
                || l.StartsWith("crit:", StringComparison.Ordinal) || l.StartsWith("stderr:", StringComparison.Ordinal)).ToList();
            if (notable.Count == 0)
            {
                continue;
            }
            var text = new StringBuilder($"--- {process.Name} (pid {process.Id}): {notable.Count} warnings/errors, first 10 ---");
            foreach (var line in notable.Take(10))
            {
                text.Append('\n').Append(line.Length <= 300 ? line : line[..300] + "…");
            }
            try
            {
                output.WriteLine(text.ToString());
            }
            catch (InvalidOperationException)
            {
                // No test running any more.
            }
        }
    }

    private DemoProcess Start(string name, string[] args)
    {
        var process = DemoProcess.Start(name, args);
        lock (_processes)
        {
            _processes.Add(process);
        }
        return process;
    }
}
