namespace Switchboard.Demo;

/// <summary>A tenant as a topic value: what a custom <see cref="ITopicSerializer"/> maps to a key of its own.</summary>
public sealed record DemoTenant(string Id);
