using System.Text.Json;
using Switchboard.Internal.Hosting;

namespace Switchboard.Tests.Windows;

/// <summary>The bag extensions write into: names, values, the size limit, and the typed reads of <see cref="WindowInfo"/>.</summary>
public sealed class WindowExtensionBagTests
{
    private enum Plan { Free, Gold }

    private sealed record Tenant(string Id, Plan Plan, int Seats);

    private static WindowExtensionBag Bag(int maxBytes = 1024, IReadOnlyDictionary<string, JsonElement>? signed = null) =>
        new(maxBytes, signed) { Source = "TestExtension" };

    private static WindowInfo Window(WindowExtensionBag bag) => new() { WindowKey = "k", Extensions = bag.ToFrozen() };

    [Fact]
    public void ValuesAreSerializedWithTheConventionsOfKwargsAndReadBackTyped()
    {
        var bag = Bag();
        bag.Set("tenant", new Tenant("acme", Plan.Gold, 12));
        bag.Set("beta", true);
        bag.Set("ratio", 0.25m);
        bag.Set("nothing", (string?)null);

        var window = Window(bag);

        Assert.Equal("""{"id":"acme","plan":"Gold","seats":12}""", window.Extensions["tenant"].GetRawText());
        Assert.Equal(new Tenant("acme", Plan.Gold, 12), window.GetExtension<Tenant>("tenant"));
        Assert.True(window.GetExtension<bool>("beta"));
        Assert.Equal(0.25m, window.GetExtension<decimal>("ratio"));
        Assert.Null(window.GetExtension<string>("nothing"));
        Assert.True(window.TryGetExtension<Tenant>("tenant", out var tenant));
        Assert.Equal(12, tenant.Seats);
        Assert.False(window.TryGetExtension<string>("absent", out _));
    }

    [Fact]
    public void ReadingAsTheWrongTypeNamesTheFieldAndTheType()
    {
        var bag = Bag();
        bag.Set("tenant", "acme-secret-value");
        var window = Window(bag);

        var e = Assert.Throws<InvalidOperationException>(() => window.GetExtension<int>("tenant"));

        Assert.Contains("'tenant'", e.Message, StringComparison.Ordinal);
        Assert.Contains("System.Int32", e.Message, StringComparison.Ordinal);
        Assert.Contains("JSON string", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("acme-secret-value", e.Message, StringComparison.Ordinal);
        Assert.Throws<InvalidOperationException>(() => window.TryGetExtension<Tenant>("tenant", out _));
    }

    [Fact]
    public void ReadingAMissingExtensionNamesItAndThosePresent()
    {
        var bag = Bag();
        bag.Set("theme", "dark");

        var e = Assert.Throws<KeyNotFoundException>(() => Window(bag).GetExtension<string>("tenant"));

        Assert.Contains("'tenant'", e.Message, StringComparison.Ordinal);
        Assert.Contains("theme", e.Message, StringComparison.Ordinal);
        Assert.Empty(WindowInfo.None.Extensions);
    }

    [Theory]
    [InlineData("")]
    [InlineData("1tenant")]
    [InlineData("_tenant")]
    [InlineData("ten ant")]
    [InlineData("ten/ant")]
    [InlineData("ten\"ant")]
    [InlineData("t\u00e9nant")]
    [InlineData("a12345678901234567890123456789012345678901234567890123456789012345")]
    public void InvalidNamesAreRefused(string name)
    {
        var bag = Bag();

        var e = Assert.Throws<ArgumentException>(() => bag.Set(name, 1));

        Assert.Contains("window extension name", e.Message, StringComparison.Ordinal);
        Assert.Empty(bag.Names);
    }

    [Theory]
    [InlineData("t")]
    [InlineData("tenant")]
    [InlineData("app.feature-flag_2")]
    [InlineData("a1234567890123456789012345678901234567890123456789012345678901b")]
    public void ValidNamesAreAccepted(string name)
    {
        var bag = Bag();

        bag.Set(name, 1);

        Assert.Equal(1, Window(bag).GetExtension<int>(name));
    }

    [Fact]
    public void SetReplacesAndRemoveRemoves()
    {
        var bag = Bag();
        bag.Set("a", "first");
        bag.Set("b", 2);
        bag.Set("a", "second");

        Assert.True(bag.TryGet<string>("a", out var a));
        Assert.Equal("second", a);
        Assert.True(bag.Remove("b"));
        Assert.False(bag.Remove("b"));
        Assert.Equal(["a"], bag.Names);
        Assert.Equal("""{"a":"second"}""".Length, bag.Bytes);
    }

    [Fact]
    public void SizeIsTheJsonOfTheWholeObjectAndTheLimitIsInclusive()
    {
        // {"a":"xx","bb":1} is 17 bytes.
        var bag = Bag(maxBytes: 17);
        bag.Set("a", "xx");
        bag.Set("bb", 1);
        Assert.Equal(17, bag.Bytes);
        Assert.Equal(17, JsonSerializer.Serialize(Window(bag).Extensions).Length);

        var e = Assert.Throws<InvalidOperationException>(() => bag.Set("bb", 10));

        Assert.Contains("TestExtension", e.Message, StringComparison.Ordinal);
        Assert.Contains("'bb'", e.Message, StringComparison.Ordinal);
        Assert.Contains("MaxWindowExtensionsBytes (17)", e.Message, StringComparison.Ordinal);
        Assert.Equal(1, Window(bag).GetExtension<int>("bb"));
        // Replacing with something smaller, or removing, makes room again.
        bag.Set("a", "x");
        bag.Set("bb", 10);
        Assert.Equal(17, bag.Bytes);
    }

    [Fact]
    public void NonAsciiTextCountsItsUtf8Bytes()
    {
        var bag = Bag(maxBytes: 12);
        // {"a":"é"} is 9 characters and 10 bytes; {"a":"éé"} 12 bytes; one more é is over.
        bag.Set("a", "\u00e9\u00e9");
        Assert.Equal(12, bag.Bytes);

        Assert.Throws<InvalidOperationException>(() => bag.Set("a", "\u00e9\u00e9\u00e9"));
    }

    [Fact]
    public void AValueSystemTextJsonCannotSerializeNamesTheExtensionAndTheField()
    {
        var bag = Bag();

        var e = Assert.Throws<InvalidOperationException>(() => bag.Set("kind", typeof(string)));

        Assert.Contains("TestExtension", e.Message, StringComparison.Ordinal);
        Assert.Contains("'kind'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SignedValuesStayAsThePageSetThem()
    {
        var signed = new Dictionary<string, JsonElement> { ["tenant"] = JsonSerializer.SerializeToElement("acme") };
        var bag = Bag(signed: signed);

        bag.Set("tenant", "other");
        Assert.False(bag.Remove("tenant"));
        bag.Set("theme", "dark");

        Assert.True(bag.IsSigned("tenant"));
        Assert.False(bag.IsSigned("theme"));
        var window = Window(bag);
        Assert.Equal("acme", window.GetExtension<string>("tenant"));
        Assert.Equal("dark", window.GetExtension<string>("theme"));
    }

    [Fact]
    public void ExtensionsAreImmutableAndSurviveTheJsonOfAJob()
    {
        var bag = Bag();
        bag.Set("tenant", new Tenant("acme", Plan.Free, 3));
        bag.Set("beta", true);
        var job = new SignalJob { Id = "j", Queue = "q", Signal = "s", Window = new WindowInfo { WindowKey = "k", UserId = "alice", IsAuthenticated = true, Extensions = bag.ToFrozen() } };

        var json = JsonSerializer.Serialize(job);
        var back = JsonSerializer.Deserialize<SignalJob>(json)!;

        Assert.Contains("\"extensions\":{", json, StringComparison.Ordinal);
        Assert.Equal(new Tenant("acme", Plan.Free, 3), back.Window!.GetExtension<Tenant>("tenant"));
        Assert.True(back.Window.GetExtension<bool>("beta"));
        Assert.Equal("alice", back.Window.UserId);
        Assert.False(back.Window.Extensions is IDictionary<string, JsonElement> { IsReadOnly: false });
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2049)]
    public void MaxWindowExtensionsBytesIsValidatedAtStartup(int bytes)
    {
        var result = new SwitchboardOptionsValidator().Validate(Microsoft.Extensions.Options.Options.DefaultName, new SwitchboardOptions { MaxWindowExtensionsBytes = bytes });

        Assert.True(result.Failed);
        Assert.Contains(result.Failures!, f => f.Contains("Switchboard:MaxWindowExtensionsBytes", StringComparison.Ordinal));
        Assert.Equal(1024, new SwitchboardOptions().MaxWindowExtensionsBytes);
    }
}
