using Switchboard.Internal.Registry;

namespace Switchboard.Tests.Registry;

/// <summary>
/// <c>[Signal]</c> and <c>[Function]</c> without a name take <c>Type.Method</c> from their method (issue 16: DjangoFloor
/// names a signal after its function); a shared default fails the start naming both methods.
/// </summary>
public sealed class DefaultSignalNameTests
{
    [Fact]
    public void AnUnnamedSignalIsNamedTypeDotMethodWithoutAsync()
    {
        var assembly = EmittedHandlers.Build(
            new EmittedMethod("PostAsync", [typeof(WindowInfo)], EmittedHandlers.Unnamed<SignalAttribute>()),
            new EmittedMethod("Async", [typeof(WindowInfo)], EmittedHandlers.Unnamed<SignalAttribute>()),
            new EmittedMethod("Add", [typeof(WindowInfo)], EmittedHandlers.Unnamed<FunctionAttribute>()));
        var registrations = new SignalRegistrations();
        registrations.AddAssembly(assembly);

        var registry = TestRegistry.Build(registrations);

        var type = assembly.GetTypes().Single().Name;
        Assert.Single(registry.GetHandlers(type + ".Post"));
        Assert.Single(registry.GetHandlers(type + ".Async"));
        Assert.NotNull(registry.GetFunction(type + ".Add"));
    }

    [Fact]
    public void NestedAndGenericTypesNameTheirOuterTypesWithoutArity()
    {
        Assert.Equal("DefaultSignalNameTests.Outer.Inner.Run",
            DefaultSignalNames.For(typeof(Outer.Inner<int>).GetMethod(nameof(Outer.Inner<int>.RunAsync))!));
    }

    [Fact]
    public void TwoOverloadsWhoseDefaultsMeetFailTheStartNamingBoth()
    {
        var assembly = EmittedHandlers.Build(
            new EmittedMethod("Post", [typeof(WindowInfo)], EmittedHandlers.Unnamed<SignalAttribute>()),
            new EmittedMethod("Post", [typeof(WindowInfo), typeof(string)], EmittedHandlers.Unnamed<SignalAttribute>()));
        var registrations = new SignalRegistrations();
        registrations.AddAssembly(assembly);

        var message = TestRegistry.BuildFails(registrations);

        var type = assembly.GetTypes().Single().FullName;
        Assert.Contains($"'{assembly.GetTypes().Single().Name}.Post'", message, StringComparison.Ordinal);
        Assert.Contains($"{type}.Post and {type}.Post", message, StringComparison.Ordinal);
    }

    [Fact]
    public void ADefaultNameAlsoGivenToAnotherHandlerFailsTheStart()
    {
        var assembly = EmittedHandlers.Build(new EmittedMethod("Post", [typeof(WindowInfo)], EmittedHandlers.Unnamed<SignalAttribute>()));
        var registrations = new SignalRegistrations();
        registrations.AddAssembly(assembly);
        registrations.AddDelegate(assembly.GetTypes().Single().Name + ".Post", (WindowInfo w) => { });

        var message = TestRegistry.BuildFails(registrations);

        Assert.Contains("MapSignal(", message, StringComparison.Ordinal);
        Assert.Contains("takes from its method name", message, StringComparison.Ordinal);
    }

    [Fact]
    public void ExplicitNamesMayStillBeSharedByHandlersOfOneSignal()
    {
        var assembly = EmittedHandlers.Build(
            new EmittedMethod("A", [typeof(WindowInfo)], EmittedHandlers.Signal("tests.shared")),
            new EmittedMethod("B", [typeof(WindowInfo)], EmittedHandlers.Signal("tests.shared")));
        var registrations = new SignalRegistrations();
        registrations.AddAssembly(assembly);

        Assert.Equal(2, TestRegistry.Build(registrations).GetHandlers("tests.shared").Count);
    }

    [Fact]
    public void ADefaultNameThatIsNotAValidSignalNameFailsTheScanSayingSo()
    {
        var assembly = EmittedHandlers.Build(new EmittedMethod("Café", [typeof(WindowInfo)], EmittedHandlers.Unnamed<SignalAttribute>()));

        var e = Assert.Throws<InvalidOperationException>(() => new SignalRegistrations().AddAssembly(assembly));

        Assert.Contains(".Café'", e.Message, StringComparison.Ordinal);
        Assert.Contains("[Signal(\"...\")]", e.Message, StringComparison.Ordinal);
    }

    private static class Outer
    {
        public static class Inner<T>
        {
            public static Task RunAsync(WindowInfo window) => Task.CompletedTask;
        }
    }
}
