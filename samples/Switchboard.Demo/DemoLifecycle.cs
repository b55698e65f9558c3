namespace Switchboard.Demo;

/// <summary>
/// The window lifecycle (docs/presence.md): Switchboard calls these when a window's first socket connects and when its
/// last one goes, on whichever node (a node that dies: once its entries expire). The demo logs them.
/// </summary>
public static partial class DemoLifecycle
{
    [Signal(LifecycleSignals.WindowConnected)]
    public static void Connected(WindowInfo window, ILoggerFactory logs) =>
        LogConnected(logs.CreateLogger("Switchboard.Demo.Lifecycle"), window.UserName ?? "anonymous");

    [Signal(LifecycleSignals.WindowDisconnected)]
    public static void Disconnected(WindowInfo window, ILoggerFactory logs) =>
        LogDisconnected(logs.CreateLogger("Switchboard.Demo.Lifecycle"), window.UserName ?? "anonymous");

    [LoggerMessage(EventId = 9101, EventName = "DemoWindowConnected", Level = LogLevel.Information, Message = "Demo: a window of {User} connected.")]
    private static partial void LogConnected(ILogger logger, string user);

    [LoggerMessage(EventId = 9102, EventName = "DemoWindowDisconnected", Level = LogLevel.Information, Message = "Demo: a window of {User} disconnected.")]
    private static partial void LogDisconnected(ILogger logger, string user);
}
