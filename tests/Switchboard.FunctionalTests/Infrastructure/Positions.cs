namespace Switchboard.FunctionalTests.Infrastructure;

/// <summary>
/// Positions over a list of frames (protocol.md §7), for tests that look at what one connection received as a whole;
/// topic ids, <c>pos</c> members and live resumes are the test client's (<see cref="TestWindow.TopicId"/>,
/// <see cref="FrameExtensions.Pos"/>, <see cref="TestWindow.ResumeAsync"/>).
/// </summary>
internal static class Positions
{
    /// <summary>
    /// The last position of each topic a client would keep from the frames a window received: <c>hello.pos</c>, then
    /// every <c>signal.pos</c> entry of the window's topics (any frame with <c>pos</c>, replays before hello included).
    /// </summary>
    public static Dictionary<string, Pos> LastPositions(IReadOnlyList<JsonElement> received)
    {
        var last = new Dictionary<string, Pos>(StringComparer.Ordinal);
        var hello = received.First(f => f.Type() == "hello");
        foreach (var (id, p) in hello.Pos())
        {
            last[id] = p;
        }
        foreach (var frame in received.Skip(received.ToList().IndexOf(hello) + 1))
        {
            foreach (var (id, p) in frame.Pos())
            {
                if (last.TryGetValue(id, out var current) && (current.Epoch != p.Epoch || p.Seq > current.Seq))
                {
                    last[id] = p;
                }
            }
        }
        return last;
    }

    /// <summary>The frames of <paramref name="received"/> before <c>hello</c> (what a resumed connect replayed).</summary>
    public static List<JsonElement> BeforeHello(IReadOnlyList<JsonElement> received) =>
        [.. received.TakeWhile(f => f.Type() != "hello")];

    /// <summary>The frames of <paramref name="received"/> after <c>hello</c>.</summary>
    public static List<JsonElement> AfterHello(IReadOnlyList<JsonElement> received) =>
        [.. received.SkipWhile(f => f.Type() != "hello").Skip(1)];
}
