using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Switchboard.Internal.Registry;
using Switchboard.Tests.Registry.Discovered;

namespace Switchboard.Tests.Registry;

public sealed class SignalRegistryTests
{
    private static SignalRegistry Discover(DiscoveredDependency? dependency = null) =>
        TestRegistry.Build(Scan(), s => s.AddSingleton(dependency ?? new DiscoveredDependency()));

    private static SignalRegistrations Scan()
    {
        var registrations = new SignalRegistrations();
        registrations.AddAssembly(typeof(DiscoveredSignals).Assembly);
        return registrations;
    }

    [Fact]
    public void SignalMethodsAreDiscoveredFromTheAssembly()
    {
        var registry = Discover();

        Assert.Equal(
            ["tests.discovered.alias", "tests.discovered.everyone", "tests.discovered.instance", "tests.discovered.permission", "tests.discovered.policy"],
            registry.Signals.Order(StringComparer.Ordinal));
        var handler = Assert.Single(registry.GetHandlers("tests.discovered.everyone"));
        Assert.Equal("tests.discovered.everyone@Switchboard.Tests.Registry.Discovered.DiscoveredSignals.ForEveryone", handler.Id);
        Assert.Same(handler, registry.GetHandler(handler.Id));
        Assert.Equal(["text"], handler.KwargNames);
    }

    [Fact]
    public void MethodWithTwoSignalAttributesHandlesBothSignals()
    {
        var registry = Discover();

        var permission = Assert.Single(registry.GetHandlers("tests.discovered.permission"));
        var alias = Assert.Single(registry.GetHandlers("tests.discovered.alias"));

        Assert.Same(permission.Method, alias.Method);
        Assert.NotEqual(permission.Id, alias.Id);
    }

    [Fact]
    public void HandlersAreOrderedUnlessTheAttributeOrTheBuilderOptsOut()
    {
        var registry = Discover();
        var registrations = new SignalRegistrations();
        registrations.AddDelegate("tests.ordered", (WindowInfo w) => { });
        new SignalHandlerBuilder(registrations.AddDelegate("tests.unordered", (WindowInfo w) => { }), registrations).Unordered();
        var built = TestRegistry.Build(registrations);

        Assert.True(Assert.Single(registry.GetHandlers("tests.discovered.permission")).Ordered);
        Assert.False(Assert.Single(registry.GetHandlers("tests.discovered.alias")).Ordered);
        Assert.True(Assert.Single(built.GetHandlers("tests.ordered")).Ordered);
        Assert.False(Assert.Single(built.GetHandlers("tests.unordered")).Ordered);
    }

    [Fact]
    public void AttributePropertiesBecomePermissionsAndQueues()
    {
        var dependency = new DiscoveredDependency();
        var registry = Discover(dependency);

        var everyone = Assert.Single(registry.GetHandlers("tests.discovered.everyone"));
        Assert.Same(Everyone.Instance, everyone.Permission);
        Assert.Equal("discovered", everyone.SelectQueue("tests.discovered.everyone", WindowInfo.None, null));

        var permission = Assert.IsType<HasPermission>(Assert.Single(registry.GetHandlers("tests.discovered.permission")).Permission);
        Assert.Equal("orders.edit", permission.Permission);

        var policy = Assert.Single(registry.GetHandlers("tests.discovered.policy"));
        Assert.Equal("editors", Assert.IsType<PolicyPermission>(policy.Permission).PolicyName);
        Assert.Equal("room-blue", policy.SelectQueue("tests.discovered.policy", WindowInfo.None, new JsonObject { ["room"] = "blue" }));
        Assert.Equal(["room-lobby"], policy.KnownQueues);

        var instance = Assert.Single(registry.GetHandlers("tests.discovered.instance"));
        Assert.Same(dependency, Assert.IsType<PermissionFromServices>(instance.Permission).Dependency);
    }

    [Fact]
    public void HandlerWithoutPermissionIsServerSideOnDefaultQueue()
    {
        var registry = TestRegistry.Build(Scan(), s => s.AddSingleton(new DiscoveredDependency()), new SwitchboardOptions { DefaultQueue = "main" });

        var alias = Assert.Single(registry.GetHandlers("tests.discovered.alias"));

        Assert.Same(ServerSide.Instance, alias.Permission);
        Assert.Equal("main", alias.SelectQueue("tests.discovered.alias", WindowInfo.None, null));
        Assert.Contains("main", registry.KnownQueues);
        Assert.Contains("discovered", registry.KnownQueues);
    }

    [Fact]
    public void ScanningTheSameAssemblyTwiceRegistersEachHandlerOnce()
    {
        var registrations = Scan();
        registrations.AddAssembly(typeof(DiscoveredSignals).Assembly);

        var registry = TestRegistry.Build(registrations, s => s.AddSingleton(new DiscoveredDependency()));

        Assert.Single(registry.GetHandlers("tests.discovered.everyone"));
    }

    [Fact]
    public void UnknownSignalHasNoHandlers()
    {
        Assert.Empty(Discover().GetHandlers("tests.nobody"));
        Assert.Null(Discover().GetHandler("tests.nobody@X.Y"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("1abc")]
    [InlineData("a..b")]
    [InlineData("a.")]
    [InlineData(".a")]
    [InlineData("a-b")]
    [InlineData("a b")]
    [InlineData("a.1b")]
    [InlineData("abc\n")]
    [InlineData("caf\u00e9")]
    [InlineData("a.\u0661")]
    public void InvalidSignalNameIsRefusedByMapSignal(string name)
    {
        var registrations = new SignalRegistrations();

        var e = Assert.Throws<ArgumentException>(() => registrations.AddDelegate(name, (WindowInfo w) => { }));

        Assert.Contains(SignalNames.Pattern, e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("_")]
    [InlineData("a")]
    [InlineData("demo.chat.post")]
    [InlineData("A1._b.c_2")]
    public void ValidSignalNameIsAccepted(string name)
    {
        var registrations = new SignalRegistrations();
        registrations.AddDelegate(name, (WindowInfo w) => { });

        Assert.Single(TestRegistry.Build(registrations).GetHandlers(name));
    }

    [Fact]
    public void SignalNameLongerThan256CharactersIsInvalid()
    {
        Assert.True(SignalNames.IsValid(new string('a', 256)));
        Assert.False(SignalNames.IsValid(new string('a', 257)));
    }

    [Fact]
    public void InvalidNameInSignalAttributeFailsTheScanNamingTheMethod()
    {
        var assembly = EmittedHandlers.Build(new EmittedMethod("Bad", [typeof(WindowInfo)], EmittedHandlers.Signal("not a name")));
        var registrations = new SignalRegistrations();

        var e = Assert.Throws<InvalidOperationException>(() => registrations.AddAssembly(assembly));

        Assert.Contains("not a name", e.Message, StringComparison.Ordinal);
        Assert.Contains(".Bad", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SameMethodRegisteredTwiceForOneSignalFailsStartup()
    {
        var assembly = EmittedHandlers.Build(
            new EmittedMethod("Twice", [typeof(WindowInfo)], EmittedHandlers.Signal("tests.twice"), EmittedHandlers.Signal("tests.twice")));
        var registrations = new SignalRegistrations();
        registrations.AddAssembly(assembly);

        var message = TestRegistry.BuildFails(registrations);

        Assert.Contains("registered twice", message, StringComparison.Ordinal);
        Assert.Contains(".Twice", message, StringComparison.Ordinal);
    }

    [Fact]
    public void AttributeHandlerWithoutWindowInfoFailsStartupNamingIt()
    {
        var assembly = EmittedHandlers.Build(new EmittedMethod("NoWindow", [typeof(string)], EmittedHandlers.Signal("tests.nowindow")));
        var registrations = new SignalRegistrations();
        registrations.AddAssembly(assembly);

        var message = TestRegistry.BuildFails(registrations);

        Assert.Contains(".NoWindow", message, StringComparison.Ordinal);
        Assert.Contains("WindowInfo as its first parameter", message, StringComparison.Ordinal);
    }

    [Fact]
    public void IsAllowedToThatIsNotASignalPermissionFailsStartup()
    {
        var assembly = EmittedHandlers.Build(new EmittedMethod(
            "WrongPermission", [typeof(WindowInfo)], EmittedHandlers.Signal("tests.wrong", ("IsAllowedTo", typeof(string)))));
        var registrations = new SignalRegistrations();
        registrations.AddAssembly(assembly);

        var message = TestRegistry.BuildFails(registrations);

        Assert.Contains("System.String", message, StringComparison.Ordinal);
        Assert.Contains("SignalPermission", message, StringComparison.Ordinal);
    }

    [Fact]
    public void QueueSelectorThatIsNotAQueueSelectorFailsStartup()
    {
        var assembly = EmittedHandlers.Build(new EmittedMethod(
            "WrongSelector", [typeof(WindowInfo)], EmittedHandlers.Signal("tests.wrong", ("QueueSelector", typeof(string)))));
        var registrations = new SignalRegistrations();
        registrations.AddAssembly(assembly);

        Assert.Contains("IQueueSelector", TestRegistry.BuildFails(registrations), StringComparison.Ordinal);
    }

    [Fact]
    public void HandlerWithoutParametersFailsStartupNamingIt()
    {
        var registrations = new SignalRegistrations();
        registrations.AddDelegate("tests.empty", () => { });

        var message = TestRegistry.BuildFails(registrations);

        Assert.Contains("MapSignal(\"tests.empty\") #1", message, StringComparison.Ordinal);
        Assert.Contains("WindowInfo", message, StringComparison.Ordinal);
    }

    [Fact]
    public void HandlerWhoseFirstParameterIsNotWindowInfoFailsStartup()
    {
        var registrations = new SignalRegistrations();
        registrations.AddDelegate("tests.order", (string text, WindowInfo window) => { });

        Assert.Contains("WindowInfo as its first parameter", TestRegistry.BuildFails(registrations), StringComparison.Ordinal);
    }

    [Fact]
    public void ParamsArrayParameterFailsStartup()
    {
        var registrations = new SignalRegistrations();
        registrations.AddDelegate("tests.params", (WindowInfo window, params int[] values) => { });

        var message = TestRegistry.BuildFails(registrations);

        Assert.Contains("'values'", message, StringComparison.Ordinal);
        Assert.Contains("params", message, StringComparison.Ordinal);
    }

    [Fact]
    public void RefParameterFailsStartup()
    {
        var registrations = new SignalRegistrations();
        registrations.AddDelegate("tests.ref", (WindowInfo window, ref int value) => { });

        Assert.Contains("by reference", TestRegistry.BuildFails(registrations), StringComparison.Ordinal);
    }

    [Fact]
    public void OutParameterFailsStartup()
    {
        var registrations = new SignalRegistrations();
        registrations.AddDelegate("tests.out", (WindowInfo window, out int value) => value = 1);

        Assert.Contains("by reference", TestRegistry.BuildFails(registrations), StringComparison.Ordinal);
    }

    [Fact]
    public void SecondWindowInfoParameterFailsStartup()
    {
        var registrations = new SignalRegistrations();
        registrations.AddDelegate("tests.two", (WindowInfo window, WindowInfo other) => { });

        Assert.Contains("second WindowInfo", TestRegistry.BuildFails(registrations), StringComparison.Ordinal);
    }

    [Fact]
    public void CatchAllThatIsNotAJsonObjectFailsStartup()
    {
        var registrations = new SignalRegistrations();
        registrations.AddDelegate("tests.catchall", (WindowInfo window, [CatchAll] Dictionary<string, object> rest) => { });

        Assert.Contains("[CatchAll] but is not a JsonObject", TestRegistry.BuildFails(registrations), StringComparison.Ordinal);
    }

    [Fact]
    public void TwoCatchAllParametersFailStartup()
    {
        var registrations = new SignalRegistrations();
        registrations.AddDelegate("tests.catchall", (WindowInfo window, [CatchAll] JsonObject a, [CatchAll] JsonObject b) => { });

        Assert.Contains("more than one [CatchAll]", TestRegistry.BuildFails(registrations), StringComparison.Ordinal);
    }

    [Fact]
    public void HandlersOfOneSignalWithDifferentArgumentsFailStartupNamingBoth()
    {
        var registrations = new SignalRegistrations();
        registrations.AddDelegate("tests.mismatch", (WindowInfo window, string room) => { });
        registrations.AddDelegate("tests.mismatch", (WindowInfo window, string room, int count) => { });

        var message = TestRegistry.BuildFails(registrations);

        Assert.Contains("MapSignal(\"tests.mismatch\") #1(room)", message, StringComparison.Ordinal);
        Assert.Contains("MapSignal(\"tests.mismatch\") #2(room, count)", message, StringComparison.Ordinal);
        Assert.Contains("[CatchAll]", message, StringComparison.Ordinal);
    }

    [Fact]
    public void MismatchMessageNamesOnlyTheHandlersThatNeedACatchAll()
    {
        var registrations = new SignalRegistrations();
        registrations.AddDelegate("tests.mismatch", (WindowInfo window, string room) => { });
        registrations.AddDelegate("tests.mismatch", (WindowInfo window, string room, int count, [CatchAll] JsonObject rest) => { });

        var message = TestRegistry.BuildFails(registrations);

        Assert.EndsWith("add a [CatchAll] JsonObject parameter to MapSignal(\"tests.mismatch\") #1.", message, StringComparison.Ordinal);
    }

    [Fact]
    public void CatchAllOnTheHandlerWithFewerArgumentsFixesTheMismatch()
    {
        var registrations = new SignalRegistrations();
        registrations.AddDelegate("tests.mismatch", (WindowInfo window, string room, [CatchAll] JsonObject rest) => { });
        registrations.AddDelegate("tests.mismatch", (WindowInfo window, string room, int count) => { });

        var handlers = TestRegistry.Build(registrations).GetHandlers("tests.mismatch");

        Assert.Equal(2, handlers.Count);
        Assert.True(handlers[0].HasCatchAll);
    }

    [Fact]
    public void HandlersWithTheSameArgumentsInAnotherOrderAreCompatible()
    {
        var registrations = new SignalRegistrations();
        registrations.AddDelegate("tests.same", (WindowInfo window, string room, int count) => { });
        registrations.AddDelegate("tests.same", (WindowInfo window, int count, CancellationToken ct, string room) => { });

        Assert.Equal(2, TestRegistry.Build(registrations).GetHandlers("tests.same").Count);
    }

    [Fact]
    public void ServicesAndCancellationTokenAreNotArguments()
    {
        var handler = TestRegistry.Describe(
            (WindowInfo window, ISignalTopic service, CancellationToken ct, string text) => { },
            s => s.AddSingleton<ISignalTopic>(new TopicStub()));

        Assert.Equal(["text"], handler.KwargNames);
        Assert.Equal(ParameterKind.Service, handler.Parameters[1].Kind);
        Assert.Equal(ParameterKind.CancellationToken, handler.Parameters[2].Kind);
    }

    [Fact]
    public void PlainDataTypesRegisteredAsServicesStayArguments()
    {
        var handler = TestRegistry.Describe((WindowInfo window, string text, int count) => { }, s => s.AddSingleton("a string service"));

        Assert.Equal(["text", "count"], handler.KwargNames);
    }

    [Fact]
    public void MapSignalRegistrationsOfOneSignalAreNumberedInOrder()
    {
        var registrations = new SignalRegistrations();
        registrations.AddDelegate("tests.numbered", (WindowInfo w) => { });
        registrations.AddDelegate("tests.numbered", (WindowInfo w) => { });

        var handlers = TestRegistry.Build(registrations).GetHandlers("tests.numbered");

        Assert.Equal(["tests.numbered#delegate1", "tests.numbered#delegate2"], handlers.Select(h => h.Id));
        Assert.Equal(["MapSignal(\"tests.numbered\") #1", "MapSignal(\"tests.numbered\") #2"], handlers.Select(h => h.DisplayName));
    }

    private sealed class TopicStub : ISignalTopic
    {
        public string TopicKey => "stub";
    }
}
