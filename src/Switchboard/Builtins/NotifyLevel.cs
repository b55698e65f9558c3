namespace Switchboard;

/// <summary>Level of a <c>df.notify</c> message.</summary>
public enum NotifyLevel
{
    /// <summary><c>default</c></summary>
    Default,

    /// <summary><c>info</c></summary>
    Info,

    /// <summary><c>success</c></summary>
    Success,

    /// <summary><c>danger</c></summary>
    Danger,

    /// <summary><c>warning</c></summary>
    Warning,
}
