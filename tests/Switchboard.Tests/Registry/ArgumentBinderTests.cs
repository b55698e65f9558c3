using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;
using Switchboard.Internal.Registry;

namespace Switchboard.Tests.Registry;

public sealed class ArgumentBinderTests
{
    private static readonly WindowInfo Window = new() { WindowKey = "w1" };

    private static object?[] Bind(Delegate handler, string kwargs, Action<IServiceCollection>? services = null, CancellationToken ct = default)
    {
        var descriptor = TestRegistry.Describe(handler, out var provider, services);
        return ArgumentBinder.Bind(descriptor, Window, kwargs, provider, ct);
    }

    private static string BindFails(Delegate handler, string kwargs) =>
        Assert.Throws<ArgumentBindingException>(() => Bind(handler, kwargs)).Message;

    [Fact]
    public void ArgumentsBindByNameWhateverTheirOrder()
    {
        var args = Bind((WindowInfo w, string name, int count) => { }, """{"count":12,"name":"ada"}""");

        Assert.Same(Window, args[0]);
        Assert.Equal("ada", args[1]);
        Assert.Equal(12, args[2]);
    }

    [Fact]
    public void NumberInAStringConvertsToTheParameterType()
    {
        var args = Bind((WindowInfo w, int count, decimal price) => { }, """{"count":"12","price":"3.50"}""");

        Assert.Equal(12, args[1]);
        Assert.Equal(3.50m, args[2]);
    }

    [Fact]
    public void EnumBindsFromItsNameOrNumber()
    {
        var args = Bind((WindowInfo w, NotifyLevel a, NotifyLevel b, NotifyLevel c) => { }, """{"a":"Success","b":"warning","c":1}""");

        Assert.Equal([NotifyLevel.Success, NotifyLevel.Warning, NotifyLevel.Info], args[1..]);
    }

    [Fact]
    public void NestedObjectBindsWithWebNamingRules()
    {
        var args = Bind((WindowInfo w, Order order) => { }, """{"order":{"id":7,"lines":[{"sku":"A","quantity":2}],"customer":{"name":"Zo\u00e9"}}}""");

        var order = Assert.IsType<Order>(args[1]);
        Assert.Equal(7, order.Id);
        Assert.Equal("A", Assert.Single(order.Lines).Sku);
        Assert.Equal(2, order.Lines[0].Quantity);
        Assert.Equal("Zo\u00e9", order.Customer?.Name);
    }

    [Fact]
    public void DateTimeOffsetGuidAndListBindFromJson()
    {
        var args = Bind(
            (WindowInfo w, DateTimeOffset at, Guid id, List<int> values) => { },
            """{"at":"2024-05-06T07:08:09.123+02:00","id":"0f8fad5b-d9cb-469f-a165-70867728950e","values":[1,2,3]}""");

        Assert.Equal(new DateTimeOffset(2024, 5, 6, 7, 8, 9, 123, TimeSpan.FromHours(2)), args[1]);
        Assert.Equal(((DateTimeOffset)args[1]!).Offset, TimeSpan.FromHours(2));
        Assert.Equal(Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e"), args[2]);
        Assert.Equal([1, 2, 3], Assert.IsType<List<int>>(args[3]));
    }

    [Fact]
    public void MissingOptionalArgumentsKeepTheirDefaults()
    {
        var args = Bind(OptionalHandler, "{}");

        Assert.Equal([5, "hello", null, NotifyLevel.Danger, 0, 2.5m], args[1..]);
    }

    [Fact]
    public void GivenOptionalArgumentsOverrideTheirDefaults()
    {
        var args = Bind(OptionalHandler, """{"count":1,"text":"x","maybe":3,"level":"Info","zero":4,"price":1}""");

        Assert.Equal([1, "x", 3, NotifyLevel.Info, 4, 1m], args[1..]);
    }

    [Fact]
    public void NullBindsToNullableAndReferenceParameters()
    {
        var args = Bind((WindowInfo w, int? count, string? text) => { }, """{"count":null,"text":null}""");

        Assert.Null(args[1]);
        Assert.Null(args[2]);
    }

    [Fact]
    public void NullForANonNullableValueTypeNamesTheArgument()
    {
        var message = BindFails((WindowInfo w, int count) => { }, """{"count":null}""");

        Assert.Contains("\"count\"", message, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingRequiredArgumentNamesIt()
    {
        var message = BindFails((WindowInfo w, string room, int count) => { }, """{"room":"lobby"}""");

        Assert.Equal("Missing required argument \"count\".", message);
    }

    [Fact]
    public void NullableWithoutDefaultIsStillRequired()
    {
        Assert.Contains("\"count\"", BindFails((WindowInfo w, int? count) => { }, "{}"), StringComparison.Ordinal);
    }

    [Fact]
    public void UnconvertibleValueNamesTheArgumentAndItsType()
    {
        var message = BindFails((WindowInfo w, int count) => { }, """{"count":"twelve"}""");

        Assert.Contains("\"twelve\"", message, StringComparison.Ordinal);
        Assert.Contains("\"count\" (Int32)", message, StringComparison.Ordinal);
    }

    [Fact]
    public void LongUnconvertibleValueIsShortenedInTheMessage()
    {
        var message = BindFails((WindowInfo w, int count) => { }, $$"""{"count":"{{new string('x', 500)}}"}""");

        Assert.True(message.Length < 200, message);
        Assert.Contains("…", message, StringComparison.Ordinal);
    }

    [Fact]
    public void OverflowingNumberIsABindingFailure()
    {
        Assert.Contains("\"small\"", BindFails((WindowInfo w, byte small) => { }, """{"small":300}"""), StringComparison.Ordinal);
    }

    [Fact]
    public void ExtraArgumentWithoutCatchAllIsRefusedNamingIt()
    {
        var message = BindFails((WindowInfo w, string room) => { }, """{"room":"lobby","colour":"red"}""");

        Assert.Contains("\"colour\"", message, StringComparison.Ordinal);
        Assert.Contains("MapSignal(\"tests.bind\") #1 accepts room", message, StringComparison.Ordinal);
    }

    [Fact]
    public void ExtraArgumentForHandlerWithoutArgumentsSaysSo()
    {
        Assert.Contains("accepts no arguments", BindFails((WindowInfo w) => { }, """{"x":1}"""), StringComparison.Ordinal);
    }

    [Fact]
    public void CatchAllReceivesOnlyTheUnboundArguments()
    {
        var args = Bind((WindowInfo w, string room, [CatchAll] JsonObject rest) => { }, """{"room":"lobby","colour":"red","n":{"deep":[1]}}""");

        Assert.Equal("lobby", args[1]);
        var rest = Assert.IsType<JsonObject>(args[2]);
        Assert.Equal("""{"colour":"red","n":{"deep":[1]}}""", rest.ToJsonString());
    }

    [Fact]
    public void CatchAllIsEmptyWhenEverythingIsBound()
    {
        var args = Bind((WindowInfo w, [CatchAll] JsonObject rest, string room) => { }, """{"room":"lobby"}""");

        Assert.Empty(Assert.IsType<JsonObject>(args[1]));
    }

    [Fact]
    public void ServicesAreResolvedFromTheProvider()
    {
        var clock = new Clock();
        var args = Bind(
            (WindowInfo w, Clock fromDi, [FromServices] ExplicitService? marked, string text) => { },
            """{"text":"t"}""",
            s => s.AddSingleton(clock).AddSingleton<ExplicitService>());

        Assert.Same(clock, args[1]);
        Assert.IsType<ExplicitService>(args[2]);
        Assert.Equal("t", args[3]);
    }

    [Fact]
    public void OptionalServiceThatIsMissingIsNull()
    {
        var args = Bind((WindowInfo w, [FromServices] Clock? clock = null) => { }, "{}");

        Assert.Null(args[1]);
    }

    [Fact]
    public void RequiredServiceThatIsMissingThrows()
    {
        Assert.Throws<InvalidOperationException>(() => Bind((WindowInfo w, [FromServices] Clock clock) => { }, "{}"));
    }

    [Fact]
    public void CancellationTokenParameterGetsTheJobsToken()
    {
        using var cancel = new CancellationTokenSource();

        var args = Bind((WindowInfo w, CancellationToken ct) => { }, "{}", ct: cancel.Token);

        Assert.Equal(cancel.Token, args[1]);
    }

    [Fact]
    public void EachBindGetsItsOwnCopyOfTheArguments()
    {
        var descriptor = TestRegistry.Describe((WindowInfo w, List<int> values, [CatchAll] JsonObject rest) => { }, out var provider);
        const string kwargs = """{"values":[1],"extra":{"n":1}}""";

        var first = ArgumentBinder.Bind(descriptor, Window, kwargs, provider, default);
        ((List<int>)first[1]!).Add(2);
        ((JsonObject)first[2]!)["extra"]!["n"] = 99;
        ((JsonObject)first[2]!)["added"] = true;
        var second = ArgumentBinder.Bind(descriptor, Window, kwargs, provider, default);

        Assert.Equal([1], (List<int>)second[1]!);
        Assert.Equal("""{"extra":{"n":1}}""", ((JsonObject)second[2]!).ToJsonString());
    }

    [Theory]
    [InlineData("[1]")]
    [InlineData("\"text\"")]
    [InlineData("not json")]
    [InlineData("")]
    public void KwargsThatAreNotAJsonObjectAreABindingFailure(string kwargs)
    {
        Assert.Throws<ArgumentBindingException>(() => Bind((WindowInfo w) => { }, kwargs));
    }

    [Fact]
    public void ArgumentNamesAreCaseSensitive()
    {
        Assert.Equal("Missing required argument \"count\".", BindFails((WindowInfo w, int count) => { }, """{"Count":1}"""));
    }

    private static void OptionalHandler(
        WindowInfo w, int count = 5, string text = "hello", int? maybe = null, NotifyLevel level = NotifyLevel.Danger, int zero = default, decimal price = 2.5m)
    {
        _ = (w, count, text, maybe, level, zero, price);
    }

    public sealed record Order(int Id, IReadOnlyList<OrderLine> Lines, Customer? Customer);

    public sealed record OrderLine(string Sku, int Quantity);

    public sealed record Customer(string Name);

    public sealed class Clock;

    public sealed class ExplicitService;
}
