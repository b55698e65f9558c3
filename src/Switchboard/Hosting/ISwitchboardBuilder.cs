using Microsoft.Extensions.DependencyInjection;

namespace Switchboard;

/// <summary>Returned by <c>AddSwitchboard</c>; add-ons (handlers, Redis) extend it.</summary>
public interface ISwitchboardBuilder
{
    /// <summary>The application's services.</summary>
    IServiceCollection Services { get; }
}
