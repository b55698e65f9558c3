namespace Switchboard.Tests.Architecture.Fixture.Connections;

/// <summary>The target of the fixture's forbidden reference.</summary>
internal sealed class Connection;
