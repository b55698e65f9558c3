namespace Switchboard;

/// <summary>Names of the built-in browser signals, defined once on the server side (the JS client mirrors them).</summary>
public static class BuiltinSignals
{
    /// <summary><c>df.notify</c>: shows a notification.</summary>
    public const string Notify = "df.notify";

    /// <summary>Every built-in browser signal name.</summary>
    public static IReadOnlyList<string> All { get; } = [Notify];
}
