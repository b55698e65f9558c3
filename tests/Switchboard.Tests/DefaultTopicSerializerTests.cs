using System.Globalization;
using System.Security.Claims;

namespace Switchboard.Tests;

public sealed class DefaultTopicSerializerTests
{
    private static readonly DefaultTopicSerializer Serializer = new();
    private static readonly WindowInfo Anonymous = new() { WindowKey = "anon-key" };
    private static readonly WindowInfo User = new() { WindowKey = "user-key", UserId = "42", IsAuthenticated = true };

    [Fact]
    public void BroadcastIsOneTopicWithOrWithoutAWindow()
    {
        Assert.Equal("-broadcast", Serializer.Serialize(null, Destination.Broadcast));
        Assert.Equal("-broadcast", Serializer.Serialize(User, Destination.Broadcast));
        Assert.Equal(DefaultTopicSerializer.BroadcastTopic, Serializer.Serialize(Anonymous, Destination.Broadcast));
    }

    [Fact]
    public void WindowIsTheCallingWindowsTopic()
    {
        Assert.Equal("-window.anon-key", Serializer.Serialize(Anonymous, Destination.Window));
        Assert.Equal(DefaultTopicSerializer.WindowTopic("user-key"), Serializer.Serialize(User, Destination.Window));
    }

    [Fact]
    public void WindowWithoutAWindowAddressesNobody()
    {
        Assert.Null(Serializer.Serialize(null, Destination.Window));
        Assert.Null(Serializer.Serialize(WindowInfo.None, Destination.Window));
    }

    [Fact]
    public void UserIsTheAuthenticatedUsersTopic()
    {
        Assert.Equal("-user.42", Serializer.Serialize(User, Destination.User));
        Assert.Equal(DefaultTopicSerializer.UserTopic("42"), Serializer.Serialize(User, Destination.User));
    }

    [Fact]
    public void UserOfAnAnonymousOrMissingWindowAddressesNobody()
    {
        Assert.Null(Serializer.Serialize(null, Destination.User));
        Assert.Null(Serializer.Serialize(Anonymous, Destination.User));
        Assert.Null(Serializer.Serialize(new WindowInfo { UserId = "42", IsAuthenticated = false }, Destination.User));
        Assert.Null(Serializer.Serialize(new WindowInfo { IsAuthenticated = true }, Destination.User));
    }

    [Fact]
    public void ServerIsNotATopic()
    {
        var e = Assert.Throws<ArgumentException>(() => Serializer.Serialize(User, Destination.Server));

        Assert.Contains("SERVER", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("room:1", "-str.room:1")]
    [InlineData("", "-str.")]
    [InlineData("a,b c", "-str.a,b c")]
    [InlineData("-broadcast", "-str.-broadcast")]
    public void StringIsOneTopicPrefixedSoItNeverCollidesWithSpecialOnes(string topic, string expected)
    {
        Assert.Equal(expected, Serializer.Serialize(null, topic));
    }

    [Fact]
    public void SignalTopicUsesItsKey()
    {
        Assert.Equal("-topic.order.42", Serializer.Serialize(null, new Order(42)));
    }

    [Fact]
    public void ClaimsPrincipalIsItsUsersTopic()
    {
        var withId = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, "42"), new Claim(ClaimTypes.Name, "ada")], "Cookies"));
        var withName = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, "ada")], "Cookies"));

        Assert.Equal("-user.42", Serializer.Serialize(null, withId));
        Assert.Equal(Serializer.Serialize(User, Destination.User), Serializer.Serialize(Anonymous, withId));
        Assert.Equal("-user.ada", Serializer.Serialize(null, withName));
    }

    [Fact]
    public void AnonymousClaimsPrincipalAddressesNobody()
    {
        Assert.Null(Serializer.Serialize(User, new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, "42")]))));
    }

    [Fact]
    public void GuidUsesItsHyphenatedForm()
    {
        Assert.Equal("-guid.0f8fad5b-d9cb-469f-a165-70867728950e", Serializer.Serialize(null, Guid.Parse("0F8FAD5BD9CB469FA16570867728950E")));
    }

    [Fact]
    public void EnumUsesItsTypeAndName()
    {
        Assert.Equal("-enum.Switchboard.NotifyLevel.Success", Serializer.Serialize(null, NotifyLevel.Success));
        Assert.Equal("-enum.Switchboard.Tests.DefaultTopicSerializerTests+Colour.Red", Serializer.Serialize(null, Colour.Red));
    }

    [Fact]
    public void BoolIsOneOrZero()
    {
        Assert.Equal("-bool.1", Serializer.Serialize(null, true));
        Assert.Equal("-bool.0", Serializer.Serialize(null, false));
    }

    [Fact]
    public void EveryIntegerTypeGivesTheSameTopicForTheSameValue()
    {
        object[] fortyTwo = [(sbyte)42, (byte)42, (short)42, (ushort)42, 42, 42u, 42L, 42UL];

        Assert.All(fortyTwo, n => Assert.Equal("-int.42", Serializer.Serialize(null, n)));
        Assert.Equal("-int.18446744073709551615", Serializer.Serialize(null, ulong.MaxValue));
        Assert.Equal("-int.-9223372036854775808", Serializer.Serialize(null, long.MinValue));
    }

    [Fact]
    public void NegativeIntegerIgnoresTheCurrentCulture()
    {
        var previous = CultureInfo.CurrentCulture;
        // Swedish formats negative numbers with U+2212 MINUS SIGN.
        CultureInfo.CurrentCulture = new CultureInfo("sv-SE");
        try
        {
            Assert.Equal("-int.-5", Serializer.Serialize(null, -5));
        }
        finally
        {
            CultureInfo.CurrentCulture = previous;
        }
    }

    [Fact]
    public void TypeUsesItsFullName()
    {
        Assert.Equal("-type.Switchboard.WindowInfo", Serializer.Serialize(null, typeof(WindowInfo)));
    }

    [Fact]
    public void EqualValuesGiveEqualTopics()
    {
        var guid = Guid.NewGuid();

        Assert.Equal(Serializer.Serialize(null, new string('a', 3)), Serializer.Serialize(null, "aaa"));
        Assert.Equal(Serializer.Serialize(null, Guid.Parse(guid.ToString())), Serializer.Serialize(null, guid));
        Assert.Equal(Serializer.Serialize(null, new Order(7)), Serializer.Serialize(null, new Order(7)));
        Assert.NotEqual(Serializer.Serialize(null, "42"), Serializer.Serialize(null, 42));
    }

    [Fact]
    public void ClassWithoutValueSemanticsThrowsNamingItAndTheWayOut()
    {
        var e = Assert.Throws<ArgumentException>(() => Serializer.Serialize(null, new Plain { Id = 1 }));

        Assert.Contains(typeof(Plain).FullName!, e.Message, StringComparison.Ordinal);
        Assert.Contains("record", e.Message, StringComparison.Ordinal);
        Assert.Contains(nameof(ISignalTopic), e.Message, StringComparison.Ordinal);
        Assert.Contains(nameof(ITopicSerializer), e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NullTopicThrows()
    {
        Assert.Throws<ArgumentNullException>(() => Serializer.Serialize(null, null!));
    }

    private sealed record Order(int Id) : ISignalTopic
    {
        public string TopicKey => "order." + Id;
    }

    private enum Colour
    {
        Red,
    }

    private sealed class Plain
    {
        public int Id { get; init; }
    }
}
