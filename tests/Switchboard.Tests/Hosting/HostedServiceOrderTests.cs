using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Switchboard.Tests.Hosting;

/// <summary>
/// WebApplicationFactory running Kestrel disposes the services before it stops the host: every hosted service
/// Switchboard registers must then stop quietly (the template's own test found WindowRenewal throwing
/// ObjectDisposedException there).
/// </summary>
public sealed class HostedServiceOrderTests
{
    [Fact]
    public async Task EveryHostedServiceStopsQuietlyAfterTheServicesWereDisposed()
    {
        var collection = new ServiceCollection();
        collection.AddLogging();
        collection.AddSwitchboard(o => o.Presence.Topics.Add("room:*")).MapSignal("tests.order", (WindowInfo w) => { });
        var services = collection.BuildServiceProvider();
        var hosted = services.GetServices<IHostedService>().ToList();
        Assert.NotEmpty(hosted);
        foreach (var service in hosted)
        {
            await service.StartAsync(default);
        }

        await services.DisposeAsync();

        var failures = new List<string>();
        foreach (var service in hosted)
        {
            try
            {
                await service.StopAsync(default).WaitAsync(TimeSpan.FromSeconds(10));
            }
            catch (Exception e)
            {
                failures.Add($"{service.GetType().Name}: {e.GetType().Name}: {e.Message}");
            }
        }
        Assert.Empty(failures);
    }
}
