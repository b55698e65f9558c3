namespace Switchboard.ChaosTests;

/// <summary>The chaos page's cursor: what it asks the server to replay, and where it continues when the server cannot.</summary>
public sealed class TopicCursorTests
{
    [Fact]
    public void AMissingPositionIsAGapUntilItsReplayComes()
    {
        var cursor = new TopicCursor(new Pos(5, "e1"));
        cursor.Deliver(new Pos(6, "e1"));
        cursor.Deliver(new Pos(8, "e1"));
        Assert.True(cursor.HasGap);
        Assert.Equal(new Pos(6, "e1"), cursor.Last);

        cursor.Deliver(new Pos(7, "e1"));

        Assert.False(cursor.HasGap);
        Assert.Equal(new Pos(8, "e1"), cursor.Last);
    }

    [Fact]
    public void JumpContinuesFromTheNewEpochAndIgnoresTheOldOne()
    {
        var cursor = new TopicCursor(new Pos(5, "e1"));
        cursor.Deliver(new Pos(2, "e2"));
        cursor.Deliver(new Pos(3, "e2"));
        Assert.True(cursor.HasGap);

        Assert.Equal(new Pos(3, "e2"), cursor.Jump());
        cursor.Deliver(new Pos(6, "e1"));

        Assert.False(cursor.HasGap);
        Assert.Equal(new Pos(3, "e2"), cursor.Last);
    }
}
