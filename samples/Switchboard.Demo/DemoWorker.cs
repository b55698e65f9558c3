namespace Switchboard.Demo;

/// <summary>
/// <c>dotnet run --project samples/Switchboard.Demo -- worker --queues default,slow</c>: workers only, no HTTP.
/// <c>worker dead-letters list|requeue|delete ...</c> handles dead letters instead (<see cref="DemoDeadLetters"/>).
/// Needs Redis (<c>--Switchboard:Redis=127.0.0.1:6379</c> or <c>Switchboard__Redis</c>), where the web nodes put jobs.
/// </summary>
internal static class DemoWorker
{
    public static async Task<int> RunAsync(string[] args)
    {
        if (args.FirstOrDefault() == "dead-letters")
        {
            return await DemoDeadLetters.RunAsync(args[1..]);
        }
        var builder = Host.CreateApplicationBuilder(DemoBackend.TranslateQueuesArgument(args));
        if (string.IsNullOrWhiteSpace(builder.Configuration["Switchboard:Redis"]))
        {
            await Console.Error.WriteLineAsync(
                "The worker role needs Redis, where web nodes queue their jobs: pass --Switchboard:Redis=HOST:PORT " +
                "or set the environment variable Switchboard__Redis.");
            return 2;
        }
        if (builder.Configuration.GetSection("Switchboard:Workers:Queues").GetChildren().Any() is false)
        {
            await Console.Error.WriteLineAsync("The worker role needs the queues to work on: --queues default,slow");
            return 2;
        }
        builder.Services.AddDemoSwitchboard(builder.Configuration, "worker");
        await builder.Build().RunAsync();
        return 0;
    }
}
