using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Switchboard.Internal.Windows;

namespace Switchboard;

/// <summary>Registers <see cref="IWindowInfoExtension"/>s: the application's own fields of <see cref="WindowInfo"/>.</summary>
public static class WindowInfoExtensionBuilderExtensions
{
    /// <summary>
    /// Adds <typeparamref name="T"/>, activated by DI as a singleton, to the extensions that run on every request's window;
    /// extensions run in registration order. Registering the same type twice adds it once.
    /// </summary>
    public static ISwitchboardBuilder AddWindowInfoExtension<T>(this ISwitchboardBuilder builder)
        where T : class, IWindowInfoExtension
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IWindowInfoExtension, T>());
        return builder;
    }

    /// <summary>Adds <paramref name="extend"/> to the extensions that run on every request's window, in registration order.</summary>
    public static ISwitchboardBuilder AddWindowInfoExtension(this ISwitchboardBuilder builder, Action<HttpContext, WindowExtensionBag> extend)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(extend);
        builder.Services.AddSingleton<IWindowInfoExtension>(new DelegateWindowInfoExtension(extend));
        return builder;
    }
}
