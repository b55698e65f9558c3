using System.Reflection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Switchboard;
using Switchboard.Internal.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Switchboard.Internal.Diagnostics;
using Switchboard.Internal.Calls;
using Switchboard.Internal.Hosting;
using Switchboard.Internal.InMemory;
using Switchboard.Internal.Presence;
using Switchboard.Internal.Registry;
using Switchboard.Internal.Windows;
using Switchboard.Internal.Workers;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers Switchboard.</summary>
public static class SwitchboardServiceCollectionExtensions
{
    /// <summary>
    /// Adds Switchboard with the in-memory backend (one process, nothing to install), options bound from
    /// <paramref name="configuration"/> (usually the <c>Switchboard</c> section) and validated at startup.
    /// <paramref name="configure"/> runs after the binding, so what code sets wins over configuration (as in ASP.NET Core).
    /// </summary>
    public static ISwitchboardBuilder AddSwitchboard(this IServiceCollection services, IConfiguration configuration, Action<SwitchboardOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        // Bound first: options run their configure steps in registration order, so the code's configure comes after.
        services.AddOptions<SwitchboardOptions>().Bind(configuration);
        return services.AddSwitchboard(configure);
    }

    /// <summary>Adds Switchboard with the in-memory backend, configured in code.</summary>
    public static ISwitchboardBuilder AddSwitchboard(this IServiceCollection services, Action<SwitchboardOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<SwitchboardOptions>().ValidateOnStart();
        if (configure is not null)
        {
            options.Configure(configure);
        }
        if (services.Any(d => d.ServiceType == typeof(SignalRegistrations)))
        {
            return new SwitchboardBuilder(services);
        }
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SwitchboardOptions>, SwitchboardOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.AddDataProtection();
        services.AddMetrics();
        services.TryAddSingleton<SwitchboardMetrics>();
        services.TryAddSingleton<SwitchboardEndpointsMarker>();
        services.TryAddSingleton<KestrelLimitsSetup>();
        services.AddSingleton<IConfigureOptions<KestrelServerOptions>>(sp => sp.GetRequiredService<KestrelLimitsSetup>());
        services.AddSingleton(new SignalRegistrations());
        services.AddSingleton(new SingletonServices(services));
        services.TryAddSingleton<ITopicSerializer, DefaultTopicSerializer>();
        services.AddSingleton<TopicKeys>();
        services.TryAddSingleton<InMemoryBrokerNetwork>();
        services.TryAddSingleton<IBroker, InMemoryBroker>();
        services.TryAddSingleton<ITopicStore, InMemoryTopicStore>();
        services.TryAddSingleton<IJobQueue, InMemoryJobQueue>();
        services.TryAddSingleton<IPresenceStore, InMemoryPresenceStore>();
        services.TryAddSingleton<IDeadLetterQueue>(sp => sp.GetRequiredService<IJobQueue>() as IDeadLetterQueue
            ?? throw new InvalidOperationException($"The registered IJobQueue ({sp.GetRequiredService<IJobQueue>().GetType().Name}) does not implement IDeadLetterQueue; register one."));
        services.AddSingleton<SignalRegistry>();
        services.AddSingleton<LocalTopicRegistry>();
        services.AddSingleton<ILocalWindowDelivery, LocalWindowDelivery>();
        services.AddSingleton<WindowMembership>();
        services.AddSingleton<TopicPublisher>();
        services.AddSingleton<QueueDirectory>();
        services.AddSingleton<WindowInfoFactory>();
        services.AddSingleton<WindowTokenService>();
        services.AddSingleton<SignalDispatcher>();
        services.AddSingleton<ISignals>(sp => sp.GetRequiredService<SignalDispatcher>());
        services.AddSingleton<IWindowControl, WindowControl>();
        services.TryAddSingleton(sp => new ComponentSignals(
            sp.GetRequiredService<ISignals>(), sp.GetRequiredService<IServiceScopeFactory>(),
            sp.GetService<Microsoft.Extensions.Logging.ILoggerFactory>() ?? Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance,
            sp.GetRequiredService<WindowInfoFactory>()));
        services.AddSingleton<JobExecutor>();
        services.AddSingleton<WindowConnectionHandler>();
        services.AddSingleton<WindowReplay>();
        // Order matters: the registry is validated and the broker started before workers take jobs.
        services.AddSingleton<SwitchboardStartup>();
        services.AddSingleton<IHostedService>(sp => sp.GetRequiredService<SwitchboardStartup>());
        services.AddSingleton<WorkerHost>();
        services.AddSingleton<IHostedService>(sp => sp.GetRequiredService<WorkerHost>());
        services.AddSingleton<HeartbeatMonitor>();
        services.AddSingleton<IHostedService>(sp => sp.GetRequiredService<HeartbeatMonitor>());
        services.AddSingleton<PresenceTopics>();
        services.AddSingleton<IPresence, PresenceService>();
        services.AddSingleton<PresenceEvents>();
        services.AddSingleton<IWindowObserver>(sp => sp.GetRequiredService<PresenceEvents>());
        services.AddSingleton<PresenceTracker>();
        services.AddSingleton<IHostedService>(sp => sp.GetRequiredService<PresenceTracker>());
        services.AddSingleton<WindowRenewal>();
        services.AddSingleton<IHostedService>(sp => sp.GetRequiredService<WindowRenewal>());
        Switchboard.Internal.Operations.OperationsServices.Add(services);
        Switchboard.Internal.Dashboard.DashboardServices.Add(services);
        return new SwitchboardBuilder(services);
    }

    /// <summary>
    /// Registers every method marked <see cref="SignalAttribute"/> or <see cref="FunctionAttribute"/> in <paramref name="assembly"/>,
    /// and declares the browser signals of its types marked <see cref="BrowserSignalAttribute"/> (for the generated TypeScript).
    /// </summary>
    public static ISwitchboardBuilder AddSignalsFrom(this ISwitchboardBuilder builder, Assembly assembly)
    {
        ArgumentNullException.ThrowIfNull(builder);
        Registrations(builder.Services).AddAssembly(assembly);
        Switchboard.Internal.TypeScript.BrowserSignalDeclarations.For(builder.Services).AddAssembly(assembly);
        return builder;
    }

    /// <summary>
    /// Registers a delegate as a server handler of <paramref name="signal"/>. Its first parameter must be a
    /// <see cref="WindowInfo"/>; other parameters bind from kwargs by name, or from DI.
    /// </summary>
    public static SignalHandlerBuilder MapSignal(this ISwitchboardBuilder builder, string signal, Delegate handler)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var registrations = Registrations(builder.Services);
        return new SignalHandlerBuilder(registrations.AddDelegate(signal, handler), registrations);
    }

    /// <summary>
    /// Registers a delegate as the one handler of the remote function <paramref name="name"/>, which browsers invoke
    /// (<c>df.invoke</c>) to get its return value. Its first parameter must be a <see cref="WindowInfo"/>; other
    /// parameters bind from kwargs by name, or from DI. See docs/functions.md.
    /// </summary>
    public static FunctionHandlerBuilder MapFunction(this ISwitchboardBuilder builder, string name, Delegate handler)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var registrations = Registrations(builder.Services);
        return new FunctionHandlerBuilder(registrations.AddFunctionDelegate(name, handler), registrations);
    }

    internal static SignalRegistrations Registrations(IServiceCollection services) =>
        services.FirstOrDefault(d => d.ServiceType == typeof(SignalRegistrations))?.ImplementationInstance as SignalRegistrations
        ?? throw new InvalidOperationException("Call services.AddSwitchboard() first.");
}
