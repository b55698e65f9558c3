namespace Switchboard.FunctionalTests.Infrastructure;

/// <summary>Reads protocol frames (docs/protocol.md) received as JSON.</summary>
internal static class FrameExtensions
{
    public static string? Type(this JsonElement frame) => frame.Str("type");

    public static string? Str(this JsonElement frame, string property) =>
        frame.ValueKind == JsonValueKind.Object && frame.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    public static long? Id(this JsonElement frame) =>
        frame.ValueKind == JsonValueKind.Object && frame.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.Number ? id.GetInt64() : null;

    public static JsonElement Opts(this JsonElement frame) => frame.GetProperty("opts");

    public static bool IsSignal(this JsonElement frame, string signal) => frame.Type() == "signal" && frame.Str("signal") == signal;

    public static bool IsError(this JsonElement frame, string code) => frame.Type() == "error" && frame.Str("code") == code;

    /// <summary>Asserts the frame is <c>accepted</c> and returns its job count.</summary>
    public static int AssertAccepted(this JsonElement frame)
    {
        Assert.True(frame.Type() == "accepted", "Expected accepted, got " + frame.GetRawText());
        return frame.GetProperty("jobs").GetInt32();
    }

    /// <summary>Asserts the frame is <c>refused</c> with <paramref name="code"/> and returns its message.</summary>
    public static string AssertRefused(this JsonElement frame, string code)
    {
        Assert.True(frame.Type() == "refused" && frame.Str("code") == code, $"Expected refused {code}, got {frame.GetRawText()}");
        return frame.Str("message")!;
    }
}
