using System.Text.Json;
using System.Text.Json.Nodes;
using Switchboard.Bench.LoadGen;

// The load generator: a separate process holding many WebSockets, driven by the harness over stdin/stdout, one JSON
// command per line in, one JSON result per line out (nothing else is written to stdout; diagnostics go to stderr).
//   {"cmd":"connect","kind":"switchboard|signalr|raw","urls":["http://127.0.0.1:P"],"n":1000,"concurrency":64,"sources":4}
//   {"cmd":"run","trigger":"http://.../bench/broadcast?count=100&size=100","expected":100000,"timeoutMs":60000}
//   {"cmd":"roundtrip","windows":20,"calls":100,"timeoutMs":60000,"invoke":false}   (invoke: Switchboard windows df.invoke a function)
//   {"cmd":"churn","n":50,"kind":"switchboard","urls":[...],"sources":4}   (abort the n oldest windows, open n new ones)
//   {"cmd":"status"}   {"cmd":"close"}   {"cmd":"quit"}
var clients = new Clients();
using var heartbeat = new Timer(_ => clients.Heartbeat(), null, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(10));
while (Console.In.ReadLine() is { } line)
{
    if (string.IsNullOrWhiteSpace(line))
    {
        continue;
    }
    JsonObject result;
    try
    {
        var command = JsonNode.Parse(line)!.AsObject();
        var name = (string?)command["cmd"];
        if (name == "quit")
        {
            break;
        }
        result = name switch
        {
            "connect" => await clients.ConnectAsync(command),
            "run" => await clients.RunAsync(command),
            "roundtrip" => await clients.RoundTripAsync(command),
            "churn" => await clients.ChurnAsync(command),
            "status" => clients.Status(),
            "close" => await clients.CloseAsync(),
            _ => new JsonObject { ["error"] = $"unknown command '{name}'" },
        };
    }
    catch (Exception e)
    {
        await Console.Error.WriteLineAsync("loadgen: " + e);
        result = new JsonObject { ["error"] = e.GetType().Name + ": " + e.Message };
    }
    Console.Out.WriteLine(result.ToJsonString(new JsonSerializerOptions { WriteIndented = false }));
    Console.Out.Flush();
}
await clients.CloseAsync();
return 0;
