namespace SwitchboardApp;

/// <summary>
/// <c>dotnet run -- worker --Switchboard:Redis=HOST:PORT</c>: runs the jobs web nodes queue in Redis, no HTTP. Serves
/// the <c>default</c> queue unless <c>Switchboard:Workers:Queues</c> lists others
/// (<c>--Switchboard:Workers:Queues:0=default</c>).
/// </summary>
internal static class WorkerRole
{
    public static async Task<int> RunAsync(string[] args)
    {
        var builder = Host.CreateApplicationBuilder(args);
        if (string.IsNullOrWhiteSpace(builder.Configuration["Switchboard:Redis"]))
        {
            await Console.Error.WriteLineAsync(
                "The worker role needs Redis, where web nodes queue their jobs: pass --Switchboard:Redis=HOST:PORT " +
                "or set the environment variable Switchboard__Redis.");
            return 2;
        }
        builder.Services.AddAppSwitchboard(builder.Configuration);
        builder.Services.PostConfigure<Switchboard.SwitchboardOptions>(options =>
        {
            if (options.Workers.Queues.Count == 0)
            {
                options.Workers.Queues = ["default"];
            }
        });
        await builder.Build().RunAsync();
        return 0;
    }
}
