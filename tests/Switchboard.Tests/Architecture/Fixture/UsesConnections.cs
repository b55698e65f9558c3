namespace Switchboard.Tests.Architecture.Fixture.Calls;

/// <summary>Breaks the dependency rule on purpose (see DependencyRuleTests.TheCheckSeesAForbiddenReference).</summary>
internal sealed class UsesConnections
{
    public Connections.Connection? Connection { get; set; }
}
