namespace Switchboard.ChaosTests;

/// <summary>The per-connection rules the chaos test checks on the server's output fail where they should.</summary>
public sealed class ConnectionCheckTests
{
    private const string E1 = "e1";
    private const string E2 = "e2";

    [Fact]
    public void InOrderLiveFramesAndAConsecutiveReplayPass()
    {
        var check = new ConnectionCheck(1, new Pos(3, E1));
        Assert.Equal(Via.ConnectReplay, check.Frame(new Pos(4, E1)));
        Assert.Equal(Via.ConnectReplay, check.Frame(new Pos(5, E1)));
        check.Hello(new Pos(5, E1), recovered: true);
        Assert.Equal(Via.Live, check.Frame(new Pos(6, E1)));
        Assert.Equal(Via.Live, check.Frame(new Pos(8, E1)));
        Assert.Empty(check.Problems);
    }

    [Fact]
    public void LiveFrameAtOrBelowWhatTheConnectionHadIsAProblemUnlessAResumeAskedForIt()
    {
        var check = new ConnectionCheck(1, resumeFrom: null);
        check.Hello(new Pos(10, E1), recovered: null);
        check.Frame(new Pos(12, E1));
        check.Frame(new Pos(10, E1));
        Assert.Single(check.Problems);

        check.Asked(new Pos(10, E1));
        Assert.Equal(Via.ResumeReplay, check.Frame(new Pos(11, E1)));
        Assert.Equal(Via.ResumeReplay, check.Frame(new Pos(12, E1)));
        Assert.Single(check.Problems);
    }

    [Fact]
    public void ALiveCopyOfWhatHelloAlreadyCountedMayFollowHelloUntilSomethingNewerCame()
    {
        var check = new ConnectionCheck(1, resumeFrom: null);
        check.Hello(new Pos(10, E1), recovered: null);
        Assert.Equal(Via.Live, check.Frame(new Pos(10, E1)));
        Assert.Equal(Via.Live, check.Frame(new Pos(11, E1)));
        Assert.Empty(check.Problems);
        check.Frame(new Pos(10, E1));
        Assert.Single(check.Problems);
    }

    [Fact]
    public void ALiveRepeatOfTheConnectReplayIsADuplicateAcrossTheReconnect()
    {
        var check = new ConnectionCheck(1, new Pos(3, E1));
        check.Frame(new Pos(4, E1));
        check.Hello(new Pos(4, E1), recovered: true);
        Assert.Equal(Via.Live, check.Frame(new Pos(4, E1)));
        Assert.Empty(check.Problems);
        check.Frame(new Pos(3, E1));
        Assert.Single(check.Problems);
    }

    [Fact]
    public void ReplayThatSkipsOrDoesNotEndAtHelloIsAProblem()
    {
        var skipping = new ConnectionCheck(1, new Pos(3, E1));
        skipping.Frame(new Pos(4, E1));
        skipping.Frame(new Pos(6, E1));
        skipping.Hello(new Pos(6, E1), recovered: true);
        Assert.Contains(skipping.Problems, p => p.Contains("went from", StringComparison.Ordinal));

        var late = new ConnectionCheck(2, new Pos(3, E1));
        late.Frame(new Pos(5, E1));
        late.Hello(new Pos(7, E1), recovered: true);
        Assert.Equal(2, late.Problems.Count); // starts after 4, and hello is past the replay

        var unasked = new ConnectionCheck(3, resumeFrom: null);
        unasked.Frame(new Pos(1, E1));
        unasked.Hello(new Pos(1, E1), recovered: null);
        Assert.Single(unasked.Problems);
    }

    [Fact]
    public void AnEpochNeverComesBack()
    {
        var check = new ConnectionCheck(1, resumeFrom: null);
        check.Hello(new Pos(10, E1), recovered: null);
        check.Frame(new Pos(1, E2));
        Assert.Empty(check.Problems);
        check.Frame(new Pos(11, E1));
        Assert.Contains(check.Problems, p => p.Contains("newer epoch", StringComparison.Ordinal));
    }
}
