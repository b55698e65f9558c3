using System.Numerics;

namespace Switchboard.Tests.Topics;

/// <summary>Numbers as topics: equal numbers are equal topics, whatever their type; one canonical text for the rest.</summary>
public sealed class TopicNumberKeysTests
{
    private static readonly DefaultTopicSerializer Serializer = new();

    private static string? Key(object topic) => Serializer.Serialize(null, topic);

    [Fact]
    public void EveryNumericTypeGivesTheIntegerKeyForAnIntegralValue()
    {
        object[] one = [(sbyte)1, (byte)1, (short)1, (ushort)1, 1, 1u, 1L, 1UL, (nint)1, (nuint)1, (Int128)1, (UInt128)1,
            BigInteger.One, 1.0, 1.0f, (Half)1, 1m, 1.0m, 1.000m];

        Assert.All(one, n => Assert.Equal("-int.1", Key(n)));
    }

    [Fact]
    public void IntegralFloatingPointValuesKeepEveryDigit()
    {
        // 2^60 and 2^70 are exact doubles: they are the same numbers as the long and the BigInteger.
        Assert.Equal(Key(1L << 60), Key(Math.Pow(2, 60)));
        Assert.Equal(Key(BigInteger.Pow(2, 70)), Key(Math.Pow(2, 70)));
        Assert.Equal("-int.1180591620717411303424", Key(Math.Pow(2, 70)));
        Assert.Equal(Key(BigInteger.Pow(2, 64)), Key((float)Math.Pow(2, 64)));
        Assert.Equal(Key(decimal.MaxValue), Key(BigInteger.Parse("79228162514264337593543950335", System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal("-int.-170141183460469231731687303715884105728", Key(Int128.MinValue));
        Assert.Equal("-int.340282366920938463463374607431768211455", Key(UInt128.MaxValue));
        Assert.Equal("-int.-42", Key(-42.0));
    }

    [Fact]
    public void NegativeZeroIsZero()
    {
        Assert.Equal("-int.0", Key(-0.0));
        Assert.Equal("-int.0", Key(-0.0f));
        Assert.Equal("-int.0", Key(-0.0m));
        Assert.Equal("-int.0", Key(Half.NegativeZero));
    }

    [Theory]
    [InlineData(1.5, "-num.1.5")]
    [InlineData(-1.5, "-num.-1.5")]
    [InlineData(0.1, "-num.0.1")]
    [InlineData(0.000001, "-num.0.000001")]
    [InlineData(1.5e-7, "-num.1.5e-7")]
    [InlineData(5e-324, "-num.5e-324")]
    [InlineData(123456.789, "-num.123456.789")]
    [InlineData(1000000000000000.5, "-num.1000000000000000.5")]
    [InlineData(0.1 + 0.2, "-num.0.30000000000000004")]
    public void NonIntegralDoubleIsItsShortestRoundTripDigits(double value, string expected)
    {
        Assert.Equal(expected, Key(value));
    }

    [Fact]
    public void DecimalDropsTrailingZeros()
    {
        Assert.Equal("-num.1.5", Key(1.50m));
        Assert.Equal(Key(1.5m), Key(1.50m));
        Assert.Equal(Key(1.5), Key(1.500m));
        Assert.Equal("-num.-0.000001", Key(-0.0000010m));
        Assert.Equal("-num.1e-28", Key(0.0000000000000000000000000001m));
        Assert.Equal("-num.1.2345678901234567890123456e+21", Key(1234567890123456789012.3456m));
    }

    [Fact]
    public void FloatAndHalfUseTheirOwnShortestFormSoTheyMeetTheDecimalTheyWereWrittenAs()
    {
        // 0.1f is 0.100000001490116…, another value than the double 0.1, but both were written 0.1: one topic.
        Assert.NotEqual(0.1, (double)0.1f);
        Assert.Equal("-num.0.1", Key(0.1f));
        Assert.Equal(Key(0.1), Key(0.1f));
        Assert.Equal(Key(0.1m), Key(0.1f));
        Assert.Equal("-num.0.1", Key((Half)0.1));
        Assert.Equal("-num.1e-45", Key(float.Epsilon));
        Assert.Equal("-num.1.401298464324817e-45", Key((double)float.Epsilon));
        Assert.Equal("-int.340282346638528859811704183484516925440", Key(float.MaxValue));
    }

    [Fact]
    public void DifferentNumbersGiveDifferentKeys()
    {
        var keys = new[] { Key(1), Key(2), Key(1.5), Key(1.25), Key(-1), Key(0.1), Key(0.2), Key(1e-7), Key(1e-6), Key(BigInteger.Pow(10, 30)) };

        Assert.Equal(keys.Length, keys.Distinct(StringComparer.Ordinal).Count());
        Assert.NotEqual(Key(0.1), Key(0.10000000000000002));
        Assert.NotEqual(Key(1), Key("1"));
        Assert.NotEqual(Key(1), Key(true));
    }

    [Theory]
    [InlineData(double.NaN, "NaN")]
    [InlineData(double.PositiveInfinity, "Infinity")]
    [InlineData(double.NegativeInfinity, "-Infinity")]
    public void NaNAndInfinitiesThrowNamingTheValue(double value, string shown)
    {
        foreach (var topic in new object[] { value, (float)value, (Half)value })
        {
            var e = Assert.Throws<ArgumentException>(() => Key(topic));

            Assert.Contains(shown, e.Message, StringComparison.Ordinal);
            Assert.Contains(topic.GetType().FullName!, e.Message, StringComparison.Ordinal);
        }
    }
}
