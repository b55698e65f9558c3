using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Switchboard.Redis.Tests.Infrastructure;

/// <summary>One log entry, kept so tests can assert on event ids.</summary>
internal sealed record LogEntry(string Category, LogLevel Level, EventId EventId, string Message, Exception? Exception);

/// <summary>A logger provider that records every entry and echoes warnings and errors to the test output.</summary>
internal sealed class LogCapture(ITestOutputHelper? output = null, LogLevel echo = LogLevel.Warning) : ILoggerProvider, ILoggerFactory
{
    private readonly ConcurrentQueue<LogEntry> _entries = new();

    public IReadOnlyList<LogEntry> Entries => [.. _entries];

    public bool Has(int eventId) => _entries.Any(e => e.EventId.Id == eventId);

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void AddProvider(ILoggerProvider provider) => throw new NotSupportedException();

    public void Dispose()
    {
    }

    private void Add(LogEntry entry)
    {
        _entries.Enqueue(entry);
        if (output is not null && entry.Level >= echo)
        {
            try
            {
                output.WriteLine($"[{entry.Level} {entry.EventId.Id} {entry.Category}] {entry.Message}{(entry.Exception is null ? "" : " | " + entry.Exception.GetType().Name + ": " + entry.Exception.Message)}");
            }
            catch (InvalidOperationException)
            {
                // The test already finished.
            }
        }
    }

    private sealed class Logger(LogCapture owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Debug;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            owner.Add(new LogEntry(category, logLevel, eventId, formatter(state, exception), exception));
    }
}
