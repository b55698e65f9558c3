using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Xunit.Abstractions;

namespace Switchboard.FunctionalTests;

/// <summary>
/// Fuzzing over a real socket (bounded and seeded, so a failure replays): thousands of random and mutated frames sent
/// to connected windows, and mutated first frames sent to new sockets. Every frame gets its documented answer or its
/// documented close (<see cref="FrameOracle"/>, worked out independently of the server's reader), the server never
/// closes with 1011, and the host logs no error.
/// </summary>
public sealed class SocketFuzzTests(ITestOutputHelper output)
{
    /// <summary>Fixed so a failure replays; <c>SWITCHBOARD_FUZZ_SEED</c> explores other seeds.</summary>
    private static readonly int Seed = int.TryParse(Environment.GetEnvironmentVariable("SWITCHBOARD_FUZZ_SEED"), out var seed) ? seed : 20_261_125;
    /// <summary>
    /// Frames sent to connected windows: 4000 (CI), or <c>SWITCHBOARD_FUZZ_FRAMES</c> for a long run (one million in
    /// docs/operations.md#fuzzing); the first-frame test scales with it (300 per 4000 frames, at least 300).
    /// </summary>
    private static readonly int Frames = FromEnvironment("SWITCHBOARD_FUZZ_FRAMES", 4000);
    private static readonly int Handshakes = (int)Math.Max(300, (long)Frames * 300 / 4000);
    private const int MaxFrameBytes = 8192;
    private const int Batch = 25;

    private static readonly string[] Signals = ["fz.ok", "fz.ok", "fz.staff", "fz.nope", "1bad", "fz..x", "", "fz.ok.sub"];

    private static readonly string[] RefusalCodes = ["invalid_signal_name", "unknown_signal", "forbidden", "kwargs_too_large"];

    [Fact]
    public async Task EveryFuzzedFrameOnAConnectedWindowGetsItsDocumentedAnswer()
    {
        var logs = NewLogs();
        await using var host = await StartAsync(logs);
        await using var browser = new TestBrowser();
        var token = await browser.LoadPageAsync(host, "room");
        for (var n = 1; n <= 5; n++)
        {
            // Something for the resumes to replay.
            await host.Signals.CallAsync(null, "fz.msg", to: ["room"], kwargs: new { n });
        }
        var window = await browser.ConnectAsync(host);
        await window.HandshakeAsync(token);
        var random = new Random(Seed);
        var fuzzer = new FrameFuzzer(random, MaxFrameBytes, Signals, () => PositionsNear(window.Hello, random));
        var windows = new List<TestWindow> { window };
        var counts = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var mismatches = new List<string>();
        var sent = 0;
        var closes = 0;
        var nextClose = 400;

        while (sent < Frames)
        {
            if (sent >= nextClose)
            {
                nextClose += 400;
                // Now and then a frame that ends the connection, then the window reconnects and resumes.
                var (close, send) = (closes++ % 3) switch
                {
                    0 => (1009, (Func<TestWindow, Task>)(w => w.SendTextAsync(new string(' ', MaxFrameBytes + 1 + random.Next(5000))))),
                    1 => (4009, w => w.SendBinaryAsync(new byte[] { (byte)'{', (byte)'}' })),
                    _ => (1007, w => w.SendTextAsync(new byte[] { (byte)'{', 0xC3, 0x28, (byte)'}' })),
                };
                await send(window);
                var closed = await window.WaitForCloseAsync() ?? FrameOracle.Lost;
                Assert.True(FrameOracle.Matches(close, closed), $"expected close {close}, got {closed}");
                Count(counts, closed == FrameOracle.Lost ? "connection lost" : "close " + closed);
                var last = window.Positions;
                window = await browser.ConnectAsync(host);
                Assert.NotNull((await window.HandshakeAsync(token, last)).Recovered());
                windows.Add(window);
                sent++;
                continue;
            }
            var batch = new List<(byte[] Text, string How)>();
            while (batch.Count < Batch && sent + batch.Count < Frames)
            {
                var frame = fuzzer.Next();
                Assert.Null(FrameOracle.Close(frame.Text, MaxFrameBytes));
                batch.Add(frame);
            }
            foreach (var (text, _) in batch)
            {
                await window.SendTextAsync(text);
            }
            foreach (var (text, how) in batch)
            {
                var (kind, id) = FrameOracle.Expect(text);
                var answer = await window.NextFrameAsync(f => FrameOracle.AnswerKind(f) is not null, $"the answer to frame {sent} ({how}: {FrameOracle.Show(text)})");
                var problem = FrameOracle.AnswerKind(answer) != kind ? $"expected {kind}"
                    : answer.Id() != id ? $"expected id {id}"
                    : answer.Type() == "refused" && !RefusalCodes.Contains(answer.Str("code")) ? "undocumented refusal"
                    : null;
                if (problem is not null)
                {
                    mismatches.Add($"frame {sent} ({how}): {FrameOracle.Show(text)} → {answer.GetRawText()}: {problem}");
                }
                Count(counts, answer.Type() is "error" or "refused" ? answer.Type() + " " + answer.Str("code") : answer.Type()!);
                sent++;
            }
        }
        await window.PingAsync();

        output.WriteLine($"Fuzzed {sent} frames (seed {Seed}) over {windows.Count} connections: {string.Join(", ", counts.Select(c => $"{c.Key}: {c.Value}"))}");
        foreach (var mismatch in mismatches.Take(20))
        {
            output.WriteLine(mismatch);
        }
        Assert.Empty(mismatches);
        Assert.DoesNotContain(windows, w => w.CloseStatus == 1011);
        AssertNoErrorLogged(logs);
    }

    [Fact]
    public async Task EveryFuzzedFirstFrameGetsHelloOrItsDocumentedClose()
    {
        var logs = NewLogs();
        await using var host = await StartAsync(logs);
        await using var browser = new TestBrowser();
        var token = await browser.LoadPageAsync(host, "room");
        var hello = await browser.OpenWindowAsync(host);
        var random = new Random(Seed + 1);
        var fuzzer = new FrameFuzzer(random, MaxFrameBytes, Signals, () => PositionsNear(hello.Hello, random));
        var counts = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var mismatches = new List<string>();

        for (var i = 0; i < Handshakes; i++)
        {
            var connect = new JsonObject { ["type"] = "connect", ["v"] = 1, ["token"] = token };
            if (random.Next(2) == 0)
            {
                connect["resume"] = PositionsNear(hello.Hello, random);
            }
            var (text, how) = fuzzer.Mutate(connect, "connect", random.Next(3));
            if (random.Next(20) == 0)
            {
                (text, how) = ([(byte)'{', 0xFF, (byte)'}'], "not UTF-8");
            }
            var expected = FrameOracle.ExpectFirst(text, MaxFrameBytes, token);
            await using var window = await browser.ConnectAsync(host);
            await window.SendTextAsync(text);
            int? outcome;
            try
            {
                await window.NextFrameAsync(f => f.Type() == "hello", "hello");
                outcome = null;
            }
            catch (InvalidOperationException)
            {
                // Closed instead of hello.
                outcome = window.CloseStatus ?? FrameOracle.Lost;
            }
            if (!FrameOracle.Matches(expected, outcome))
            {
                mismatches.Add($"first frame {i} ({how}): {FrameOracle.Show(text)} → {outcome?.ToString() ?? "hello"}, expected {expected?.ToString() ?? "hello"}");
            }
            Count(counts, outcome switch { null => "hello", FrameOracle.Lost => "connection lost", _ => "close " + outcome });
        }

        output.WriteLine($"Fuzzed {Handshakes} first frames (seed {Seed + 1}): {string.Join(", ", counts.Select(c => $"{c.Key}: {c.Value}"))}");
        foreach (var mismatch in mismatches.Take(20))
        {
            output.WriteLine(mismatch);
        }
        Assert.Empty(mismatches);
        Assert.False(counts.ContainsKey("close 1011"));
        AssertNoErrorLogged(logs);
    }

    /// <summary>The window's positions from hello, some moved, some of another epoch, some topics left out.</summary>
    private static JsonObject PositionsNear(JsonElement hello, Random random)
    {
        var json = new JsonObject();
        foreach (var (id, p) in hello.Pos())
        {
            if (random.Next(4) == 0)
            {
                continue;
            }
            var seq = Math.Max(0, p.Seq + random.Next(-3, 3) + (random.Next(8) == 0 ? 10 : 0));
            json[id] = new JsonArray(seq, random.Next(6) == 0 ? "other." + random.Next(3) : p.Epoch);
        }
        return json;
    }

    private static void Count(SortedDictionary<string, int> counts, string key) =>
        counts[key] = counts.GetValueOrDefault(key) + 1;

    private void AssertNoErrorLogged(FakeLogCollector logs)
    {
        var errors = logs.GetSnapshot().Where(r => r.Level >= LogLevel.Error || r.Id.Name == "ConnectionFailed").ToList();
        foreach (var error in errors.Take(5))
        {
            output.WriteLine($"{error.Level} {error.Category} {error.Id}: {error.Message} {error.Exception}");
        }
        Assert.Empty(errors);
    }

    private static int FromEnvironment(string name, int fallback)
    {
        var text = Environment.GetEnvironmentVariable(name);
        if (string.IsNullOrWhiteSpace(text))
        {
            return fallback;
        }
        return int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var value) && value > 0
            ? value
            : throw new InvalidOperationException($"{name} must be a positive whole number of frames (got '{text}').");
    }

    /// <summary>Warnings and errors only: a million-frame run would otherwise keep every information line in memory.</summary>
    private static FakeLogCollector NewLogs() => FakeLogCollector.Create(new FakeLogCollectorOptions
    {
        FilteredLevels = { LogLevel.Warning, LogLevel.Error, LogLevel.Critical },
    });

    private static Task<SwitchboardHost> StartAsync(FakeLogCollector logs) => SwitchboardHost.StartAsync(o =>
    {
        o.Services = services => services.AddSingleton<ILoggerProvider>(new FakeLoggerProvider(logs));
        o.Switchboard = s =>
        {
            (s.MaxFrameBytes, s.MaxKwargsBytes) = (MaxFrameBytes, 4096);
            (s.CallRateLimit.PermitsPerSecond, s.CallRateLimit.Burst) = (1_000_000, 1_000_000);
        };
        o.Signals = s =>
        {
            s.MapSignal("fz.ok", (WindowInfo w, [CatchAll] JsonObject rest) => { }).AllowEveryone();
            s.MapSignal("fz.ok.sub", (WindowInfo w, [CatchAll] JsonObject rest) => { }).AllowEveryone();
            s.MapSignal("fz.staff", (WindowInfo w, [CatchAll] JsonObject rest) => { }).AllowedTo(IsStaff.Instance);
        };
    });
}
