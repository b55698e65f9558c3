namespace Switchboard.FunctionalTests.Infrastructure;

/// <summary>
/// The parts of what one connection received around <c>hello</c> (protocol.md §7: a resumed connect replays before it);
/// topic ids, positions and resumes are the test client's (<see cref="TestWindow.TopicId"/>, <see cref="TestWindow.Positions"/>,
/// <see cref="FrameExtensions.Pos"/>, <see cref="TestWindow.ResumeAsync"/>).
/// </summary>
internal static class Positions
{
    /// <summary>The frames of <paramref name="received"/> before <c>hello</c> (what a resumed connect replayed).</summary>
    public static List<JsonElement> BeforeHello(IReadOnlyList<JsonElement> received) =>
        [.. received.TakeWhile(f => f.Type() != "hello")];

    /// <summary>The frames of <paramref name="received"/> after <c>hello</c>.</summary>
    public static List<JsonElement> AfterHello(IReadOnlyList<JsonElement> received) =>
        [.. received.SkipWhile(f => f.Type() != "hello").Skip(1)];
}
