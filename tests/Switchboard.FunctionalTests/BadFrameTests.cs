namespace Switchboard.FunctionalTests;

/// <summary>Bad input gets an error frame or a documented close, never a crash or a silent drop.</summary>
public sealed class BadFrameTests
{
    [Theory]
    [InlineData("this is not json")]
    [InlineData("{\"type\":\"call\",")]
    [InlineData("[1,2,3]")]
    [InlineData("42")]
    [InlineData("\"call\"")]
    [InlineData("null")]
    [InlineData("{}")]
    [InlineData("{\"type\":7}")]
    [InlineData("DEEP")]
    public async Task MalformedFrameGetsBadFrameErrorAndTheSocketStaysUsable(string text)
    {
        if (text == "DEEP")
        {
            // Nested deeper than the parser allows.
            text = "{\"type\":\"call\",\"id\":1,\"signal\":\"test.ok\",\"opts\":{\"a\":" + new string('[', 100) + new string(']', 100) + "}}";
        }
        await using var host = await StartAsync();
        await using var browser = new TestBrowser();
        var window = await browser.OpenWindowAsync(host);

        await window.SendTextAsync(text);

        var error = await window.NextFrameAsync(f => f.Type() == "error", "error");
        Assert.Equal("bad_frame", error.Str("code"));
        Assert.False(string.IsNullOrEmpty(error.Str("message")));
        await AssertStillUsableAsync(window);
    }

    [Theory]
    [InlineData("""{"type":"call","signal":"test.ok"}""", null)]
    [InlineData("""{"type":"call","id":0,"signal":"test.ok"}""", null)]
    [InlineData("""{"type":"call","id":"7","signal":"test.ok"}""", null)]
    [InlineData("""{"type":"call","id":1.5,"signal":"test.ok"}""", null)]
    [InlineData("""{"type":"call","id":7}""", 7L)]
    [InlineData("""{"type":"call","id":7,"signal":42}""", 7L)]
    [InlineData("""{"type":"call","id":7,"signal":"test.ok","opts":[1]}""", 7L)]
    [InlineData("""{"type":"call","id":7,"signal":"test.ok","opts":"x"}""", 7L)]
    public async Task InvalidCallFrameGetsBadFrameErrorWithItsIdWhenKnown(string text, long? id)
    {
        await using var host = await StartAsync();
        await using var browser = new TestBrowser();
        var window = await browser.OpenWindowAsync(host);

        await window.SendTextAsync(text);

        var error = await window.NextFrameAsync(f => f.Type() == "error", "error");
        Assert.Equal("bad_frame", error.Str("code"));
        Assert.Equal(id, error.Id());
        await window.PingAsync();
        Assert.Empty(window.Pending);
        await AssertStillUsableAsync(window);
    }

    [Fact]
    public async Task UnknownFrameTypeGetsUnknownFrameErrorAndIsOtherwiseIgnored()
    {
        await using var host = await StartAsync();
        await using var browser = new TestBrowser();
        var window = await browser.OpenWindowAsync(host);

        await window.SendTextAsync("""{"type":"subscribe","topic":"-broadcast","id":3}""");

        var error = await window.NextFrameAsync(f => f.Type() == "error", "error");
        Assert.Equal("unknown_frame", error.Str("code"));
        Assert.Contains("subscribe", error.Str("message"), StringComparison.Ordinal);
        await AssertStillUsableAsync(window);
    }

    [Fact]
    public async Task UnknownFieldsAreIgnored()
    {
        await using var host = await StartAsync();
        await using var browser = new TestBrowser();
        var window = await browser.OpenWindowAsync(host);

        await window.SendTextAsync("""{"type":"call","id":1,"signal":"test.ok","opts":{},"future":{"x":1},"resume":{}}""");

        (await window.NextFrameAsync(f => f.Id() == 1, "answer")).AssertAccepted();
        await window.NextSignalAsync("test.ok.done");
        await window.SendTextAsync("""{"type":"ping","extra":true}""");
        await window.NextFrameAsync(f => f.Type() == "pong", "pong");
    }

    [Fact]
    public async Task SecondConnectAfterTheHandshakeIsAnErrorNotAClose()
    {
        await using var host = await StartAsync();
        await using var browser = new TestBrowser();
        var window = await browser.OpenWindowAsync(host);

        await window.SendJsonAsync(new { type = "connect", v = 1, token = window.Token });

        await window.NextFrameAsync(f => f.Type() == "error", "error");
        await AssertStillUsableAsync(window);
    }

    [Fact]
    public async Task BinaryFrameClosesWith4009()
    {
        await using var host = await StartAsync();
        await using var browser = new TestBrowser();
        var window = await browser.OpenWindowAsync(host);

        await window.SendBinaryAsync(new byte[] { 1, 2, 3 });

        Assert.Equal(4009, await window.WaitForCloseAsync());
    }

    [Fact]
    public async Task BinaryFrameInsteadOfConnectClosesWith4009()
    {
        await using var host = await StartAsync();
        await using var browser = new TestBrowser();
        var window = await browser.ConnectAsync(host);

        await window.SendBinaryAsync(new byte[] { (byte)'{', (byte)'}' });

        Assert.Equal(4009, await window.WaitForCloseAsync());
    }

    [Theory]
    [InlineData(1024, 1024, false)]
    [InlineData(1024, 1025, true)]
    [InlineData(4096, 4096, false)]
    [InlineData(4096, 4097, true)]
    [InlineData(65536, 65536, false)]
    [InlineData(65536, 65537, true)]
    [InlineData(65536, 1_000_000, true)]
    public async Task FrameLargerThanMaxFrameBytesClosesWith1009(int maxFrameBytes, int frameBytes, bool tooLarge)
    {
        await using var host = await StartAsync(o =>
        {
            o.MaxFrameBytes = maxFrameBytes;
            o.MaxKwargsBytes = Math.Min(o.MaxKwargsBytes, maxFrameBytes);
        });
        await using var browser = new TestBrowser();
        var window = await browser.OpenWindowAsync(host);

        // A ping padded with whitespace (valid JSON) to exactly frameBytes bytes.
        const string Ping = """{"type":"ping"}""";
        await window.SendTextAsync(Ping + new string(' ', frameBytes - Ping.Length));

        if (tooLarge)
        {
            Assert.Equal(1009, await window.WaitForCloseAsync());
        }
        else
        {
            await window.NextFrameAsync(f => f.Type() == "pong", "pong");
        }
    }

    [Fact]
    public async Task FrameLargerThanMaxFrameBytesInsteadOfConnectClosesWith1009()
    {
        await using var host = await StartAsync(o => (o.MaxFrameBytes, o.MaxKwargsBytes) = (1024, 512));
        await using var browser = new TestBrowser();
        var token = await browser.LoadPageAsync(host);
        var window = await browser.ConnectAsync(host);

        await window.SendJsonAsync(new { type = "connect", v = 1, token, padding = new string('x', 2000) });

        Assert.Equal(1009, await window.WaitForCloseAsync());
    }

    [Fact]
    public async Task OptsLargerThanMaxKwargsBytesAreRefusedAndNothingRuns()
    {
        await using var host = await StartAsync(o => (o.MaxFrameBytes, o.MaxKwargsBytes) = (8192, 512));
        await using var browser = new TestBrowser();
        var window = await browser.OpenWindowAsync(host);

        var refused = await window.CallAsync("test.ok", new { text = new string('x', 600) });
        var small = await window.CallAsync("test.ok", new { text = new string('x', 400) });

        refused.AssertRefused("kwargs_too_large");
        small.AssertAccepted();
        var done = await window.NextSignalAsync("test.ok.done");
        Assert.Equal(400, done.Opts().GetProperty("length").GetInt32());
        await window.PingAsync();
        Assert.DoesNotContain(window.Pending, f => f.IsSignal("test.ok.done"));
    }

    private static Task<SwitchboardHost> StartAsync(Action<SwitchboardOptions>? options = null) =>
        SwitchboardHost.StartAsync(o =>
        {
            o.Switchboard = options;
            o.Signals = s => s.MapSignal("test.ok", (WindowInfo w, ISignals signals, string? text = null) =>
                signals.CallAsync(w, "test.ok.done", [Destination.Window], new { length = text?.Length ?? 0 })).AllowEveryone();
        });

    private static async Task AssertStillUsableAsync(TestWindow window)
    {
        await window.PingAsync();
        (await window.CallAsync("test.ok")).AssertAccepted();
        await window.NextSignalAsync("test.ok.done");
        Assert.Equal(WebSocketState.Open, window.Socket.State);
    }
}
