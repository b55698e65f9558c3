using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Switchboard.Internal.Registry;
using Switchboard.Tests.Registry.Discovered;

namespace Switchboard.Tests.Registry;

/// <summary>Remote functions in the registry: discovery, MapFunction, exactly one handler, no clash with signals, return types.</summary>
public sealed class FunctionRegistryTests
{
    private static SignalRegistry Build(Action<SignalRegistrations> register)
    {
        var registrations = new SignalRegistrations();
        register(registrations);
        return TestRegistry.Build(registrations);
    }

    private static string BuildFails(Action<SignalRegistrations> register)
    {
        var registrations = new SignalRegistrations();
        register(registrations);
        return TestRegistry.BuildFails(registrations);
    }

    [Fact]
    public void FunctionAttributesAreDiscoveredWithTheirOptionsAndAreNoSignals()
    {
        var registrations = new SignalRegistrations();
        registrations.AddAssembly(typeof(DiscoveredFunctions).Assembly);
        var registry = TestRegistry.Build(registrations, s => s.AddSingleton(new DiscoveredDependency()));

        Assert.Equal(["tests.discovered.add", "tests.discovered.lookup"], registry.Functions.Order(StringComparer.Ordinal));
        Assert.DoesNotContain("tests.discovered.add", registry.Signals);
        Assert.Empty(registry.GetHandlers("tests.discovered.add"));
        var add = registry.GetFunction("tests.discovered.add")!;
        Assert.True(add.IsFunction);
        Assert.Same(add, registry.GetHandler(add.Id));
        Assert.Same(Everyone.Instance, add.Permission);
        Assert.Equal("discovered", add.FixedQueue);
        Assert.False(add.Ordered);
        Assert.Equal(TimeSpan.FromSeconds(30), add.ExpiresAfter);
        Assert.Equal(2, add.MaxAttempts);
        Assert.Equal(["a", "b"], add.KwargNames);
        var lookup = registry.GetFunction("tests.discovered.lookup")!;
        Assert.Equal("editors", Assert.IsType<PolicyPermission>(lookup.Permission).PolicyName);
        Assert.True(lookup.Ordered);
        Assert.Null(lookup.ExpiresAfter);
    }

    [Fact]
    public void MapFunctionDefaultsAreServerSideOrderedOnTheDefaultQueueWithoutExpiry()
    {
        var registry = Build(r => r.AddFunctionDelegate("tests.fn", (WindowInfo w) => 1));

        var fn = registry.GetFunction("tests.fn")!;
        Assert.Same(ServerSide.Instance, fn.Permission);
        Assert.True(fn.Ordered);
        Assert.Null(fn.ExpiresAfter);
        Assert.Equal("default", fn.FixedQueue);
        Assert.Contains("default", registry.KnownQueues);
        Assert.Null(registry.GetFunction("tests.other"));
    }

    [Fact]
    public async Task BuilderSetsPermissionQueueRetriesOrderAndExpiry()
    {
        await using var sb = await TestSupport.SwitchboardHarness.CreateAsync(b =>
        {
            b.MapFunction("tests.fn", (WindowInfo w) => 1).RequirePermission("p").OnQueue("fq").WithRetries(3).Unordered().ExpiresAfter(TimeSpan.FromSeconds(5));
            b.MapFunction("tests.selected", (WindowInfo w, string room) => room).AllowEveryone().OnQueue((name, w, kwargs) => "room-" + (string?)kwargs?["room"]);
        });

        var fn = sb.Registry.GetFunction("tests.fn")!;
        Assert.Equal("p", Assert.IsType<HasPermission>(fn.Permission).Permission);
        Assert.Equal("fq", fn.FixedQueue);
        Assert.Equal(3, fn.MaxAttempts);
        Assert.False(fn.Ordered);
        Assert.Equal(TimeSpan.FromSeconds(5), fn.ExpiresAfter);
        var selected = sb.Registry.GetFunction("tests.selected")!;
        Assert.Null(selected.FixedQueue);
        Assert.Equal("room-blue", selected.SelectQueue("tests.selected", WindowInfo.None, new JsonObject { ["room"] = "blue" }));
    }

    [Fact]
    public void MapFunctionAndItsBuilderAfterTheRegistryWasBuiltThrow()
    {
        var services = new ServiceCollection().AddLogging();
        var builder = services.AddSwitchboard();
        var early = builder.MapFunction("tests.early", (WindowInfo w) => 1);
        using var provider = services.BuildServiceProvider();
        Assert.NotNull(provider.GetRequiredService<SignalRegistry>().GetFunction("tests.early"));

        var e = Assert.Throws<InvalidOperationException>(() => builder.MapFunction("tests.late", (WindowInfo w) => 1));

        Assert.Contains("registry was already built", e.Message, StringComparison.Ordinal);
        Assert.Throws<InvalidOperationException>(() => early.AllowEveryone());
        Assert.Throws<InvalidOperationException>(() => early.Unordered());
        Assert.Throws<InvalidOperationException>(() => early.ExpiresAfter(TimeSpan.FromSeconds(1)));
    }

    [Fact]
    public void BuilderRefusesANonPositiveExpiry()
    {
        var registrations = new SignalRegistrations();
        var builder = new FunctionHandlerBuilder(registrations.AddFunctionDelegate("tests.fn", (WindowInfo w) => 1), registrations);

        Assert.Throws<ArgumentOutOfRangeException>(() => builder.ExpiresAfter(TimeSpan.Zero));
    }

    [Fact]
    public void TwoMapFunctionsOfOneNameFailStartupNamingBoth()
    {
        var message = BuildFails(r =>
        {
            r.AddFunctionDelegate("tests.fn", (WindowInfo w) => 1);
            r.AddFunctionDelegate("tests.fn", (WindowInfo w) => 2);
        });

        Assert.Contains("Function 'tests.fn' has two handlers", message, StringComparison.Ordinal);
        Assert.Contains("MapFunction(\"tests.fn\") and MapFunction(\"tests.fn\") #2", message, StringComparison.Ordinal);
        Assert.Contains("exactly one", message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnAttributeAndAMapFunctionOfOneNameFailStartupNamingBoth()
    {
        var assembly = EmittedHandlers.Build(new EmittedMethod("Fn", [typeof(WindowInfo)], EmittedHandlers.Function("tests.fn")));

        var message = BuildFails(r =>
        {
            r.AddAssembly(assembly);
            r.AddFunctionDelegate("tests.fn", (WindowInfo w) => 1);
        });

        Assert.Contains(".Fn", message, StringComparison.Ordinal);
        Assert.Contains("MapFunction(\"tests.fn\")", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void AFunctionNamedLikeASignalFailsStartupNamingBoth(bool signalFirst)
    {
        var message = BuildFails(r =>
        {
            if (signalFirst)
            {
                r.AddDelegate("tests.both", (WindowInfo w) => { });
            }
            r.AddFunctionDelegate("tests.both", (WindowInfo w) => 1);
            if (!signalFirst)
            {
                r.AddDelegate("tests.both", (WindowInfo w) => { });
            }
        });

        Assert.Contains("'tests.both' is both a function (MapFunction(\"tests.both\")) and a signal (MapSignal(\"tests.both\") #1)", message, StringComparison.Ordinal);
    }

    [Fact]
    public void SignalAndFunctionAttributesOfOneNameOnOneMethodFailStartup()
    {
        var assembly = EmittedHandlers.Build(new EmittedMethod(
            "Both", [typeof(WindowInfo)], EmittedHandlers.Signal("tests.both"), EmittedHandlers.Function("tests.both")));

        var message = BuildFails(r => r.AddAssembly(assembly));

        Assert.Contains("is both a function", message, StringComparison.Ordinal);
        Assert.Contains(".Both", message, StringComparison.Ordinal);
    }

    [Fact]
    public void OneMethodMayBeASignalAndAFunctionOfDifferentNames()
    {
        var assembly = EmittedHandlers.Build(new EmittedMethod(
            "Both", [typeof(WindowInfo)], EmittedHandlers.Signal("tests.as.signal"), EmittedHandlers.Function("tests.as.function")));

        var registry = Build(r => r.AddAssembly(assembly));

        Assert.Single(registry.GetHandlers("tests.as.signal"));
        Assert.NotNull(registry.GetFunction("tests.as.function"));
    }

    [Fact]
    public void InvalidFunctionNamesAreRefused()
    {
        var registrations = new SignalRegistrations();
        Assert.Throws<ArgumentException>(() => registrations.AddFunctionDelegate("not a name", (WindowInfo w) => 1));

        var assembly = EmittedHandlers.Build(new EmittedMethod("Bad", [typeof(WindowInfo)], EmittedHandlers.Function("demo..x")));
        var e = Assert.Throws<InvalidOperationException>(() => new SignalRegistrations().AddAssembly(assembly));
        Assert.Contains("[Function(\"demo..x\")]", e.Message, StringComparison.Ordinal);
        Assert.Contains(".Bad", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NegativeExpiryInTheAttributeFailsTheScan()
    {
        var assembly = EmittedHandlers.Build(new EmittedMethod("Neg", [typeof(WindowInfo)], EmittedHandlers.Function("tests.neg", ("ExpiresAfterSeconds", -1.0))));

        var e = Assert.Throws<InvalidOperationException>(() => new SignalRegistrations().AddAssembly(assembly));

        Assert.Contains("ExpiresAfterSeconds", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FunctionWithoutWindowInfoFailsStartupAsAFunction()
    {
        var message = BuildFails(r => r.AddFunctionDelegate("tests.fn", (int a) => a));

        Assert.Contains("Function 'tests.fn': handler MapFunction(\"tests.fn\") must take a WindowInfo", message, StringComparison.Ordinal);
    }

    public static TheoryData<Delegate, string, Type?> AcceptedReturns() => new()
    {
        { (WindowInfo w) => 1, "Value", typeof(int) },
        { (WindowInfo w) => "s", "Value", typeof(string) },
        { (WindowInfo w) => Task.FromResult(1), "TaskOfT", typeof(int) },
        { (WindowInfo w) => ValueTask.FromResult(new JsonObject()), "ValueTaskOfT", typeof(JsonObject) },
        { (WindowInfo w) => { }, "Nothing", null },
        { (WindowInfo w) => Task.CompletedTask, "Task", null },
        { (WindowInfo w) => ValueTask.CompletedTask, "ValueTask", null },
        { (WindowInfo w) => (object?)null, "Value", typeof(object) },
    };

    [Theory]
    [MemberData(nameof(AcceptedReturns))]
    public void FunctionsMayReturnAValueATaskOfOneOrNothing(Delegate handler, string kind, Type? valueType)
    {
        var registry = Build(r => r.AddFunctionDelegate("tests.fn", handler));

        var returns = registry.GetFunction("tests.fn")!.Returns;
        Assert.Equal(kind, returns.Kind.ToString());
        Assert.Equal(valueType, returns.ValueType);
    }

    public static TheoryData<Delegate, string> RefusedReturns() => new()
    {
        { (WindowInfo w) => Task.FromResult(Task.FromResult(1)), "a task of a task" },
        { (WindowInfo w) => ValueTask.FromResult(Task.CompletedTask), "a task of a task" },
        { (WindowInfo w) => Numbers(), "IAsyncEnumerable" },
        { (WindowInfo w) => (Func<int>)(() => 1), "delegate" },
    };

    [Theory]
    [MemberData(nameof(RefusedReturns))]
    public void FunctionsMayNotReturnTasksOfTasksStreamsOrDelegates(Delegate handler, string why)
    {
        var message = BuildFails(r => r.AddFunctionDelegate("tests.fn", handler));

        Assert.Contains("Function 'tests.fn': handler MapFunction(\"tests.fn\") returns", message, StringComparison.Ordinal);
        Assert.Contains(why, message, StringComparison.Ordinal);
    }

    [Fact]
    public void SignalHandlersMayStillReturnAnything()
    {
        var registry = Build(r => r.AddDelegate("tests.sig", (WindowInfo w) => Numbers()));

        Assert.Single(registry.GetHandlers("tests.sig"));
    }

    [Fact]
    public void FunctionParametersBindAsForSignals()
    {
        var registry = Build(r => r.AddFunctionDelegate("tests.fn", (WindowInfo w, int a, string? b, CancellationToken ct, [CatchAll] JsonObject rest) => a));

        var fn = registry.GetFunction("tests.fn")!;
        var args = ArgumentBinder.Bind(fn, WindowInfo.None, """{"a":"2","b":null,"c":true}""", null, default);

        Assert.Equal(2, args[1]);
        Assert.Null(args[2]);
        Assert.Equal("""{"c":true}""", ((JsonObject)args[4]!).ToJsonString());
        var e = Assert.Throws<ArgumentBindingException>(() => ArgumentBinder.Bind(fn, WindowInfo.None, """{"a":"x"}""", null, default));
        Assert.Contains("\"a\"", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AsyncTaskFunctionsAreAwaitedAndGiveTheirValue()
    {
        var registry = Build(r =>
        {
            r.AddFunctionDelegate("tests.task", async (WindowInfo w) => { await Task.Yield(); return 5; });
            r.AddFunctionDelegate("tests.vtask", async ValueTask<string> (WindowInfo w) => { await Task.Yield(); return "v"; });
            r.AddFunctionDelegate("tests.plain", async Task (WindowInfo w) => await Task.Yield());
        });

        Assert.Equal(5, await HandlerInvoker.InvokeFunctionAsync(registry.GetFunction("tests.task")!, [WindowInfo.None], null));
        Assert.Equal("v", await HandlerInvoker.InvokeFunctionAsync(registry.GetFunction("tests.vtask")!, [WindowInfo.None], null));
        // An async Task method's task is a Task<VoidTaskResult> at run time: its "value" must not leak out.
        Assert.Null(await HandlerInvoker.InvokeFunctionAsync(registry.GetFunction("tests.plain")!, [WindowInfo.None], null));
    }

    private static async IAsyncEnumerable<int> Numbers()
    {
        await Task.Yield();
        yield return 1;
    }
}
