namespace Switchboard.FunctionalTests.Infrastructure;

/// <summary>Reads the presence change signal as the demo page does.</summary>
internal static class PresenceFrames
{
    /// <summary>The distinct user names of a presence signal's opts, anonymous windows as <c>anonymous</c>, sorted, joined by <c>, </c>.</summary>
    public static string Members(JsonElement opts)
    {
        var names = opts.GetProperty("users").EnumerateArray().Select(u => u.GetProperty("name").GetString()!).ToList();
        if (opts.GetProperty("anonymous").GetInt32() > 0)
        {
            names.Add("anonymous");
        }
        names.Sort(StringComparer.Ordinal);
        return string.Join(", ", names);
    }

    /// <summary>Waits for a presence signal of <paramref name="topic"/> listing exactly <paramref name="members"/>.</summary>
    public static Task<JsonElement> PresenceAsync(this TestWindow window, string topic, string members) =>
        window.NextSignalAsync(PresenceOptions.DefaultSignal, o => o.GetProperty("topic").GetString() == topic && Members(o) == members);
}
