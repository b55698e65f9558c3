using System.Globalization;
using System.Reflection;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Rendering;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Switchboard.Internal.Windows;

namespace Switchboard;

/// <summary>
/// Renders Razor components to HTML as the window would see them, and sends them with the built-in browser signals
/// <c>html.content</c> and <c>df.modal.show</c>. Resolve it from DI (also as a handler parameter).
/// </summary>
/// <remarks>
/// <para>Rendering uses ASP.NET Core's <see cref="HtmlRenderer"/> (static rendering: no interactivity, no event
/// handlers) in a new DI scope per render. What a component can use:</para>
/// <list type="bullet">
/// <item>its parameters (from <c>parameters</c>: an anonymous object or a dictionary, by parameter name);</item>
/// <item>the window's user: <c>[CascadingParameter] Task&lt;AuthenticationState&gt;</c> (the principal rebuilt by
/// <see cref="WindowInfo.ToClaimsPrincipal"/>: name, id, roles, claims), so <c>&lt;AuthorizeView&gt;</c> works when the
/// app registered authorization (<c>AddAuthorization</c>);</item>
/// <item>the window itself: <c>[CascadingParameter] WindowInfo</c>;</item>
/// <item>the window's culture: <see cref="CultureInfo.CurrentCulture"/> and <see cref="CultureInfo.CurrentUICulture"/>
/// are <see cref="WindowInfo.Culture"/> during the render (number and date formatting, <c>IStringLocalizer</c>);</item>
/// <item>services with <c>@inject</c> / <c>[Inject]</c> (scoped ones are new for each render).</item>
/// </list>
/// <para>There is no <c>HttpContext</c> and no <c>NavigationManager</c>: rendering may run in a worker, long after the
/// request. Razor views and partials (.cshtml) are not supported.</para>
/// </remarks>
/// <example><code>
/// [Signal("demo.card", IsAllowedTo = typeof(Everyone))]
/// public static Task Card(WindowInfo window, ComponentSignals components) =>
///     components.HtmlContentAsync&lt;Card&gt;(window, "#card", new { Title = "Hello" });
/// </code></example>
public sealed class ComponentSignals
{
    private readonly ISignals _signals;
    private readonly IServiceScopeFactory _scopes;
    private readonly ILoggerFactory _loggers;
    private readonly WindowInfoFactory _windows;

    internal ComponentSignals(ISignals signals, IServiceScopeFactory scopes, ILoggerFactory loggers, WindowInfoFactory windows)
    {
        _signals = signals;
        _scopes = scopes;
        _loggers = loggers;
        _windows = windows;
    }

    /// <summary>Renders <typeparamref name="TComponent"/> to HTML with the window's user and culture.</summary>
    /// <typeparam name="TComponent">The component.</typeparam>
    /// <param name="window">An <c>HttpContext</c>, a <see cref="WindowInfo"/>, or null (anonymous, current culture).</param>
    /// <param name="parameters">Component parameters: an anonymous object or an <c>IDictionary&lt;string, object?&gt;</c>.</param>
    /// <returns>The HTML.</returns>
    public Task<string> RenderAsync<TComponent>(object? window, object? parameters = null)
        where TComponent : IComponent =>
        RenderAsync(typeof(TComponent), window, parameters);

    /// <summary>Renders the component <paramref name="componentType"/> to HTML with the window's user and culture.</summary>
    /// <param name="componentType">A type implementing <see cref="IComponent"/>.</param>
    /// <param name="window">An <c>HttpContext</c>, a <see cref="WindowInfo"/>, or null (anonymous, current culture).</param>
    /// <param name="parameters">Component parameters: an anonymous object or an <c>IDictionary&lt;string, object?&gt;</c>.</param>
    /// <returns>The HTML.</returns>
    public async Task<string> RenderAsync(Type componentType, object? window, object? parameters = null)
    {
        ArgumentNullException.ThrowIfNull(componentType);
        if (!typeof(IComponent).IsAssignableFrom(componentType))
        {
            throw new ArgumentException($"{componentType.FullName} is not a component (IComponent).", nameof(componentType));
        }
        var info = window switch
        {
            null => WindowInfo.None,
            WindowInfo w => w,
            HttpContext http => _windows.Create(http, http.Features.Get<WindowFeature>()?.WindowKey),
            _ => throw new ArgumentException($"window must be an HttpContext, a WindowInfo or null, not {window.GetType().FullName}.", nameof(window)),
        };
        var rootParameters = ParameterView.FromDictionary(new Dictionary<string, object?>
        {
            [nameof(WindowRoot.Window)] = info,
            [nameof(WindowRoot.ComponentType)] = componentType,
            [nameof(WindowRoot.Parameters)] = ToDictionary(parameters),
        });
        var culture = CultureOf(info);
        await using var scope = _scopes.CreateAsyncScope();
        await using var renderer = new HtmlRenderer(scope.ServiceProvider, _loggers);
        return await renderer.Dispatcher.InvokeAsync(async () =>
        {
            var (previous, previousUi) = (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture);
            if (culture is not null)
            {
                CultureInfo.CurrentCulture = culture;
                CultureInfo.CurrentUICulture = culture;
            }
            try
            {
                var output = await renderer.RenderComponentAsync<WindowRoot>(rootParameters);
                return output.ToHtmlString();
            }
            finally
            {
                CultureInfo.CurrentCulture = previous;
                CultureInfo.CurrentUICulture = previousUi;
            }
        });
    }

    /// <summary>Renders <typeparamref name="TComponent"/> for the window, then replaces the content of the elements matching
    /// <paramref name="selector"/> with it (<c>html.content</c>).</summary>
    /// <typeparam name="TComponent">The component.</typeparam>
    /// <param name="window">The calling window (its user and culture are used to render).</param>
    /// <param name="selector">A CSS selector.</param>
    /// <param name="parameters">Component parameters: an anonymous object or an <c>IDictionary&lt;string, object?&gt;</c>.</param>
    /// <param name="to">Destinations. <value>The default is <see cref="Destination.Window"/>.</value></param>
    /// <param name="cancellationToken">Cancels the dispatch.</param>
    /// <returns>A task completed once the signal is dispatched.</returns>
    public async Task HtmlContentAsync<TComponent>(object? window, string selector, object? parameters = null, IEnumerable<object>? to = null, CancellationToken cancellationToken = default)
        where TComponent : IComponent
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(selector);
        var html = await RenderAsync<TComponent>(window, parameters);
        await _signals.HtmlContentAsync(window, selector, html, to, cancellationToken);
    }

    /// <summary>Renders <typeparamref name="TComponent"/> for the window, then opens the page's modal with it
    /// (<c>df.modal.show</c>, see <see cref="SignalsModalExtensions.ModalShowAsync"/>).</summary>
    /// <typeparam name="TComponent">The component.</typeparam>
    /// <param name="window">The calling window (its user and culture are used to render).</param>
    /// <param name="parameters">Component parameters: an anonymous object or an <c>IDictionary&lt;string, object?&gt;</c>.</param>
    /// <param name="width">A CSS width. <value>The default is 36rem.</value></param>
    /// <param name="onHide">A signal the page calls once the modal content leaves the screen, or null.</param>
    /// <param name="onHideOptions">The opts of <paramref name="onHide"/>.</param>
    /// <param name="to">Destinations. <value>The default is <see cref="Destination.Window"/>.</value></param>
    /// <param name="cancellationToken">Cancels the dispatch.</param>
    /// <returns>A task completed once the signal is dispatched.</returns>
    public async Task ModalShowAsync<TComponent>(object? window, object? parameters = null, string? width = null, string? onHide = null, object? onHideOptions = null, IEnumerable<object>? to = null, CancellationToken cancellationToken = default)
        where TComponent : IComponent
    {
        var html = await RenderAsync<TComponent>(window, parameters);
        await _signals.ModalShowAsync(window, html, width, onHide, onHideOptions, to, cancellationToken);
    }

    private static CultureInfo? CultureOf(WindowInfo window)
    {
        if (string.IsNullOrEmpty(window.Culture))
        {
            return null;
        }
        try
        {
            return CultureInfo.GetCultureInfo(window.Culture);
        }
        catch (CultureNotFoundException)
        {
            return null;
        }
    }

    private static Dictionary<string, object?> ToDictionary(object? parameters) => parameters switch
    {
        null => [],
        IEnumerable<KeyValuePair<string, object?>> pairs => pairs.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal),
        System.Collections.IDictionary dictionary => dictionary.Keys.Cast<object>().ToDictionary(k => k.ToString()!, k => dictionary[k], StringComparer.Ordinal),
        _ => parameters.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.GetIndexParameters().Length == 0)
            .ToDictionary(p => p.Name, p => p.GetValue(parameters), StringComparer.Ordinal),
    };

    /// <summary>The root of every render: cascades the window's user and <see cref="WindowInfo"/>, then renders the component.</summary>
    internal sealed class WindowRoot : IComponent
    {
        private RenderHandle _handle;

        [Parameter]
        public WindowInfo Window { get; set; } = WindowInfo.None;

        [Parameter]
        public Type ComponentType { get; set; } = null!;

        [Parameter]
        public Dictionary<string, object?> Parameters { get; set; } = [];

        public void Attach(RenderHandle renderHandle) => _handle = renderHandle;

        public Task SetParametersAsync(ParameterView parameters)
        {
            parameters.SetParameterProperties(this);
            var user = Task.FromResult(new AuthenticationState(Window.ToClaimsPrincipal()));
            _handle.Render(builder =>
            {
                builder.OpenComponent<CascadingValue<Task<AuthenticationState>>>(0);
                builder.AddComponentParameter(1, "Value", user);
                builder.AddComponentParameter(2, "IsFixed", true);
                builder.AddComponentParameter(3, "ChildContent", (RenderFragment)RenderWindow);
                builder.CloseComponent();
            });
            return Task.CompletedTask;
        }

        private void RenderWindow(RenderTreeBuilder builder)
        {
            builder.OpenComponent<CascadingValue<WindowInfo>>(0);
            builder.AddComponentParameter(1, "Value", Window);
            builder.AddComponentParameter(2, "IsFixed", true);
            builder.AddComponentParameter(3, "ChildContent", (RenderFragment)RenderComponent);
            builder.CloseComponent();
        }

        private void RenderComponent(RenderTreeBuilder builder)
        {
            builder.OpenComponent(0, ComponentType);
            foreach (var (name, value) in Parameters)
            {
                builder.AddComponentParameter(1, name, value);
            }
            builder.CloseComponent();
        }
    }
}
