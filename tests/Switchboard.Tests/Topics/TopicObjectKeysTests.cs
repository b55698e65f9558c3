using System.Collections.Immutable;

namespace Switchboard.Tests.Topics;

/// <summary>Records, anonymous objects, tuples and structs as topics: canonical JSON behind a readable type name.</summary>
public sealed class TopicObjectKeysTests
{
    private const string Scope = "Switchboard.Tests.Topics.TopicObjectKeysTests+";
    private static readonly DefaultTopicSerializer Serializer = new();

    private static string? Key(object topic) => Serializer.Serialize(null, topic);

    [Fact]
    public void ARecordIsItsTypeNameAndSortedJson()
    {
        Assert.Equal("-obj." + Scope + "Tenant{\"Id\":1}", Key(new Tenant(1)));
        Assert.Equal("-obj." + Scope + "Room{\"Name\":\"lobby\",\"Tenant\":{\"Id\":1}}", Key(new Room(new Tenant(1), "lobby")));
    }

    [Fact]
    public void EqualRecordsGiveEqualKeysAndRecordsOfAnotherTypeOrValueDiffer()
    {
        Assert.Equal(Key(new Tenant(1)), Key(new Tenant(1)));
        Assert.NotEqual(Key(new Tenant(1)), Key(new Tenant(2)));
        Assert.NotEqual(Key(new Tenant(1)), Key(new Shop(1)));
        Assert.NotEqual(Key(new Tenant(1)), Key(new TenantStruct(1)));
        Assert.NotEqual(Key(new Tenant(1)), Key(new { Id = 1 }));
    }

    [Fact]
    public void PropertiesAreSortedSoDeclarationOrderDoesNotMatter()
    {
        // A record declares (B, A); two anonymous types declare them in either order: one JSON for all three.
        var json = "{\"A\":1,\"B\":\"x\"}";

        Assert.Equal("-obj." + Scope + "Reversed" + json, Key(new Reversed("x", 1)));
        Assert.Equal("-obj." + json, Key(new { B = "x", A = 1 }));
        Assert.Equal(Key(new { A = 1, B = "x" }), Key(new { B = "x", A = 1 }));
        Assert.Equal("-obj.{\"B\":1,\"a\":2,\"b\":3}", Key(new { b = 3, B = 1, a = 2 }));
    }

    [Fact]
    public void NestedValuesAreCanonicalToo()
    {
        var at = new DateTime(2026, 12, 6, 12, 0, 0, DateTimeKind.Utc);

        Assert.Equal(
            "-obj.{\"At\":\"2026-12-06T12:00:00.0000000Z\",\"Day\":\"2026-12-06\",\"Inner\":{\"X\":1,\"Y\":0.5},\"Kind\":\"Red\",\"N\":1,\"Price\":1.5}",
            Key(new { Price = 1.50m, N = 1.0, Kind = Colour.Red, Inner = new { Y = 0.5f, X = 1L }, Day = new DateOnly(2026, 12, 6), At = at }));
        Assert.Equal(Key(new { N = 1, At = at }), Key(new { N = 1.0m, At = new DateTimeOffset(at).ToOffset(TimeSpan.FromHours(3)) }));
        Assert.Equal("-obj.{\"Ids\":[3,1,2],\"Name\":null}", Key(new { Ids = new[] { 3, 1, 2 }, Name = (string?)null }));
        Assert.Equal("-obj.{\"Ids\":[3,1]}", Key(new { Ids = ImmutableArray.Create(3, 1) }));
        Assert.Equal("-obj.{\"Order\":\"order.7\"}", Key(new { Order = new Order(7) }));
        Assert.Equal("-obj.{\"Id\":\"entity.7\"}", Key(new { Id = new Entity(7) }));
    }

    [Fact]
    public void TextIsEscapedOnlyWhereJsonRequires()
    {
        Assert.Equal("-obj.{\"Name\":\"Zoë <&> \\\"q\\\" \\\\ \\n\"}", Key(new { Name = "Zoë <&> \"q\" \\ \n" }));
    }

    [Fact]
    public void ATupleIsTheArrayOfItsElementsWithoutATypeName()
    {
        Assert.Equal("-obj.[1,\"a\"]", Key((1, "a")));
        Assert.Equal(Key((1, "a")), Key(Tuple.Create(1L, "a")));
        Assert.Equal(Key((Id: 1, Name: "a")), Key((1.0m, 'a')));
        Assert.Equal("-obj.[1,2,3,4,5,6,7,8,9]", Key((1, 2, 3, 4, 5, 6, 7, 8, 9)));
        Assert.Equal("-obj.[[1,2],null]", Key(((1, 2), (string?)null)));
        Assert.NotEqual(Key((1, 2)), Key((2, 1)));
        Assert.Equal("-obj." + Scope + "Pair{\"Value\":[1,\"a\"]}", Key(new Pair((1, "a"))));
    }

    [Fact]
    public void AnyStructIsItsFieldsAndProperties()
    {
        Assert.Equal("-obj." + Scope + "Point{\"X\":1,\"Y\":2}", Key(new Point { Y = 2, X = 1 }));
        Assert.Equal("-obj." + Scope + "TenantStruct{\"Id\":1}", Key(new TenantStruct(1)));
        Assert.Equal("-obj.System.Collections.Generic.KeyValuePair<System.String,System.Int32>{\"Key\":\"a\",\"Value\":1}", Key(KeyValuePair.Create("a", 1)));
    }

    [Fact]
    public void AClassThatOverridesEqualsIsAValue()
    {
        Assert.Equal("-obj." + Scope + "Money{\"Amount\":2.5,\"Currency\":\"EUR\"}", Key(new Money(2.50m, "EUR")));
    }

    [Fact]
    public void GenericTypeNamesAreReadableAndCarryNoAssembly()
    {
        var key = Key(new Box<Tenant>(new Tenant(1)));

        Assert.Equal("-obj." + Scope + "Box<" + Scope + "Tenant>{\"Value\":{\"Id\":1}}", key);
        Assert.DoesNotContain("Version=", key, StringComparison.Ordinal);
        Assert.NotEqual(key, Key(new Box<Shop>(new Shop(1))));
        Assert.Equal("-type.System.Collections.Generic.Dictionary<System.String,System.Int32[]>", Key(typeof(Dictionary<string, int[]>)));
        Assert.Equal("-type." + Scope + "Box<T>", Key(typeof(Box<>)));
        Assert.Equal("-enum." + Scope + "Box<System.Int32>+Shade.Dark", Key(Box<int>.Shade.Dark));
    }

    [Fact]
    public void CharIsTheOneCharacterString()
    {
        Assert.Equal("-str.c", Key('c'));
        Assert.Equal(Key("c"), Key('c'));
    }

    [Fact]
    public void ACollectionIsNotOneTopic()
    {
        foreach (var topic in new object[] { new List<int> { 1, 2 }, new[] { "a" }, new HashSet<int>(), ImmutableArray.Create(1), new Dictionary<string, int>() })
        {
            var e = Assert.Throws<ArgumentException>(() => Key(topic));

            Assert.Contains("collection", e.Message, StringComparison.Ordinal);
            Assert.Contains("to: [a, b]", e.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void AValueHoldingAnUnstableValueThrowsNamingBoth()
    {
        var plain = Assert.Throws<ArgumentException>(() => Key(new Box<Plain>(new Plain())));
        Assert.Contains(Scope + "Box<" + Scope + "Plain>", plain.Message, StringComparison.Ordinal);
        Assert.Contains("holds a " + Scope + "Plain", plain.Message, StringComparison.Ordinal);
        Assert.Contains("value semantics", plain.Message, StringComparison.Ordinal);

        var nan = Assert.Throws<ArgumentException>(() => Key(new { Value = double.NaN }));
        Assert.Contains("NaN", nan.Message, StringComparison.Ordinal);

        var set = Assert.Throws<ArgumentException>(() => Key(new { Ids = new HashSet<int> { 1 } }));
        Assert.Contains("System.Collections.Generic.HashSet<System.Int32>", set.Message, StringComparison.Ordinal);
        Assert.Contains("order", set.Message, StringComparison.Ordinal);

        var map = Assert.Throws<ArgumentException>(() => Key(new { Ids = new Dictionary<string, int> { ["a"] = 1 } }));
        Assert.Contains("dictionary", map.Message, StringComparison.Ordinal);

        var inTuple = Assert.Throws<ArgumentException>(() => Key((1, new Plain())));
        Assert.Contains(Scope + "Plain", inTuple.Message, StringComparison.Ordinal);

        Assert.Throws<ArgumentException>(() => Key(new { Handler = (Action)(() => { }) }));
        Assert.Contains("System.Type", Assert.Throws<ArgumentException>(() => Key(new { Kind = typeof(int) })).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => Key(new { Inner = new { Value = float.PositiveInfinity } }));
    }

    [Fact]
    public void AClassWithoutValueSemanticsOrADelegateIsRefused()
    {
        Assert.Contains(Scope + "Plain", Assert.Throws<ArgumentException>(() => Key(new Plain())).Message, StringComparison.Ordinal);
        Assert.Contains("System.Object", Assert.Throws<ArgumentException>(() => Key(new object())).Message, StringComparison.Ordinal);
        Assert.Contains("delegate", Assert.Throws<ArgumentException>(() => Key((Action)(() => { }))).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ASignalTopicRecordKeepsItsOwnKey()
    {
        Assert.Equal("-topic.order.7", Key(new Order(7)));
    }

    private sealed record Tenant(int Id);

    private sealed record Shop(int Id);

    private sealed record Room(Tenant Tenant, string Name);

    private sealed record Reversed(string B, int A);

    private sealed record Pair((int, string) Value);

    private readonly record struct TenantStruct(int Id);

    private sealed record Box<T>(T Value)
    {
        public enum Shade
        {
            Dark,
        }
    }

    private sealed record Order(int Id) : ISignalTopic
    {
        public string TopicKey => "order." + Id;
    }

    /// <summary>No value semantics, but its key is its own: welcome inside a value as at the top level.</summary>
    private sealed class Entity(int id) : ISignalTopic
    {
        public string TopicKey => "entity." + id;
    }

    private struct Point
    {
        public int X;
        public int Y { get; set; }
    }

    private sealed class Money(decimal amount, string currency)
    {
        public decimal Amount { get; } = amount;

        public string Currency { get; } = currency;

        public override bool Equals(object? obj) => obj is Money m && m.Amount == Amount && m.Currency == Currency;

        public override int GetHashCode() => HashCode.Combine(Amount, Currency);
    }

    private sealed class Plain
    {
        public int Id { get; init; }
    }

    private enum Colour
    {
        Red,
    }
}
