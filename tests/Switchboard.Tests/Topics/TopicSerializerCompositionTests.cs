namespace Switchboard.Tests.Topics;

/// <summary>The two documented ways to extend the default serializer: inherit it, or wrap an instance.</summary>
public sealed class TopicSerializerCompositionTests
{
    private static readonly WindowInfo Window = new() { WindowKey = "k", UserId = "42", IsAuthenticated = true };

    public static TheoryData<ITopicSerializer> Serializers() => [new Inherited(), new Wrapper(new DefaultTopicSerializer())];

    [Theory]
    [MemberData(nameof(Serializers))]
    public void TheApplicationsTypeIsMappedAndEverythingElseIsTheDefaultsKey(ITopicSerializer serializer)
    {
        var defaults = new DefaultTopicSerializer();

        Assert.Equal("-tenant.acme", serializer.Serialize(Window, new Tenant("acme")));
        foreach (var topic in new object[] { Destination.Window, Destination.User, Destination.Broadcast, "room", 1.5, new { Id = 1 }, new Room(1) })
        {
            Assert.Equal(defaults.Serialize(Window, topic), serializer.Serialize(Window, topic));
        }
        Assert.Throws<ArgumentException>(() => serializer.Serialize(Window, new object()));
    }

    private sealed record Tenant(string Slug);

    private sealed record Room(int Id);

    private sealed class Inherited : DefaultTopicSerializer
    {
        public override string? Serialize(WindowInfo? window, object topic) =>
            topic is Tenant t ? "-tenant." + t.Slug : base.Serialize(window, topic);
    }

    private sealed class Wrapper(DefaultTopicSerializer inner) : ITopicSerializer
    {
        public string? Serialize(WindowInfo? window, object topic) =>
            topic is Tenant t ? "-tenant." + t.Slug : inner.Serialize(window, topic);
    }
}
