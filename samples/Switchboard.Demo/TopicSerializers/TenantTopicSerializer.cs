namespace Switchboard.Demo;

/// <summary>
/// A serializer that adds one kind of value and renames nothing: a <see cref="DemoTenant"/> is <c>-tenant.{id}</c>,
/// everything else is what <see cref="DefaultTopicSerializer"/> makes (docs/choices.md, "Replacing the serializer").
/// </summary>
public sealed class TenantTopicSerializer : DefaultTopicSerializer
{
    /// <inheritdoc />
    public override string? Serialize(WindowInfo? window, object topic) =>
        topic is DemoTenant tenant ? "-tenant." + tenant.Id : base.Serialize(window, topic);
}
