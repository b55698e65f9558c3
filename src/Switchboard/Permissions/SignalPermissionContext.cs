using System.Text.Json.Nodes;

namespace Switchboard;

/// <summary>What a <see cref="SignalPermission"/> decides on.</summary>
public sealed class SignalPermissionContext
{
    // A browser call's opts text, parsed into _kwargs the first time a permission (or a queue selector) reads them.
    private readonly string? _kwargsJson;
    private JsonObject? _kwargs;

    /// <summary>Creates a context.</summary>
    public SignalPermissionContext(string signal, WindowInfo window, JsonObject? kwargs, IServiceProvider services)
    {
        Signal = signal;
        Window = window;
        _kwargs = kwargs;
        Services = services;
    }

    private SignalPermissionContext(string signal, WindowInfo window, string kwargsJson, IServiceProvider services)
    {
        Signal = signal;
        Window = window;
        _kwargsJson = kwargsJson;
        Services = services;
    }

    /// <summary>A context whose kwargs are the JSON object text <paramref name="kwargsJson"/>, parsed only when read.</summary>
    internal static SignalPermissionContext ForCall(string signal, WindowInfo window, string kwargsJson, IServiceProvider services) =>
        new(signal, window, kwargsJson, services);

    /// <summary>The signal being called.</summary>
    public string Signal { get; }

    /// <summary>The calling window.</summary>
    public WindowInfo Window { get; }

    /// <summary>The call's arguments; null when building the list of signals a window may call at all.</summary>
    /// <remarks>One object per call, shared by the permission checks of its handlers.</remarks>
    public JsonObject? Kwargs
    {
        get
        {
            if (_kwargs is null && _kwargsJson is not null)
            {
                Interlocked.CompareExchange(ref _kwargs, JsonNode.Parse(_kwargsJson) as JsonObject ?? [], null);
            }
            return _kwargs;
        }
    }

    /// <summary>The application's services.</summary>
    public IServiceProvider Services { get; }
}
