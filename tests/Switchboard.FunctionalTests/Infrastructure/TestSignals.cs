namespace Switchboard.FunctionalTests.Infrastructure;

/// <summary>Handlers shared by several test classes.</summary>
internal static class TestSignals
{
    /// <summary>
    /// <c>test.send {to: [...], tag}</c>: calls <c>test.got {tag}</c> to the given destinations (<c>WINDOW</c>, <c>USER</c>,
    /// <c>BROADCAST</c> or a topic string), then <c>test.sent {tag}</c> to the calling window, so once the caller has seen
    /// <c>test.sent</c> every window that <c>test.got</c> reached has it queued.
    /// </summary>
    public static ISwitchboardBuilder MapSend(this ISwitchboardBuilder builder)
    {
        builder.MapSignal("test.send", async (WindowInfo window, ISignals signals, string[] to, string tag) =>
        {
            await signals.CallAsync(window, "test.got", to: [.. to.Select(Destinations.Parse)], kwargs: new { tag });
            await signals.CallAsync(window, "test.sent", to: [Destination.Window], kwargs: new { tag });
        }).AllowEveryone();
        return builder;
    }

    /// <summary>Calls <c>test.send</c> from <paramref name="window"/> and waits until it was fully processed.</summary>
    public static async Task SendAsync(this TestWindow window, string tag, params string[] to)
    {
        (await window.CallAsync("test.send", new { to, tag })).AssertAccepted();
        await window.NextFrameAsync(f => f.IsSignal("test.sent") && f.Opts().GetProperty("tag").GetString() == tag, "test.sent " + tag);
    }

    /// <summary>Waits for the <c>test.got</c> frame tagged <paramref name="tag"/>.</summary>
    public static Task<JsonElement> GotAsync(this TestWindow window, string tag) =>
        window.NextFrameAsync(f => IsGot(f, tag), "test.got " + tag);

    /// <summary>Proves (with a ping round trip) that no <c>test.got</c> tagged <paramref name="tag"/> reached the window.</summary>
    public static async Task AssertNotGotAsync(this TestWindow window, string tag)
    {
        await window.PingAsync();
        Assert.DoesNotContain(window.Pending, f => IsGot(f, tag));
    }

    public static bool IsGot(JsonElement frame, string tag) =>
        frame.IsSignal("test.got") && frame.Opts().GetProperty("tag").GetString() == tag;
}
