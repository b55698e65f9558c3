using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Switchboard.Internal.Operations;

/// <summary>The services behind <see cref="ISwitchboardQueues"/>, the queue gauges and the health checks' thresholds.</summary>
internal static class OperationsServices
{
    public static void Add(IServiceCollection services)
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SwitchboardOptions>, OperationsOptionsValidator>());
        services.TryAddSingleton<IQueueStatistics>(sp => sp.GetRequiredService<IJobQueue>() as IQueueStatistics
            ?? throw new InvalidOperationException($"The registered IJobQueue ({sp.GetRequiredService<IJobQueue>().GetType().Name}) does not implement IQueueStatistics; register one."));
        services.TryAddSingleton<ISwitchboardQueues, SwitchboardQueues>();
        services.TryAddSingleton<QueueStatisticsSampler>();
        services.TryAddSingleton<QueueGauges>();
        services.AddSingleton<IHostedService>(sp => sp.GetRequiredService<QueueGauges>());
    }
}
