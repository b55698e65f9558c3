using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace Switchboard.Internal.Dashboard;

/// <summary>
/// The dashboard's services, in every process (web nodes, workers): each node publishes its snapshot while a dashboard
/// is watched anywhere, whether or not it maps the dashboard itself.
/// </summary>
internal static class DashboardServices
{
    public static void Add(IServiceCollection services)
    {
        services.AddAntiforgery();
        services.TryAddSingleton<MappedDashboard>();
        services.TryAddSingleton<DashboardTopics>();
        services.TryAddSingleton<DashboardQueuesReader>();
        services.TryAddSingleton<DashboardMeasurements>();
        services.TryAddSingleton<NodeSnapshotCollector>();
        services.TryAddSingleton<DashboardPublisher>();
        services.AddSingleton<IHostedService>(sp => sp.GetRequiredService<DashboardPublisher>());
    }
}
