// The Program.cs of the fresh app that tests/packages/run.sh creates with `dotnet new web` and builds against the
// packed Switchboard and Switchboard.Redis packages (docs/packages.md): one page, one server signal that answers the
// calling window with a browser signal. On Redis when SWITCHBOARD_TEST_REDIS is set (test.sh starts one), else in memory.
using Switchboard;

var builder = WebApplication.CreateBuilder(args);
var switchboard = builder.Services.AddSwitchboard();
if (Environment.GetEnvironmentVariable("SWITCHBOARD_TEST_REDIS") is { Length: > 0 } redis)
{
    switchboard.AddRedis(redis, o => o.Prefix = "smoke-" + Guid.NewGuid().ToString("N") + ":");
    // On Redis a web node runs no workers unless told to: this one process is also the worker of its queue.
    builder.Services.Configure<SwitchboardOptions>(o => o.Workers.Queues = ["default"]);
}
switchboard.MapSignal("smoke.ping", (WindowInfo window, ISignals signals, string text) =>
        signals.CallAsync(window, "smoke.pong", to: [Destination.Window], kwargs: new { text = text + "!" }))
    .AllowEveryone();

var app = builder.Build();
app.UseSwitchboard();
app.MapSwitchboard();
app.MapGet("/", (HttpContext http) => Results.Content(
    "<!doctype html><title>smoke</title>" + http.SwitchboardInitHtml() + "<script src=\"/switchboard/df.js\"></script>",
    "text/html"));
app.Run();
