using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;
using Switchboard.Bench;
using Switchboard.Bench.Raw;

// The physical limit: Kestrel's upgraded stream with hand-written WebSocket framing. A broadcast message is serialized
// and framed once, every connection's queue gets the same bytes, and each send loop writes all the frames waiting in
// its queue with one write (batched). Idle connections hold no buffer (zero-byte reads).
var builder = BenchHost.CreateBuilder(args);
var app = builder.Build();
BenchHost.MapCommon(app);

// Sized once, like the Switchboard server's window set: growing it would count as large-object-heap garbage in the storm.
var connections = new ConcurrentDictionary<RawConnection, byte>(Environment.ProcessorCount, BenchHost.WindowSetCapacity);
var json = new JsonSerializerOptions(JsonSerializerDefaults.Web);

app.Map("/ws", async (HttpContext context) =>
{
    var upgrade = context.Features.Get<IHttpUpgradeFeature>();
    var key = context.Request.Headers["Sec-WebSocket-Key"].ToString();
    if (upgrade is not { IsUpgradableRequest: true } || key.Length == 0)
    {
        context.Response.StatusCode = StatusCodes.Status400BadRequest;
        return;
    }
    var accept = Convert.ToBase64String(SHA1.HashData(Encoding.ASCII.GetBytes(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11")));
    context.Response.Headers.Upgrade = "websocket";
    context.Response.Headers["Sec-WebSocket-Accept"] = accept;
    var stream = await upgrade.UpgradeAsync();
    var connection = new RawConnection(stream);
    connections.TryAdd(connection, 0);
    try
    {
        await connection.RunAsync(context.RequestAborted);
    }
    finally
    {
        connections.TryRemove(connection, out _);
    }
});

app.MapGet("/bench/broadcast", async (int count, int size, double? rate, int? callers) =>
{
    var padding = BenchPayload.Padding(size);
    var seconds = await Pacer.RunAsync(count, rate ?? 0, _ =>
    {
        var frame = WebSocketFraming.TextFrame(JsonSerializer.SerializeToUtf8Bytes(BenchPayload.Now(padding), json));
        foreach (var connection in connections.Keys)
        {
            connection.TrySend(frame);
        }
        return Task.CompletedTask;
    }, callers ?? 1);
    return Results.Json(new { calls = count, seconds });
});

app.MapGet("/bench/targeted", async (int rounds, int size, double? rate) =>
{
    var padding = BenchPayload.Padding(size);
    var targets = connections.Keys.ToArray();
    var seconds = await Pacer.RunAsync(rounds, rate ?? 0, _ =>
    {
        foreach (var connection in targets)
        {
            connection.TrySend(WebSocketFraming.TextFrame(JsonSerializer.SerializeToUtf8Bytes(BenchPayload.Now(padding), json)));
        }
        return Task.CompletedTask;
    });
    return Results.Json(new { calls = rounds * targets.Length, seconds });
});

await BenchHost.RunAsync(app);
