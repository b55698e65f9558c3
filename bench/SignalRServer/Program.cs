using Microsoft.AspNetCore.SignalR;
using Switchboard.Bench;
using Switchboard.Bench.SignalR;

// The ASP.NET Core SignalR baseline: one hub, JSON protocol, every connection in the group "all" (the counterpart of
// Switchboard's BROADCAST topic), same Kestrel settings and endpoints as the Switchboard bench server. With
// --Redis=HOST:PORT it uses SignalR's Redis backplane (scenario 9: two nodes on one Redis).
var builder = BenchHost.CreateBuilder(args);
var signalR = builder.Services.AddSignalR(); // JSON hub protocol only (MessagePack is a separate package)
if (builder.Configuration["Redis"] is { Length: > 0 } redis)
{
    signalR.AddStackExchangeRedis(redis);
}
builder.Services.AddSingleton<Connections>();

var app = builder.Build();
app.UseWebSockets();
BenchHost.MapCommon(app);
app.MapHub<BenchHub>("/hub");

// count broadcasts (Clients.Group("all"), the group every connection joined), back to back or at `rate` per second.
app.MapGet("/bench/broadcast", async (IHubContext<BenchHub> hub, int count, int size, double? rate, int? callers) =>
{
    var padding = BenchPayload.Padding(size);
    var group = hub.Clients.Group(BenchHub.All);
    var seconds = await Pacer.RunAsync(count, rate ?? 0, _ => group.SendAsync("msg", BenchPayload.Now(padding)), callers ?? 1);
    return Results.Json(new { calls = count, seconds });
});

// rounds × one message to each connection (Clients.Client(id)).
app.MapGet("/bench/targeted", async (IHubContext<BenchHub> hub, Connections connections, int rounds, int size, double? rate) =>
{
    var padding = BenchPayload.Padding(size);
    var targets = connections.Ids.Keys.ToArray();
    var seconds = await Pacer.RunAsync(rounds, rate ?? 0, async _ =>
    {
        foreach (var id in targets)
        {
            await hub.Clients.Client(id).SendAsync("msg", BenchPayload.Now(padding));
        }
    });
    return Results.Json(new { calls = rounds * targets.Length, seconds });
});

await BenchHost.RunAsync(app);
