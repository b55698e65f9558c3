using System.Reflection;
using NetArchTest.Rules;
using Switchboard.Internal.Calls;

namespace Switchboard.Tests.Architecture;

/// <summary>
/// The dependency rule of docs/ARCHITECTURE.md, checked on the compiled IL (every type reference, not only usings):
/// an internal role may use only the roles of lower layers; roles of one layer never use each other.
/// </summary>
public sealed class DependencyRuleTests
{
    /// <summary>The internal roles, lowest layer first. Connections and workers share a layer: neither uses the other.</summary>
    public static readonly string[][] Layers =
    [
        ["Protocol", "Diagnostics"],
        ["Windows", "InMemory"],
        ["Registry"],
        ["Calls"],
        ["Presence", "Operations", "TypeScript"],
        ["Connections", "Workers"],
        ["Health", "Dashboard"],
        ["Hosting"],
    ];

    private static readonly Assembly Core = typeof(ISignals).Assembly;

    public static TheoryData<string> Roles() => [.. Layers.SelectMany(layer => layer)];

    [Theory]
    [MemberData(nameof(Roles))]
    public void RoleUsesOnlyLowerLayers(string role)
    {
        var forbidden = ForbiddenFor(role);

        var failing = Violations(Core, "Switchboard.Internal." + role, forbidden.Select(r => "Switchboard.Internal." + r));

        Assert.True(failing.Count == 0,
            $"Switchboard.Internal.{role} may not use {string.Join(", ", forbidden)}; these types do: {string.Join(", ", failing)}");
    }

    [Fact]
    public void EveryInternalNamespaceIsARoleOfSomeLayer()
    {
        var roles = Layers.SelectMany(layer => layer).Select(r => "Switchboard.Internal." + r).ToHashSet();
        var unplaced = Core.GetTypes()
            .Select(t => t.Namespace)
            .Where(ns => ns is not null && ns.StartsWith("Switchboard.Internal", StringComparison.Ordinal))
            .Where(ns => !roles.Any(r => ns == r || ns!.StartsWith(r + ".", StringComparison.Ordinal)))
            .Distinct()
            .ToList();

        Assert.True(unplaced.Count == 0, "place these namespaces in DependencyRuleTests.Layers: " + string.Join(", ", unplaced));
        Assert.All(roles, role => Assert.Contains(Core.GetTypes(), t => t.Namespace == role));
    }

    [Fact]
    public void OnlyTestProjectsSeeTheInternals()
    {
        // Backends (Switchboard.Redis) build on the public seams: the compiler enforces it as long as no
        // InternalsVisibleTo names them. The one other friend is the testing package, which ships with the core in the
        // same version and drives its dispatcher and job executor as a connection and a worker do (docs/choices.md).
        var friends = Core.GetCustomAttributes<System.Runtime.CompilerServices.InternalsVisibleToAttribute>().Select(a => a.AssemblyName).ToList();

        Assert.All(friends, name => Assert.True(name.EndsWith("Tests", StringComparison.Ordinal) || name == "Switchboard.Testing", name));
        Assert.DoesNotContain("Switchboard.Redis", friends);
    }

    [Fact]
    public void CallsReachLocalWindowsThroughThePortOnly()
    {
        // The publisher knows the port, never the connections that implement it.
        Assert.True(typeof(ILocalWindowDelivery).IsInterface);
        Assert.Contains(typeof(TopicPublisher).GetConstructors().Single().GetParameters(), p => p.ParameterType == typeof(ILocalWindowDelivery));
    }

    [Fact]
    public void TheCheckSeesAForbiddenReference()
    {
        // A rule that reads nothing would pass on any code: the fixture below breaks it on purpose.
        var failing = Violations(typeof(DependencyRuleTests).Assembly, typeof(Fixture.Calls.UsesConnections).Namespace!,
            [typeof(Fixture.Connections.Connection).Namespace!]);

        Assert.Equal([typeof(Fixture.Calls.UsesConnections).FullName!], failing);
    }

    private static string[] ForbiddenFor(string role)
    {
        var layer = Array.FindIndex(Layers, l => l.Contains(role));
        return [.. Layers.Skip(layer).SelectMany(l => l).Where(r => r != role)];
    }

    private static List<string> Violations(Assembly assembly, string ns, IEnumerable<string> forbidden) =>
        [.. (Types.InAssembly(assembly).That().ResideInNamespace(ns).ShouldNot().HaveDependencyOnAny([.. forbidden]).GetResult()
            .FailingTypes ?? []).Select(t => t.FullName)];
}
