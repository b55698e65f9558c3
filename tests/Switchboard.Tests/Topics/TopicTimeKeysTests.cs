namespace Switchboard.Tests.Topics;

/// <summary>Dates and times as topics: one UTC instant key, invariant formats.</summary>
public sealed class TopicTimeKeysTests
{
    private static readonly DefaultTopicSerializer Serializer = new();
    private static readonly DateTime Utc = new(2026, 12, 6, 11, 30, 15, 250, DateTimeKind.Utc);

    private static string? Key(object topic) => Serializer.Serialize(null, topic);

    [Fact]
    public void AnInstantIsItsIso8601TextInUtc()
    {
        Assert.Equal("-instant.2026-12-06T11:30:15.2500000Z", Key(Utc));
    }

    [Fact]
    public void LocalUtcAndOffsetDatesOfOneInstantAreOneTopic()
    {
        var key = Key(Utc);

        Assert.Equal(key, Key(Utc.ToLocalTime()));
        Assert.Equal(key, Key(new DateTimeOffset(Utc)));
        Assert.Equal(key, Key(new DateTimeOffset(Utc).ToOffset(TimeSpan.FromHours(5.5))));
        Assert.Equal(key, Key(new DateTimeOffset(Utc).ToOffset(TimeSpan.FromHours(-8))));
        Assert.Equal(key, Key(new DateTimeOffset(Utc).ToLocalTime()));
    }

    [Fact]
    public void AnUnspecifiedDateTimeIsTakenAsUtc()
    {
        Assert.Equal(Key(Utc), Key(DateTime.SpecifyKind(Utc, DateTimeKind.Unspecified)));
    }

    [Fact]
    public void DifferentInstantsGiveDifferentKeys()
    {
        Assert.NotEqual(Key(Utc), Key(Utc.AddTicks(1)));
        Assert.NotEqual(Key(new DateTimeOffset(Utc)), Key(new DateTimeOffset(DateTime.SpecifyKind(Utc, DateTimeKind.Unspecified), TimeSpan.FromHours(1))));
    }

    [Fact]
    public void DateTimeAndDurationUseInvariantFormats()
    {
        Assert.Equal("-date.2026-12-06", Key(new DateOnly(2026, 12, 6)));
        Assert.Equal("-date.0001-01-01", Key(DateOnly.MinValue));
        Assert.Equal("-time.13:45:00.0000000", Key(new TimeOnly(13, 45)));
        Assert.Equal("-time.00:00:00.0000001", Key(new TimeOnly(1)));
        Assert.Equal("-duration.01:30:00", Key(TimeSpan.FromMinutes(90)));
        Assert.Equal("-duration.-1.02:03:04.5000000", Key(-new TimeSpan(1, 2, 3, 4, 500)));
    }

    [Fact]
    public void KindsOfTimeNeverShareAKey()
    {
        var keys = new[] { Key(new DateOnly(2026, 1, 1)), Key(new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc)), Key(new TimeOnly(1, 0)), Key(TimeSpan.FromHours(1)) };

        Assert.Equal(keys.Length, keys.Distinct(StringComparer.Ordinal).Count());
    }
}
