using System.Text.Json.Nodes;

namespace Switchboard.Demo;

/// <summary>
/// <c>dotnet run --project samples/Switchboard.Demo -- emit SIGNAL [--to BROADCAST|SERVER|USER:id|TENANT:id|ROOM:name|topic,...] [--kwargs JSON] [--count N]
/// [--number-field NAME]</c>: a console process (no web host) that calls signals, to the server or to windows, through
/// Redis (<c>ROOM:name</c> is a chat room, <see cref="ChatRoom"/>; any other value a string topic). With <c>--count N</c> (N &gt; 1) each call gets its number 1..N in kwargs <c>n</c>, or as a string in the field
/// <c>--number-field</c> names (e.g. <c>text</c>, for handlers that take no <c>n</c>).
/// </summary>
internal static class DemoEmitter
{
    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length == 0 || args[0].StartsWith('-'))
        {
            await Console.Error.WriteLineAsync("usage: emit SIGNAL [--to BROADCAST|SERVER|USER:id|TENANT:id|ROOM:name|topic,...] [--kwargs JSON] [--count N] [--number-field NAME]");
            return 2;
        }
        var signal = args[0];
        var builder = Host.CreateApplicationBuilder(args[1..]);
        if (string.IsNullOrWhiteSpace(builder.Configuration["Switchboard:Redis"]))
        {
            await Console.Error.WriteLineAsync("The emit role needs Redis to reach other processes: pass --Switchboard:Redis=HOST:PORT.");
            return 2;
        }
        builder.Services.AddDemoTelemetry(builder.Configuration, "emitter");
        builder.Services.AddSwitchboard(builder.Configuration.GetSection("Switchboard"), o => o.Workers.Enabled = false)
            .AddDemoTopicSerializer(builder.Configuration["Demo:TopicSerializer"])
            .AddRedis(builder.Configuration["Switchboard:Redis"], DemoBackend.RedisOptionsFrom(builder.Configuration));
        using var host = builder.Build();
        await host.StartAsync();
        var signals = host.Services.GetRequiredService<ISignals>();
        var to = (builder.Configuration["to"] ?? "BROADCAST").Split(',', StringSplitOptions.RemoveEmptyEntries).Select(Destination).ToList();
        var kwargs = JsonNode.Parse(builder.Configuration["kwargs"] ?? "{}") as JsonObject ?? [];
        var count = int.Parse(builder.Configuration["count"] ?? "1", System.Globalization.CultureInfo.InvariantCulture);
        var numberField = builder.Configuration["number-field"];
        for (var i = 1; i <= count; i++)
        {
            var copy = (JsonObject)kwargs.DeepClone();
            if (numberField is { Length: > 0 })
            {
                copy[numberField] = i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }
            else if (count > 1)
            {
                copy["n"] = i;
            }
            await signals.CallAsync(null, signal, to: to, kwargs: copy);
        }
        Console.WriteLine($"emitted {count} x {signal}");
        await host.StopAsync();
        return 0;
    }

    private static object Destination(string value) => value switch
    {
        "BROADCAST" => Switchboard.Destination.Broadcast,
        "SERVER" => Switchboard.Destination.Server,
        _ when value.StartsWith("USER:", StringComparison.Ordinal) => new System.Security.Claims.ClaimsPrincipal(
            new System.Security.Claims.ClaimsIdentity([new System.Security.Claims.Claim(System.Security.Claims.ClaimTypes.NameIdentifier, value[5..])], "emit")),
        _ when value.StartsWith("TENANT:", StringComparison.Ordinal) => new DemoTenant(value[7..]),
        _ when value.StartsWith("ROOM:", StringComparison.Ordinal) => DemoSignals.RoomTopic(value[5..]),
        _ => value,
    };
}
