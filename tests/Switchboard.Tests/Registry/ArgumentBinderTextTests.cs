using System.Text.Json;
using System.Text.Json.Nodes;
using Switchboard.Internal.Registry;

namespace Switchboard.Tests.Registry;

/// <summary>
/// Binding reads the kwargs text without a DOM: what the browser may send as it likes (escaped names, white space)
/// binds, and errors keep their order and wording (parameters first, in order, then extra arguments).
/// </summary>
public sealed class ArgumentBinderTextTests
{
    private static readonly WindowInfo Window = new() { WindowKey = "w1" };

    private static object?[] Bind(Delegate handler, string kwargs) =>
        ArgumentBinder.Bind(TestRegistry.Describe(handler), Window, kwargs, services: null, default);

    private static string BindFails(Delegate handler, string kwargs) =>
        Assert.Throws<ArgumentBindingException>(() => Bind(handler, kwargs)).Message;

    [Fact]
    public void EscapedNamesAndWhiteSpaceBind()
    {
        var args = Bind((WindowInfo w, string name, int[] counts) => { }, "{ \"n\\u0061me\" :\n \"\\u00e9\" , \"counts\" : [ 1 , 2 ] }");

        Assert.Equal("é", args[1]);
        Assert.Equal([1, 2], (int[])args[2]!);
    }

    [Fact]
    public void ErrorsComeInParameterOrderThenExtraArguments()
    {
        var handler = (WindowInfo w, int a, int b) => { };

        Assert.Equal("Missing required argument \"a\".", BindFails(handler, """{"zzz":1,"b":"x"}"""));
        Assert.Equal("Invalid value \"x\" for argument \"b\" (Int32).", BindFails(handler, """{"zzz":1,"b":"x","a":1}"""));
        Assert.StartsWith("Invalid argument \"zzz\":", BindFails(handler, """{"a":1,"zzz":1,"b":2,"yyy":3}"""), StringComparison.Ordinal);
    }

    [Fact]
    public void UnconvertibleValueIsShownCompactAsAJsonNodeWouldWriteIt()
    {
        const string value = "[ 1 ,\n \"é\" , {\"k\" : null} ]";

        var message = BindFails((WindowInfo w, int a) => { }, "{\"a\": " + value + "}");

        Assert.Equal($"Invalid value {JsonNode.Parse(value)!.ToJsonString()} for argument \"a\" (Int32).", message);
    }

    [Fact]
    public void ArgumentGivenTwiceIsABindingFailure()
    {
        Assert.Contains("\"a\" is given twice", BindFails((WindowInfo w, int a) => { }, """{"a":1,"\u0061":2}"""), StringComparison.Ordinal);
        Assert.Contains("\"x\" is given twice", BindFails((WindowInfo w, [CatchAll] JsonObject rest) => { }, """{"x":1,"x":2}"""), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"a":1""")]
    [InlineData("""{"a":1} {}""")]
    [InlineData("""{"a":1,}""")]
    public void TextThatIsNotJsonGetsTheParsersMessage(string kwargs)
    {
        var expected = Assert.ThrowsAny<JsonException>(() => JsonNode.Parse(kwargs)).Message;

        Assert.Equal($"kwargs are not valid JSON: {expected}", BindFails((WindowInfo w, int a) => { }, kwargs));
    }

    [Fact]
    public void HandlersOfOneCallEachGetTheirOwnValues()
    {
        const string kwargs = """{"data":{"n":1},"list":[1]}""";
        var first = TestRegistry.Describe((WindowInfo w, JsonObject data, List<int> list) => { });
        var second = TestRegistry.Describe((WindowInfo w, JsonObject data, [CatchAll] JsonObject rest) => { });

        var a = ArgumentBinder.Bind(first, Window, kwargs, null, default);
        ((JsonObject)a[1]!)["n"] = 99;
        ((List<int>)a[2]!).Add(2);
        var b = ArgumentBinder.Bind(second, Window, kwargs, null, default);

        Assert.Equal("""{"n":1}""", ((JsonObject)b[1]!).ToJsonString());
        Assert.Equal("""{"list":[1]}""", ((JsonObject)b[2]!).ToJsonString());
        Assert.NotSame(a[1], b[1]);
    }

    [Fact]
    public void HandlerWithoutServicesNeedsNoScope()
    {
        Assert.False(TestRegistry.Describe((WindowInfo w, int a) => { }).NeedsScope);
        Assert.True(TestRegistry.Describe((WindowInfo w, IServiceProvider sp) => { }).NeedsScope);
    }
}
