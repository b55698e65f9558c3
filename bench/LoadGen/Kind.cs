namespace Switchboard.Bench.LoadGen;

/// <summary>The protocol a window speaks.</summary>
public enum Kind
{
    Switchboard,
    SignalR,
    Raw,
}
