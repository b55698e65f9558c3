namespace Switchboard.FunctionalTests;

/// <summary>USER reaches every window of the calling user, and only them.</summary>
public sealed class UserTests : IAsyncLifetime
{
    private SwitchboardHost _host = null!;

    public async Task InitializeAsync() => _host = await SwitchboardHost.StartAsync(o => o.Signals = s => s.MapSend());

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task UserReachesEveryTabOfTheUserAndNoneOfAnotherUser()
    {
        await using var alice = new TestBrowser();
        await using var bob = new TestBrowser();
        await alice.LoginAsync(_host, "alice");
        await bob.LoginAsync(_host, "bob");
        var aliceTab1 = await alice.OpenWindowAsync(_host);
        var aliceTab2 = await alice.OpenWindowAsync(_host, ["room:1"]);
        var bobTab = await bob.OpenWindowAsync(_host, ["room:1"]);

        await aliceTab1.SendAsync("u", "USER");

        await aliceTab1.GotAsync("u");
        await aliceTab2.GotAsync("u");
        await bobTab.AssertNotGotAsync("u");
    }

    [Fact]
    public async Task UserReachesTheSameUserSignedInFromAnotherBrowser()
    {
        await using var laptop = new TestBrowser();
        await using var phone = new TestBrowser();
        await laptop.LoginAsync(_host, "carol");
        await phone.LoginAsync(_host, "carol");
        var onLaptop = await laptop.OpenWindowAsync(_host);
        var onPhone = await phone.OpenWindowAsync(_host);

        await onPhone.SendAsync("u", "USER");

        await onLaptop.GotAsync("u");
        await onPhone.GotAsync("u");
    }

    [Fact]
    public async Task AnonymousUserReachesNobody()
    {
        await using var anonymous = new TestBrowser();
        await using var dave = new TestBrowser();
        await dave.LoginAsync(_host, "dave");
        var caller = await anonymous.OpenWindowAsync(_host);
        var otherTab = await anonymous.OpenWindowAsync(_host);
        var signedIn = await dave.OpenWindowAsync(_host);

        await caller.SendAsync("anon", "USER");

        await caller.AssertNotGotAsync("anon");
        await otherTab.AssertNotGotAsync("anon");
        await signedIn.AssertNotGotAsync("anon");
    }

    [Fact]
    public async Task ServerCallWithoutDestinationGoesToTheUser()
    {
        await using var alice = new TestBrowser();
        await using var bob = new TestBrowser();
        await alice.LoginAsync(_host, "alice");
        await bob.LoginAsync(_host, "bob");
        var aliceTab1 = await alice.OpenWindowAsync(_host);
        var aliceTab2 = await alice.OpenWindowAsync(_host);
        var bobTab = await bob.OpenWindowAsync(_host);

        await _host.Signals.CallAsync(_host.ReadToken(aliceTab1.Token!), "test.got", kwargs: new { tag = "default" });

        await aliceTab1.GotAsync("default");
        await aliceTab2.GotAsync("default");
        await bobTab.AssertNotGotAsync("default");
    }

    [Fact]
    public async Task LoggingOutMakesTheNextPageAnonymous()
    {
        await using var alice = new TestBrowser();
        await alice.LoginAsync(_host, "alice");
        var signedIn = await alice.OpenWindowAsync(_host);
        await alice.LogoutAsync(_host);
        var anonymous = await alice.OpenWindowAsync(_host);

        await anonymous.SendAsync("after-logout", "USER");

        await signedIn.AssertNotGotAsync("after-logout");
        await anonymous.AssertNotGotAsync("after-logout");
    }

    [Fact]
    public async Task UserIdsWithSeparatorsAndNonAsciiCharactersWork()
    {
        await using var browser = new TestBrowser();
        await browser.LoginAsync(_host, "team|lead:zoë");
        var tab1 = await browser.OpenWindowAsync(_host);
        var tab2 = await browser.OpenWindowAsync(_host);

        await tab1.SendAsync("odd-name", "USER");

        await tab2.GotAsync("odd-name");
        Assert.Equal("team|lead:zoë", _host.ReadToken(tab1.Token!).UserId);
    }
}
