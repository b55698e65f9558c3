using System.Globalization;
using System.Numerics;

namespace Switchboard.Tests.Topics;

/// <summary>
/// Keys do not depend on the machine: the same under another current culture (decimal comma, another calendar, another
/// minus sign, Arabic digits) and under another local time zone. The zone is process-wide, so this collection runs
/// alone.
/// </summary>
[Collection(nameof(TopicKeysEnvironmentTests))]
[CollectionDefinition(nameof(TopicKeysEnvironmentTests), DisableParallelization = true)]
public sealed class TopicKeysEnvironmentTests
{
    private static readonly DefaultTopicSerializer Serializer = new();
    private static readonly DateTime Instant = new(2026, 3, 29, 1, 30, 0, DateTimeKind.Utc);

    private static object[] Values() =>
    [
        -1.5, 0.000001, 1.5e-7, 1234.5m, -0.25f, -42, -42L, BigInteger.MinusOne, 1.0,
        Instant, new DateTimeOffset(Instant).ToOffset(TimeSpan.FromHours(2)), DateTime.SpecifyKind(Instant, DateTimeKind.Unspecified),
        new DateOnly(2026, 3, 29), new TimeOnly(23, 59, 59), TimeSpan.FromDays(-1.5),
        new Reading(-1.5, 1234.5m, Instant, new DateOnly(2026, 3, 29)), (1.5, new DateOnly(2026, 3, 29)),
    ];

    [Theory]
    [InlineData("fr-FR")]
    [InlineData("ar-SA")]
    [InlineData("sv-SE")]
    [InlineData("fa-IR")]
    [InlineData("th-TH")]
    public void KeysAreTheSameUnderAnotherCulture(string culture)
    {
        var expected = KeysUnder(CultureInfo.InvariantCulture);

        Assert.Equal(expected, KeysUnder(new CultureInfo(culture)));
    }

    [Fact]
    public void KeysAreTheSameUnderAnotherTimeZone()
    {
        var previous = Environment.GetEnvironmentVariable("TZ");
        try
        {
            var keys = new List<string?>();
            foreach (var zone in new[] { "UTC", "Asia/Kolkata", "America/Los_Angeles", "Pacific/Chatham" })
            {
                Environment.SetEnvironmentVariable("TZ", zone);
                TimeZoneInfo.ClearCachedData();
                Assert.Equal(zone, TimeZoneInfo.Local.Id);
                var local = Instant.ToLocalTime();

                Assert.Equal(Serializer.Serialize(null, Instant), Serializer.Serialize(null, local));
                keys.Add(string.Join('\n', Values().Select(v => Serializer.Serialize(null, v))));
            }

            Assert.Single(keys.Distinct());
        }
        finally
        {
            Environment.SetEnvironmentVariable("TZ", previous);
            TimeZoneInfo.ClearCachedData();
        }
    }

    [Fact]
    public void ALocalWallClockTimeIsAnotherInstantInAnotherZone()
    {
        var previous = Environment.GetEnvironmentVariable("TZ");
        try
        {
            Environment.SetEnvironmentVariable("TZ", "Asia/Kolkata");
            TimeZoneInfo.ClearCachedData();

            Assert.Equal("-instant.2026-01-01T00:00:00.0000000Z", Serializer.Serialize(null, new DateTime(2026, 1, 1, 5, 30, 0, DateTimeKind.Local)));
            // Unspecified is never read with the machine's zone.
            Assert.Equal("-instant.2026-01-01T05:30:00.0000000Z", Serializer.Serialize(null, new DateTime(2026, 1, 1, 5, 30, 0)));
        }
        finally
        {
            Environment.SetEnvironmentVariable("TZ", previous);
            TimeZoneInfo.ClearCachedData();
        }
    }

    private static List<string?> KeysUnder(CultureInfo culture)
    {
        var (current, ui) = (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture);
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = culture;
            return [.. Values().Select(v => Serializer.Serialize(null, v))];
        }
        finally
        {
            (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture) = (current, ui);
        }
    }

    private sealed record Reading(double Value, decimal Price, DateTime At, DateOnly Day);
}
