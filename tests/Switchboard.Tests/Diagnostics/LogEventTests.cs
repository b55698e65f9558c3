using System.Reflection;
using Microsoft.Extensions.Logging;
using Switchboard.Redis;

namespace Switchboard.Tests.Diagnostics;

/// <summary>
/// Log events are a public contract (operators filter and alert on them): every <see cref="LoggerMessageAttribute"/> in
/// Switchboard and Switchboard.Redis has an id and a name, and no two share either, wherever the methods live.
/// </summary>
public sealed class LogEventTests
{
    private static readonly Assembly[] Libraries = [typeof(SwitchboardOptions).Assembly, typeof(SwitchboardRedisOptions).Assembly];

    private static List<(int Id, string? Name, string Method)> Events() =>
    [
        .. from assembly in Libraries
           from type in assembly.GetTypes()
           from method in type.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly)
           let attribute = method.GetCustomAttribute<LoggerMessageAttribute>()
           where attribute is not null
           select (attribute.EventId, attribute.EventName, $"{type.FullName}.{method.Name}"),
    ];

    [Fact]
    public void EveryLogEventHasAnIdAndAName()
    {
        var events = Events();

        Assert.True(events.Count >= 40, $"Only {events.Count} log methods found: is the reflection still seeing them?");
        Assert.All(events, e =>
        {
            Assert.True(e.Id > 0, $"{e.Method} has no event id.");
            Assert.False(string.IsNullOrEmpty(e.Name), $"{e.Method} has no event name.");
        });
    }

    [Fact]
    public void EventIdsAreUnique()
    {
        var duplicates = Events().GroupBy(e => e.Id).Where(g => g.Count() > 1)
            .Select(g => $"{g.Key}: {string.Join(", ", g.Select(e => e.Method))}");

        Assert.Empty(duplicates);
    }

    [Fact]
    public void EventNamesAreUnique()
    {
        var duplicates = Events().GroupBy(e => e.Name, StringComparer.Ordinal).Where(g => g.Count() > 1)
            .Select(g => $"{g.Key}: {string.Join(", ", g.Select(e => e.Method))}");

        Assert.Empty(duplicates);
    }

    /// <summary>The connection's events, whichever of its types (handler, handshake, frame dispatcher) declares them.</summary>
    [Theory]
    [InlineData(1001, "WindowConnected")]
    [InlineData(1002, "WindowDisconnected")]
    [InlineData(1003, "OriginRefused")]
    [InlineData(1004, "BadWindowToken")]
    [InlineData(1005, "WindowTokenUserMismatch")]
    [InlineData(1006, "BadFrame")]
    [InlineData(1007, "FrameTooLarge")]
    [InlineData(1008, "ConnectionLost")]
    [InlineData(1009, "ConnectionFailed")]
    [InlineData(1010, "DispatchFailed")]
    [InlineData(1011, "AtCapacity")]
    [InlineData(1012, "RateLimitAbuse")]
    [InlineData(1013, "WindowResumed")]
    public void ConnectionEventsKeepTheirIdsAndNames(int id, string name) =>
        Assert.Contains(Events(), e => e.Id == id && e.Name == name);
}
