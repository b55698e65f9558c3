namespace Switchboard;

/// <summary>What a <see cref="SignalJob"/> does when a worker takes it.</summary>
public enum SignalJobKind
{
    /// <summary>Run server handlers of a signal.</summary>
    Server = 0,

    /// <summary>Deliver a (delayed) signal to browser topics.</summary>
    Deliver = 1,
}
