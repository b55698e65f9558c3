using System.Security.Claims;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Switchboard.Internal.Calls;
using Switchboard.Internal.Protocol;
using Switchboard.Internal.Windows;

namespace Switchboard.Testing;

/// <summary>Windows, and calls as a browser makes them.</summary>
public sealed partial class SwitchboardTestHost
{
    private long _callIds;
    private int _windowCount;

    /// <summary>
    /// A new window with a unique key, as a page request makes it: anonymous without <paramref name="user"/>; otherwise
    /// signed in as <paramref name="user"/> (its name and id) with <paramref name="roles"/> (the staff and superuser roles
    /// of <see cref="SwitchboardOptions"/> included) and <paramref name="permissions"/> (claims of
    /// <see cref="SwitchboardOptions.PermissionClaimType"/>). <paramref name="topics"/> are the page's topics
    /// (<c>SetWebSocketTopics</c>): <see cref="SentMessages.To"/> counts messages to them as received by this window.
    /// <paramref name="extensions"/> are its <see cref="WindowInfo.Extensions"/>, as the application's
    /// <see cref="IWindowInfoExtension"/>s would have set them while rendering the page (they do not run here: there is
    /// no page request); names, values and size are checked as they are then.
    /// </summary>
    public WindowInfo NewWindow(string? user = null, IEnumerable<string>? roles = null, IEnumerable<string>? permissions = null, IEnumerable<object>? topics = null,
        IReadOnlyDictionary<string, object?>? extensions = null)
    {
        if (user is null)
        {
            if (roles?.Any() == true || permissions?.Any() == true)
            {
                throw new ArgumentException("An anonymous window has no roles or permissions: give a user.", nameof(user));
            }
            return NewWindow(new ClaimsPrincipal(new ClaimsIdentity()), topics, extensions);
        }
        var permissionType = Services.GetRequiredService<IOptions<SwitchboardOptions>>().Value.PermissionClaimType;
        var claims = new List<Claim> { new(ClaimTypes.Name, user), new(ClaimTypes.NameIdentifier, user) };
        claims.AddRange((roles ?? []).Select(r => new Claim(ClaimTypes.Role, r)));
        claims.AddRange((permissions ?? []).Select(p => new Claim(permissionType, p)));
        return NewWindow(new ClaimsPrincipal(new ClaimsIdentity(claims, "Test")), topics, extensions);
    }

    /// <summary>
    /// A new window of the signed-in (or anonymous) <paramref name="principal"/>, with the page's <paramref name="topics"/>
    /// and <paramref name="extensions"/> (<see cref="WindowInfo.Extensions"/>).
    /// </summary>
    public WindowInfo NewWindow(ClaimsPrincipal principal, IEnumerable<object>? topics = null, IReadOnlyDictionary<string, object?>? extensions = null)
    {
        ArgumentNullException.ThrowIfNull(principal);
        var bag = new WindowExtensionBag(Services.GetRequiredService<IOptions<SwitchboardOptions>>().Value.MaxWindowExtensionsBytes) { Source = "NewWindow" };
        foreach (var (name, value) in extensions ?? new Dictionary<string, object?>())
        {
            bag.Set(name, value);
        }
        // The snapshot a page request of this user makes (WindowInfoFactory), so permissions see what they would see.
        var window = Services.GetRequiredService<WindowInfoFactory>().Create(new DefaultHttpContext { User = principal }, WindowKeys.New(), bag.ToFrozen());
        var keys = (topics ?? [])
            .Select(t => TopicKey(t, window) ?? throw new ArgumentException($"The topic {t} addresses nobody for this window.", nameof(topics)))
            .ToList();
        _windows[window.WindowKey!] = new TestWindowTopics(window, keys, Interlocked.Increment(ref _windowCount));
        return window;
    }

    /// <summary>
    /// Calls <paramref name="signal"/> from <paramref name="window"/> as df.call does: the name, the size of the kwargs
    /// and every handler's permission (with the kwargs) are checked by the app's dispatcher, and the allowed handlers
    /// are queued (ordered per window where the signal asks for it). The answer is the browser's: accepted (jobs queued,
    /// not yet run) or refused with its code (<c>forbidden</c>, <c>unknown_signal</c>, …; nothing queued). Rate limits
    /// belong to the socket and are not applied.
    /// </summary>
    public async Task<CallResult> CallFromBrowserAsync(WindowInfo window, string signal, object? kwargs = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(window);
        var json = SwitchboardJson.SerializeKwargs(kwargs);
        var id = Interlocked.Increment(ref _callIds);
        var dispatcher = Services.GetRequiredService<SignalDispatcher>();
        var result = await dispatcher.DispatchClientCallAsync(window, signal, json, Encoding.UTF8.GetByteCount(json), id, cancellationToken);
        var frame = result.Accepted
            ? new JsonObject { ["type"] = ProtocolNames.FrameTypes.Accepted, ["id"] = id, ["jobs"] = result.Jobs }
            : new JsonObject { ["type"] = ProtocolNames.FrameTypes.Refused, ["id"] = id, ["code"] = result.RefusalCode, ["message"] = result.Message };
        return new CallResult(id, JsonSerializer.SerializeToElement(frame));
    }

    /// <summary>
    /// Invokes the remote function <paramref name="function"/> from <paramref name="window"/> as df.invoke does (the
    /// checks of a call, then one job) and returns its value once its result reaches the window. Inline, a worker runs
    /// it; stepped, the pending jobs are run first (<see cref="RunPendingJobsAsync"/>).
    /// </summary>
    /// <exception cref="InvokeException">Refused at dispatch, or the function failed (its code and message).</exception>
    public async Task<JsonElement> InvokeFromBrowserAsync(WindowInfo window, string function, object? kwargs = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(window);
        var json = SwitchboardJson.SerializeKwargs(kwargs);
        var id = Interlocked.Increment(ref _callIds);
        var dispatcher = Services.GetRequiredService<SignalDispatcher>();
        var result = await dispatcher.DispatchClientInvokeAsync(window, function, json, Encoding.UTF8.GetByteCount(json), id, cancellationToken);
        if (!result.Accepted)
        {
            var refused = new JsonObject
            {
                ["type"] = ProtocolNames.FrameTypes.Result,
                ["id"] = id,
                ["error"] = new JsonObject { ["code"] = result.RefusalCode, ["message"] = result.Message },
            };
            throw new InvokeException(function, id, result.RefusalCode!, result.Message!, JsonSerializer.SerializeToElement(refused));
        }
        if (_options.Jobs == TestJobs.Stepped)
        {
            await RunPendingJobsAsync(cancellationToken);
        }
        var topic = TopicKey(Destination.Window, window);
        var wait = _capture.FirstAsync(m => m.Type == ProtocolNames.FrameTypes.Result && m.Frame.Id() == id && m.Topics.Contains(topic));
        SentMessage answer;
        try
        {
            answer = await wait.WaitAsync(_options.Timeout, cancellationToken);
        }
        catch (TimeoutException)
        {
            _capture.Forget(wait);
            throw new TimeoutException($"Invoke {id} of '{function}' got no result within {_options.Timeout.TotalSeconds} s. Jobs: {DescribeJobs()}");
        }
        if (answer.Frame.TryGetProperty("error", out var error))
        {
            throw new InvokeException(function, id, error.Str("code") ?? "", error.Str("message") ?? "", answer.Frame);
        }
        return answer.Frame.GetProperty("value");
    }
}
