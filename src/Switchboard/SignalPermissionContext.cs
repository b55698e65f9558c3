using System.Text.Json.Nodes;

namespace Switchboard;

/// <summary>What a <see cref="SignalPermission"/> decides on.</summary>
public sealed class SignalPermissionContext
{
    /// <summary>Creates a context.</summary>
    public SignalPermissionContext(string signal, WindowInfo window, JsonObject? kwargs, IServiceProvider services)
    {
        Signal = signal;
        Window = window;
        Kwargs = kwargs;
        Services = services;
    }

    /// <summary>The signal being called.</summary>
    public string Signal { get; }

    /// <summary>The calling window.</summary>
    public WindowInfo Window { get; }

    /// <summary>The call's arguments; null when building the list of signals a window may call at all.</summary>
    public JsonObject? Kwargs { get; }

    /// <summary>The application's services.</summary>
    public IServiceProvider Services { get; }
}
