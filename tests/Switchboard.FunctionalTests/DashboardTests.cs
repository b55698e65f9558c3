using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Switchboard.Internal.Dashboard;

namespace Switchboard.FunctionalTests;

/// <summary>
/// <c>MapSwitchboardDashboard</c> on a real Kestrel node: only users of its policy get the page, its data and its
/// actions (anonymous 401, others 403, neither any data); the actions need the page's antiforgery token and really
/// requeue (the job runs again) and delete dead letters.
/// </summary>
public sealed partial class DashboardTests
{
    private const string Path = "/ops/dashboard";

    [Fact]
    public async Task AnonymousAndOtherUsersAreRefusedWithoutData()
    {
        await using var host = await StartAsync();
        await AddDeadLetterAsync(host, "secret-reason");
        await using var browser = new TestBrowser();

        foreach (var (method, path) in Endpoints)
        {
            using var anonymous = await SendAsync(browser, host, method, path);
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
            Assert.DoesNotContain("secret-reason", await anonymous.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        await browser.LoginAsync(host, "mallory", "reader");
        foreach (var (method, path) in Endpoints)
        {
            using var other = await SendAsync(browser, host, method, path);
            Assert.Equal(HttpStatusCode.Forbidden, other.StatusCode);
            Assert.DoesNotContain("secret-reason", await other.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        Assert.Single(await host.Services.GetRequiredService<ISwitchboardQueues>().ListDeadLettersAsync("default", 10, default));
    }

    [Fact]
    public async Task AnEditorSeesThePageAndTheDeadLettersWithTheirError()
    {
        await using var host = await StartAsync();
        var id = await AddDeadLetterAsync(host, "Handler dash.work threw <b>boom</b>");
        await using var browser = new TestBrowser();
        await browser.LoginAsync(host, "erin", "editor");

        var page = await browser.Http.GetStringAsync(new Uri(host.BaseAddress, Path.TrimStart('/')));
        Assert.Contains("<title>Switchboard dashboard</title>", page, StringComparison.Ordinal);
        Assert.Contains("src=\"/switchboard/df.js\"", page, StringComparison.Ordinal);
        Assert.DoesNotContain("{{", page, StringComparison.Ordinal);
        Assert.DoesNotContain("https://", page, StringComparison.Ordinal);
        Assert.NotEmpty(AntiforgeryToken(page));

        var state = (await browser.Http.GetFromJsonAsync<JsonElement>(new Uri(host.BaseAddress, Path.TrimStart('/') + "/state")))!;
        var queue = state.GetProperty("queues").EnumerateArray().Single(q => q.GetProperty("name").GetString() == "default");
        Assert.Equal(1, queue.GetProperty("deadLetters").GetInt64());
        var letter = queue.GetProperty("deadLetterList").EnumerateArray().Single();
        Assert.Equal((id, "dash.work", "Handler dash.work threw <b>boom</b>"),
            (letter.GetProperty("id").GetString(), letter.GetProperty("signal").GetString(), letter.GetProperty("reason").GetString()));
        var node = state.GetProperty("nodes").EnumerateArray().Single();
        Assert.Equal(host.Services.GetRequiredService<NodeSnapshotCollector>().Node, node.GetProperty("node").GetString());
        Assert.Contains(node.GetProperty("queues").EnumerateArray(), q => q.GetProperty("name").GetString() == "default" && q.GetProperty("workers").GetInt32() > 0);
    }

    [Fact]
    public async Task ActionsNeedTheAntiforgeryTokenThenRequeueAndDelete()
    {
        var ran = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var host = await StartAsync(s => s.MapSignal("dash.work", (WindowInfo w, string n) => ran.TrySetResult(n)));
        var first = await AddDeadLetterAsync(host, "first failed", "{\"n\":\"first\"}");
        await AddDeadLetterAsync(host, "second failed", "{\"n\":\"second\"}");
        await AddDeadLetterAsync(host, "third failed", "{\"n\":\"third\"}");
        await using var browser = new TestBrowser();
        await browser.LoginAsync(host, "erin", "editor");
        var token = AntiforgeryToken(await browser.Http.GetStringAsync(new Uri(host.BaseAddress, Path.TrimStart('/'))));
        var queues = host.Services.GetRequiredService<ISwitchboardQueues>();

        using (var forged = await PostAsync(browser, host, "requeue", new { queue = "default", id = first }, token: null))
        {
            Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        }
        using (var wrong = await PostAsync(browser, host, "requeue", new { queue = "default", id = first }, token: "x" + token))
        {
            Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        }
        Assert.Equal(3, (await queues.GetQueueAsync("default", default)).DeadLetters);

        using (var requeued = await PostAsync(browser, host, "requeue", new { queue = "default", id = first }, token))
        {
            Assert.Equal(HttpStatusCode.OK, requeued.StatusCode);
            Assert.Equal(1, (await requeued.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("requeued").GetInt64());
        }
        Assert.Equal("first", await ran.Task.DefaultTimeout());

        using (var gone = await PostAsync(browser, host, "delete", new { queue = "default", id = first }, token))
        {
            Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        }
        using (var ambiguous = await PostAsync(browser, host, "delete", new { queue = "default" }, token))
        {
            Assert.Equal(HttpStatusCode.BadRequest, ambiguous.StatusCode);
        }
        var letters = await queues.ListDeadLettersAsync("default", 10, default);
        Assert.Equal(["second failed", "third failed"], letters.Select(l => l.Reason));

        using (var deleted = await PostAsync(browser, host, "delete", new { queue = "default", id = letters[0].Id }, token))
        {
            Assert.Equal(1, (await deleted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("deleted").GetInt64());
        }
        Assert.Equal(["third failed"], (await queues.ListDeadLettersAsync("default", 10, default)).Select(l => l.Reason));
        using (var all = await PostAsync(browser, host, "delete", new { queue = "default", all = true }, token))
        {
            Assert.Equal(1, (await all.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("deleted").GetInt64());
        }
        Assert.Equal(0, (await queues.GetQueueAsync("default", default)).DeadLetters);
    }

    [Fact]
    public void MappingWithABadOptionFailsAtStartup()
    {
        var error = Assert.Throws<InvalidOperationException>(() =>
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.Services.AddSwitchboard();
            var app = builder.Build();
            app.MapSwitchboardDashboard(configure: o => o.DeadLettersShown = 0);
        });
        Assert.Contains("DeadLettersShown", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MappingTheDashboardWithoutMapSwitchboardFailsAtStartup()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Services.AddAuthorization();
        builder.Services.AddSwitchboard();
        await using var app = builder.Build();
        app.MapSwitchboardDashboard();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => app.StartAsync().WaitAsync(TestTimeouts.Frame));
        Assert.Contains("MapSwitchboard()", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheLiveQueuesListAsManyDeadLettersAsTheDashboardShows()
    {
        await using var host = await StartAsync(dashboard: d => d.DeadLettersShown = 1);
        await AddDeadLetterAsync(host, "first");
        await AddDeadLetterAsync(host, "second");
        await using var browser = new TestBrowser();
        await browser.LoginAsync(host, "erin", "editor");
        var token = await browser.LoadTokenAsync(host, Path.TrimStart('/'));
        var window = await browser.ConnectAsync(host);
        await window.HandshakeAsync(token);

        var queues = (await window.NextSignalAsync(DashboardTopics.QueuesSignal)).Opts();

        var queue = queues.GetProperty("queues").EnumerateArray().Single(q => q.GetProperty("name").GetString() == "default");
        Assert.Equal(2, queue.GetProperty("deadLetters").GetInt64());
        Assert.Equal("first", queue.GetProperty("deadLetterList").EnumerateArray().Single().GetProperty("reason").GetString());
    }

    internal static (HttpMethod Method, string Path)[] Endpoints =>
    [
        (HttpMethod.Get, Path),
        (HttpMethod.Get, Path + "/state"),
        (HttpMethod.Post, Path + "/dead-letters/requeue"),
        (HttpMethod.Post, Path + "/dead-letters/delete"),
    ];

    internal static Task<SwitchboardHost> StartAsync(
        Action<ISwitchboardBuilder>? signals = null, Action<SwitchboardHostOptions>? more = null, Action<SwitchboardDashboardOptions>? dashboard = null) =>
        SwitchboardHost.StartAsync(o =>
        {
            // A handler on the default queue puts that queue in ISwitchboardQueues.QueueNames, so the dashboard lists it.
            o.Signals = signals ?? (s => s.MapSignal("dash.work", (WindowInfo w) => { }));
            o.Services = services => services.PostConfigure<CookieAuthenticationOptions>(CookieAuthenticationDefaults.AuthenticationScheme, c =>
            {
                // As the demo does: an API answers 401/403 rather than redirecting to a login page.
                c.Events.OnRedirectToLogin = context => { context.Response.StatusCode = StatusCodes.Status401Unauthorized; return Task.CompletedTask; };
                c.Events.OnRedirectToAccessDenied = context => { context.Response.StatusCode = StatusCodes.Status403Forbidden; return Task.CompletedTask; };
            });
            o.Endpoints = app =>
            {
                // After the harness's UseAuthentication (otherwise WebApplication adds authorization before it).
                app.UseAuthorization();
                app.MapSwitchboardDashboard(Path, d =>
                {
                    d.Policy = SwitchboardHost.EditorsPolicy;
                    dashboard?.Invoke(d);
                });
            };
            more?.Invoke(o);
        });

    internal static async Task<string> AddDeadLetterAsync(SwitchboardHost host, string reason, string kwargs = "{}")
    {
        var job = new SignalJob { Id = Guid.NewGuid().ToString("N"), Queue = "default", Signal = "dash.work", Kwargs = kwargs, CreatedAt = DateTimeOffset.UtcNow, Attempt = 3 };
        await host.Services.GetRequiredService<IDeadLetterQueue>().DeadLetterAsync(job, reason, default);
        var letters = await host.Services.GetRequiredService<ISwitchboardQueues>().ListDeadLettersAsync("default", 10_000, default);
        return letters.Single(l => l.Job?.Id == job.Id).Id;
    }

    internal static string AntiforgeryToken(string page) => WebUtility.HtmlDecode(TokenMeta().Match(page).Groups[1].Value);

    [GeneratedRegex("<meta name=\"switchboard-antiforgery\" content=\"([^\"]*)\">")]
    private static partial Regex TokenMeta();

    private static async Task<HttpResponseMessage> SendAsync(TestBrowser browser, SwitchboardHost host, HttpMethod method, string path)
    {
        using var request = new HttpRequestMessage(method, new Uri(host.BaseAddress, path.TrimStart('/')));
        if (method == HttpMethod.Post)
        {
            request.Content = JsonContent.Create(new { queue = "default", all = true });
        }
        return await browser.Http.SendAsync(request).WaitAsync(TestTimeouts.Frame);
    }

    internal static async Task<HttpResponseMessage> PostAsync(TestBrowser browser, SwitchboardHost host, string action, object body, string? token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(host.BaseAddress, Path.TrimStart('/') + "/dead-letters/" + action))
        {
            Content = JsonContent.Create(body),
        };
        if (token is not null)
        {
            request.Headers.Add("RequestVerificationToken", token);
        }
        return await browser.Http.SendAsync(request).WaitAsync(TestTimeouts.Frame);
    }
}
