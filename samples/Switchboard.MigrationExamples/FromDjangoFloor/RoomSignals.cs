namespace Switchboard.MigrationExamples.FromDjangoFloor;

/// <summary>The DjangoFloor <c>signals.py</c> of docs/from-djangofloor.md, ported: two signals and a remote function.</summary>
public static class RoomSignals
{
    // @signal(path='room.post', is_allowed_to=room_member)
    [Signal("room.post", IsAllowedTo = typeof(RoomMember))]
    public static Task Post(WindowInfo window, ISignals signals, string room, string text, CancellationToken cancellationToken) =>
        signals.CallAsync(window, "room.message", to: ["room:" + room],
                          kwargs: new { room, text, from = window.UserName ?? "anonymous" }, cancellationToken: cancellationToken);

    // @signal(path='room.report', is_allowed_to=everyone, queue='slow')
    [Signal("room.report", IsAllowedTo = typeof(Everyone), Queue = "slow")]
    public static async Task Report(WindowInfo window, ISignals signals, int steps = 3, CancellationToken cancellationToken = default)
    {
        for (var step = 1; step <= steps; step++)
        {
            await signals.HtmlTextAsync(window, "#progress", $"{step}/{steps}", cancellationToken: cancellationToken);
        }
        await signals.NotifyAsync(window, "Report ready", level: NotifyLevel.Success, cancellationToken: cancellationToken);
    }

    // @function(path='room.words', is_allowed_to=everyone)
    [Function("room.words", IsAllowedTo = typeof(Everyone))]
    public static int Words(WindowInfo window, string text) =>
        text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;
}
