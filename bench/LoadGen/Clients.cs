using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Switchboard.Bench.LoadGen;

/// <summary>The windows of this process and the commands that drive them.</summary>
public sealed class Clients
{
    private readonly List<BenchWindow> _windows = [];
    private readonly Counters _counters = new();
    private readonly Dictionary<int, SocketsHttpHandler> _handlers = [];
    private readonly HttpClient _control = new() { Timeout = TimeSpan.FromMinutes(10) };
    private readonly bool _trace = Environment.GetEnvironmentVariable("LOADGEN_TRACE") == "1";

    /// <summary>
    /// Opens <c>n</c> windows spread over <c>urls</c>, from <c>sources</c> loopback addresses (127.0.0.1, .2, ...):
    /// about 28,000 source ports exist per destination, so more windows than that need more addresses.
    /// </summary>
    public async Task<JsonObject> ConnectAsync(JsonObject command)
    {
        var kind = Enum.Parse<Kind>((string)command["kind"]!, ignoreCase: true);
        var urls = command["urls"]!.AsArray().Select(u => new Uri((string)u!)).ToArray();
        var n = (int)command["n"]!;
        var concurrency = (int?)command["concurrency"] ?? 64;
        var sources = Math.Clamp((int?)command["sources"] ?? 1, 1, 250);
        var gate = new SemaphoreSlim(concurrency);
        var errors = new List<string>();
        var failed = 0;
        var opened = new BenchWindow[n];
        var start = Stopwatch.GetTimestamp();
        var firstIndex = _windows.Count;
        var tasks = Enumerable.Range(0, n).Select(async i =>
        {
            await gate.WaitAsync();
            try
            {
                var index = firstIndex + i;
                opened[i] = await BenchWindow.OpenAsync(kind, urls[index % urls.Length], Handler((index % sources) + 1), _counters, _trace);
            }
            catch (Exception e)
            {
                Interlocked.Increment(ref failed);
                lock (errors)
                {
                    if (errors.Count < 5)
                    {
                        errors.Add(e.GetType().Name + ": " + e.Message);
                    }
                }
            }
            finally
            {
                gate.Release();
            }
        });
        await Task.WhenAll(tasks);
        _windows.AddRange(opened.Where(w => w is not null));
        return new JsonObject
        {
            ["connected"] = n - failed,
            ["failed"] = failed,
            ["open"] = _windows.Count(w => !w.Closed),
            ["seconds"] = Stopwatch.GetElapsedTime(start).TotalSeconds,
            ["errors"] = new JsonArray([.. errors.Select(e => (JsonNode)e)]),
        };
    }

    /// <summary>
    /// Arms the counters for <c>expected</c> deliveries, calls the server's trigger URL, and waits for them (or the
    /// timeout). Throughput is deliveries over the time from the trigger request to the last delivery.
    /// </summary>
    public async Task<JsonObject> RunAsync(JsonObject command)
    {
        var expected = (long)command["expected"]!;
        var repeat = Math.Max(1, (int?)command["repeat"] ?? 1);
        var timeout = TimeSpan.FromMilliseconds((int?)command["timeoutMs"] ?? 60_000);
        var trigger = (string)command["trigger"]!;
        var cpu0 = ResourceUsage.CpuSeconds();
        long delivered = 0;
        double seconds = 0, triggerSeconds = 0;
        var complete = true;
        JsonNode? response = null;
        for (var round = 0; round < repeat; round++)
        {
            // With repeat > 1, bursts follow each other once the previous one was fully delivered; throughput is all the
            // deliveries over the sum of the burst times (trigger request to last delivery), latency covers every burst.
            _counters.Arm(expected, resetLatency: round == 0);
            var start = Stopwatch.GetTimestamp();
            response = JsonNode.Parse(await _control.GetStringAsync(trigger));
            triggerSeconds += Stopwatch.GetElapsedTime(start).TotalSeconds;
            complete &= await Task.WhenAny(_counters.Reached, Task.Delay(timeout)) == _counters.Reached;
            var last = _counters.LastTimestamp;
            delivered += _counters.DeliveredCount;
            seconds += last > start ? (last - start) / (double)Stopwatch.Frequency : 0;
            if (!complete)
            {
                break;
            }
        }
        var latency = _counters.Latency.Summary();
        return new JsonObject
        {
            ["loadgenCpuSeconds"] = ResourceUsage.CpuSeconds() - cpu0,
            ["expected"] = expected * repeat,
            ["delivered"] = delivered,
            ["complete"] = complete,
            ["seconds"] = seconds,
            ["perSecond"] = seconds > 0 ? delivered / seconds : double.NaN,
            ["triggerSeconds"] = triggerSeconds,
            ["server"] = response,
            ["p50Ms"] = latency.P50Ms,
            ["p95Ms"] = latency.P95Ms,
            ["p99Ms"] = latency.P99Ms,
            ["maxMs"] = latency.MaxMs,
            ["open"] = _windows.Count(w => !w.Closed),
        };
    }

    /// <summary><c>windows</c> windows each make <c>calls</c> calls one after the other (closed loop).</summary>
    public async Task<JsonObject> RoundTripAsync(JsonObject command)
    {
        var count = Math.Min((int)command["windows"]!, _windows.Count);
        var calls = (int)command["calls"]!;
        var invoke = (bool?)command["invoke"] ?? false;
        using var timeout = new CancellationTokenSource(TimeSpan.FromMilliseconds((int?)command["timeoutMs"] ?? 60_000));
        var histogram = new LatencyHistogram();
        var failures = 0;
        var start = Stopwatch.GetTimestamp();
        await Task.WhenAll(_windows.Where(w => !w.Closed).Take(count).Select(w => Task.Run(async () =>
        {
            for (var c = 0; c < calls; c++)
            {
                try
                {
                    histogram.Record((long)await w.CallAsync(timeout.Token, invoke));
                }
                catch (Exception e) when (e is OperationCanceledException or WebSocketException)
                {
                    Interlocked.Increment(ref failures);
                    return;
                }
            }
        })));
        var seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        var s = histogram.Summary();
        return new JsonObject
        {
            ["calls"] = s.Count,
            ["failed"] = failures,
            ["seconds"] = seconds,
            ["perSecond"] = s.Count / seconds,
            ["p50Ms"] = s.P50Ms,
            ["p95Ms"] = s.P95Ms,
            ["p99Ms"] = s.P99Ms,
            ["maxMs"] = s.MaxMs,
        };
    }

    /// <summary>
    /// Reconnect churn (bench/soak.sh): aborts the <c>n</c> oldest open windows and opens <c>n</c> new ones (fresh page
    /// loads) spread over <c>urls</c>; the list keeps only open windows, so an hour of churn does not grow it.
    /// </summary>
    public async Task<JsonObject> ChurnAsync(JsonObject command)
    {
        var n = (int)command["n"]!;
        var closing = _windows.Where(w => !w.Closed).Take(n).ToList();
        foreach (var w in closing)
        {
            w.Abort();
        }
        await Task.WhenAll(closing.Select(w => w.Receiving ?? Task.CompletedTask)).WaitAsync(TimeSpan.FromSeconds(10))
            .ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        var gone = closing.ToHashSet();
        _windows.RemoveAll(gone.Contains);
        var opened = await ConnectAsync(command);
        opened["closed"] = closing.Count;
        return opened;
    }

    public JsonObject Status() => new()
    {
        ["windows"] = _windows.Count,
        ["open"] = _windows.Count(w => !w.Closed),
        ["lost"] = JsonSerializer.SerializeToNode(_counters.Lost),
        ["cpuSeconds"] = ResourceUsage.CpuSeconds(),
    };

    /// <summary>Aborts every window (RST: SO_LINGER 0), so no TIME_WAIT entries pile up between runs.</summary>
    public async Task<JsonObject> CloseAsync()
    {
        var n = _windows.Count;
        foreach (var w in _windows)
        {
            w.Abort();
        }
        await Task.WhenAll(_windows.Select(w => w.Receiving ?? Task.CompletedTask)).WaitAsync(TimeSpan.FromSeconds(10))
            .ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _windows.Clear();
        _counters.Lost.Clear();
        return new JsonObject { ["closed"] = n };
    }

    public void Heartbeat()
    {
        BenchWindow[] windows;
        try
        {
            windows = [.. _windows];
        }
        catch (InvalidOperationException)
        {
            return; // being modified; next time
        }
        foreach (var w in windows)
        {
            if (!w.Closed)
            {
                _ = w.HeartbeatAsync().ContinueWith(static _ => { }, TaskScheduler.Default);
            }
        }
    }

    /// <summary>
    /// A handler whose sockets are bound to 127.0.0.N. The kernel picks the source port at connect time
    /// (IP_BIND_ADDRESS_NO_PORT), so each address has its own ~28k ports per destination; SO_LINGER 0 makes aborts send
    /// RST instead of leaving TIME_WAIT entries behind.
    /// </summary>
    private SocketsHttpHandler Handler(int source)
    {
        lock (_handlers)
        {
            if (_handlers.TryGetValue(source, out var existing))
            {
                return existing;
            }
            var address = IPAddress.Parse($"127.0.0.{source}");
            var handler = new SocketsHttpHandler
            {
                UseProxy = false,
                UseCookies = false,
                MaxConnectionsPerServer = 64,
                PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
                ConnectCallback = async (context, cancellationToken) =>
                {
                    var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                    try
                    {
                        socket.LingerState = new LingerOption(true, 0);
                        const int SolIp = 0, IpBindAddressNoPort = 24;
                        socket.SetRawSocketOption(SolIp, IpBindAddressNoPort, BitConverter.GetBytes(1));
                        socket.Bind(new IPEndPoint(address, 0));
                        var host = context.DnsEndPoint.Host == "localhost" ? IPAddress.Loopback : IPAddress.Parse(context.DnsEndPoint.Host);
                        await socket.ConnectAsync(new IPEndPoint(host, context.DnsEndPoint.Port), cancellationToken);
                        return new NetworkStream(socket, ownsSocket: true);
                    }
                    catch
                    {
                        socket.Dispose();
                        throw;
                    }
                },
            };
            _handlers[source] = handler;
            return handler;
        }
    }
}
