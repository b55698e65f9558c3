using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Rendering;
using Microsoft.Extensions.DependencyInjection;

namespace Switchboard.Tests.Builtins;

/// <summary>Razor components rendered for a window: its user, its culture, its parameters, then sent as a built-in.</summary>
public sealed class ComponentSignalsTests
{
    private static readonly WindowInfo Alice = new()
    {
        WindowKey = "win-a",
        UserId = "42",
        UserName = "alice",
        IsAuthenticated = true,
        Roles = ["staff"],
        Culture = "fr-FR",
        AuthenticationType = "Cookies",
    };

    [Fact]
    public async Task A_component_sees_its_parameters_the_user_the_window_and_the_culture_even_after_an_await()
    {
        await using var host = new BuiltinHost(s => s.AddSingleton(new Greeting("Bonjour")));
        var components = host.Services.GetRequiredService<ComponentSignals>();
        var before = CultureInfo.CurrentCulture;

        var html = await components.RenderAsync<Card>(Alice, new { Title = "<Prix>", Amount = 1234.5m });

        Assert.Equal(
            "<div class=\"card\"><h2>&lt;Prix&gt;</h2><p class=\"user\">Bonjour alice (staff: True)</p>" +
            "<p class=\"window\">win-a</p><p class=\"amount\">1&#x202F;234,50</p><p class=\"culture\">fr-FR/fr-FR</p></div>", html);
        Assert.Equal(before, CultureInfo.CurrentCulture); // restored
    }

    [Fact]
    public async Task Without_a_window_the_user_is_anonymous_and_parameters_may_be_a_dictionary()
    {
        await using var host = new BuiltinHost(s => s.AddSingleton(new Greeting("Hello")));
        var components = host.Services.GetRequiredService<ComponentSignals>();
        var html = await components.RenderAsync(typeof(Card), null, new Dictionary<string, object?> { ["Title"] = "T", ["Amount"] = 1m });
        Assert.Contains("<p class=\"user\">Hello anonymous (staff: False)</p>", html, StringComparison.Ordinal);
        Assert.Contains("<p class=\"window\">none</p>", html, StringComparison.Ordinal);
        await Assert.ThrowsAsync<ArgumentException>(() => components.RenderAsync(typeof(string), null));
    }

    [Fact]
    public async Task HtmlContentAsync_and_ModalShowAsync_send_the_rendered_html()
    {
        await using var host = new BuiltinHost(s => s.AddSingleton(new Greeting("Hi")));
        var components = host.Services.GetRequiredService<ComponentSignals>();
        await components.HtmlContentAsync<Card>(Alice, "#card", new { Title = "A", Amount = 2m });
        await components.ModalShowAsync<Card>(Alice, new { Title = "B", Amount = 3m }, width: "30rem", onHide: "demo.closed");
        var frames = host.Broker.Published;
        Assert.Equal(2, frames.Count);
        Assert.All(frames, f => Assert.Equal(DefaultTopicSerializer.WindowTopic("win-a"), f.Topic));
        Assert.Equal("html.content", frames[0].Frame["signal"]!.GetValue<string>());
        Assert.Equal("#card", frames[0].Frame["opts"]!["selector"]!.GetValue<string>());
        Assert.StartsWith("<div class=\"card\"><h2>A</h2><p class=\"user\">Hi alice", frames[0].Frame["opts"]!["content"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("df.modal.show", frames[1].Frame["signal"]!.GetValue<string>());
        Assert.Contains("<h2>B</h2>", frames[1].Frame["opts"]!["html"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("30rem", frames[1].Frame["opts"]!["width"]!.GetValue<string>());
        Assert.Equal("demo.closed", frames[1].Frame["opts"]!["onhide"]!["signal"]!.GetValue<string>());
    }

    [Fact]
    public void ComponentSignals_is_a_DI_service_handlers_can_take()
    {
        var services = new ServiceCollection().AddLogging();
        services.AddSwitchboard();
        using var provider = services.BuildServiceProvider();
        Assert.Same(provider.GetRequiredService<ComponentSignals>(), provider.GetRequiredService<ComponentSignals>());
    }
}

public sealed record Greeting(string Word);

/// <summary>A component written in C# (what a .razor file compiles to).</summary>
public sealed class Card : ComponentBase
{
    private string _user = "";
    private bool _staff;
    private string _amount = "";
    private string _culture = "";

    [Parameter]
    public string Title { get; set; } = "";

    [Parameter]
    public decimal Amount { get; set; }

    [CascadingParameter]
    public Task<AuthenticationState>? AuthenticationState { get; set; }

    [CascadingParameter]
    public WindowInfo? Window { get; set; }

    [Inject]
    public Greeting Greeting { get; set; } = null!;

    protected override async Task OnInitializedAsync()
    {
        await Task.Yield(); // continuations keep the window's culture
        var user = (await AuthenticationState!).User;
        _user = user.Identity?.IsAuthenticated == true ? user.Identity.Name! : "anonymous";
        _staff = user.IsInRole("staff");
        _amount = Amount.ToString("N2", CultureInfo.CurrentCulture);
        _culture = CultureInfo.CurrentCulture.Name + "/" + CultureInfo.CurrentUICulture.Name;
    }

    protected override void BuildRenderTree(RenderTreeBuilder builder)
    {
        builder.OpenElement(0, "div");
        builder.AddAttribute(1, "class", "card");
        builder.OpenElement(2, "h2");
        builder.AddContent(3, Title);
        builder.CloseElement();
        builder.OpenElement(4, "p");
        builder.AddAttribute(5, "class", "user");
        builder.AddContent(6, $"{Greeting.Word} {_user} (staff: {_staff})");
        builder.CloseElement();
        builder.OpenElement(7, "p");
        builder.AddAttribute(8, "class", "window");
        builder.AddContent(9, Window?.WindowKey ?? "none");
        builder.CloseElement();
        builder.OpenElement(10, "p");
        builder.AddAttribute(11, "class", "amount");
        builder.AddContent(12, _amount);
        builder.CloseElement();
        builder.OpenElement(13, "p");
        builder.AddAttribute(14, "class", "culture");
        builder.AddContent(15, _culture);
        builder.CloseElement();
        builder.CloseElement();
    }
}
