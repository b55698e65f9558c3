namespace Switchboard.Specification.Tests;

/// <summary>Every await in a test has a timeout: a hang fails the test with a message instead of stalling the run.</summary>
public static class TaskTimeoutExtensions
{
    /// <summary>How long a test waits for something that should happen promptly.</summary>
    public static TimeSpan Timeout { get; } = TimeSpan.FromSeconds(5);

    /// <summary>Awaits <paramref name="task"/> for at most <see cref="Timeout"/>.</summary>
    public static Task DefaultTimeout(this Task task) => task.WaitAsync(Timeout);

    /// <summary>Awaits <paramref name="task"/> for at most <see cref="Timeout"/>.</summary>
    public static Task<T> DefaultTimeout<T>(this Task<T> task) => task.WaitAsync(Timeout);

    /// <summary>Awaits <paramref name="task"/> for at most <see cref="Timeout"/>.</summary>
    public static Task DefaultTimeout(this ValueTask task) => task.AsTask().WaitAsync(Timeout);

    /// <summary>Awaits <paramref name="task"/> for at most <see cref="Timeout"/>.</summary>
    public static Task<T> DefaultTimeout<T>(this ValueTask<T> task) => task.AsTask().WaitAsync(Timeout);
}
