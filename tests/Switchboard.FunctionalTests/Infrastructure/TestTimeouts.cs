namespace Switchboard.FunctionalTests.Infrastructure;

/// <summary>Every wait in these tests is bounded: no test hangs, none sleeps.</summary>
internal static class TestTimeouts
{
    /// <summary>How long a test waits for an expected frame, close or task.</summary>
    public static TimeSpan Frame { get; } = TimeSpan.FromSeconds(10);

    public static Task DefaultTimeout(this Task task) => task.WaitAsync(Frame);

    public static Task<T> DefaultTimeout<T>(this Task<T> task) => task.WaitAsync(Frame);
}
