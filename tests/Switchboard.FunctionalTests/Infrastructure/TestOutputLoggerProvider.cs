using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace Switchboard.FunctionalTests.Infrastructure;

/// <summary>Writes a host's log to the test's output, so a failing test shows what the server saw.</summary>
internal sealed class TestOutputLoggerProvider(ITestOutputHelper output, string node) : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => new Logger(output, node, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(ITestOutputHelper output, string node, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Debug;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            try
            {
                output.WriteLine($"{DateTime.Now:HH:mm:ss.fff} [{node} {logLevel} {category}#{eventId.Name}] {formatter(state, exception)}{(exception is null ? "" : " " + exception)}");
            }
            catch (InvalidOperationException)
            {
                // The test already finished: nobody reads this any more.
            }
        }
    }
}
