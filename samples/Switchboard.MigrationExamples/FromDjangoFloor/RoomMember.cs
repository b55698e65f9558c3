namespace Switchboard.MigrationExamples.FromDjangoFloor;

/// <summary>A DjangoFloor <c>is_allowed_to</c> callable, ported: anyone may post, but only staff to the room "staff".</summary>
public sealed class RoomMember : SignalPermission
{
    // def room_member(connection, window_info, kwargs): kwargs is None when the list of allowed signals is built
    public override ValueTask<bool> IsAllowedAsync(SignalPermissionContext context, CancellationToken cancellationToken) =>
        ValueTask.FromResult(context.Kwargs?["room"]?.ToString() != "staff" || context.Window.IsStaff);
}
