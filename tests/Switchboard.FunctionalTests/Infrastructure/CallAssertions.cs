namespace Switchboard.FunctionalTests.Infrastructure;

/// <summary>
/// xUnit assertions on a call's answer — a <see cref="CallResult"/>, or the frame itself when a test sent the call as raw
/// text — with the frame in the failure message.
/// </summary>
internal static class CallAssertions
{
    /// <summary>Asserts the call was accepted and returns its job count.</summary>
    public static int AssertAccepted(this CallResult result)
    {
        Assert.True(result.Accepted, "Expected accepted, got " + result);
        return result.Jobs;
    }

    /// <summary>Asserts the frame is <c>accepted</c> and returns its job count.</summary>
    public static int AssertAccepted(this JsonElement frame)
    {
        Assert.True(frame.Type() == "accepted", "Expected accepted, got " + frame.GetRawText());
        return frame.GetProperty("jobs").GetInt32();
    }

    /// <summary>Asserts the call was refused with <paramref name="code"/> and returns its message.</summary>
    public static string AssertRefused(this CallResult result, string code)
    {
        Assert.True(!result.Accepted && result.Code == code, $"Expected refused {code}, got {result}");
        return result.Message!;
    }
}
