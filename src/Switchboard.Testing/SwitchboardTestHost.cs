using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;
using Switchboard.Internal.Windows;
using Switchboard.Testing.Internal;

namespace Switchboard.Testing;

/// <summary>
/// Runs an application's signals in memory, without a server: its own registration (<c>AddSwitchboard()</c>, its
/// signals, its services) on a fake clock (<see cref="Time"/>), with every browser message captured (<see cref="Sent"/>)
/// and jobs run by workers (<see cref="TestJobs.Inline"/>: <see cref="WhenIdleAsync"/>) or by the test
/// (<see cref="TestJobs.Stepped"/>: <see cref="RunNextJobAsync"/>). Windows are made with <see cref="NewWindow(string?, IEnumerable{string}?, IEnumerable{string}?, IEnumerable{object}?, IReadOnlyDictionary{string, object?}?)"/>
/// and call as a browser does (<see cref="CallFromBrowserAsync"/>: permissions, argument limits, the real dispatcher)
/// or C# code calls (<see cref="Signals"/>). See docs/testing.md.
/// </summary>
public sealed partial class SwitchboardTestHost : IAsyncDisposable
{
    private readonly IHost _host;
    private readonly SwitchboardTestHostOptions _options;
    private readonly MessageCapture _capture;
    private readonly JobTracker _tracker;
    private readonly ConcurrentDictionary<string, TestWindowTopics> _windows = new(StringComparer.Ordinal);
    private bool _started;
    private int _disposed;

    private SwitchboardTestHost(IHost host, SwitchboardTestHostOptions options, FakeTimeProvider time, MessageCapture capture, JobTracker tracker)
    {
        _host = host;
        _options = options;
        _capture = capture;
        _tracker = tracker;
        Time = time;
    }

    /// <summary>The app's services (a scope per use for scoped ones: <c>Services.CreateAsyncScope()</c>).</summary>
    public IServiceProvider Services => _host.Services;

    /// <summary>The fake clock, registered as the app's <see cref="TimeProvider"/>: <c>Time.Advance(…)</c> makes delayed jobs and messages due.</summary>
    public FakeTimeProvider Time { get; }

    /// <summary>The app's <see cref="ISignals"/>: calls as C# code makes them (no permission check).</summary>
    public ISignals Signals => Services.GetRequiredService<ISignals>();

    /// <summary>Every browser message published so far, in order (a snapshot: read it again after more calls).</summary>
    public SentMessages Sent
    {
        get
        {
            var all = _capture.Snapshot();
            return new SentMessages(this, all, all, "");
        }
    }

    /// <summary>How the host runs jobs.</summary>
    public TestJobs Jobs => _options.Jobs;

    /// <summary>
    /// Builds the app's services from <paramref name="configureServices"/> (where the app calls <c>AddSwitchboard()</c>,
    /// maps its signals and registers what its handlers need), with the fake clock and the capture, and starts them.
    /// </summary>
    /// <param name="configureServices">The app's registration, e.g. <c>services => services.AddSwitchboard().AddSignalsFrom(typeof(ChatSignals).Assembly)</c>.</param>
    /// <param name="configure">The host's options: jobs inline or stepped, the clock's start, Switchboard's options.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    public static async Task<SwitchboardTestHost> StartAsync(
        Action<IServiceCollection> configureServices, Action<SwitchboardTestHostOptions>? configure = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(configureServices);
        var options = new SwitchboardTestHostOptions();
        configure?.Invoke(options);
        var time = new FakeTimeProvider(options.StartTime);
        var capture = new MessageCapture(time);
        var tracker = new JobTracker(time);
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        configureServices(builder.Services);
        // The app's clock is the fake one, whatever the registration chose.
        builder.Services.RemoveAll<TimeProvider>();
        builder.Services.AddSingleton<TimeProvider>(time);
        ServiceDecoration.Decorate<IBroker>(builder.Services, (_, broker) => new RecordingBroker(broker, capture));
        ServiceDecoration.Decorate<IJobQueue>(builder.Services, (_, queue) => new TrackingJobQueue(queue, tracker));
        builder.Services.PostConfigure<SwitchboardOptions>(o =>
        {
            options.Switchboard?.Invoke(o);
            if (options.Jobs == TestJobs.Stepped)
            {
                o.Workers.Enabled = false;
            }
        });
        builder.ConfigureContainer(new DefaultServiceProviderFactory(new ServiceProviderOptions { ValidateScopes = true }));
        var host = new SwitchboardTestHost(builder.Build(), options, time, capture, tracker);
        if (options.StartHostedServices)
        {
            try
            {
                await host._host.StartAsync(cancellationToken);
                host._started = true;
            }
            catch
            {
                await host.DisposeAsync();
                throw;
            }
        }
        return host;
    }

    /// <summary>
    /// Waits for the first message (already sent or still to come) of <paramref name="signal"/> whose opts match
    /// <paramref name="opts"/>, at most <see cref="SwitchboardTestHostOptions.Timeout"/>; for work the host does not
    /// track (a hosted service of the app, a timer). Jobs: <see cref="WhenIdleAsync"/>.
    /// </summary>
    /// <exception cref="SwitchboardAssertionException">Nothing matching was sent in time.</exception>
    public async Task<SentMessage> WaitForSentAsync(string signal, Func<System.Text.Json.JsonElement, bool>? opts = null, CancellationToken cancellationToken = default)
    {
        var wait = _capture.FirstAsync(m => m.Signal == signal && (opts is null || opts(m.Opts)));
        try
        {
            return await wait.WaitAsync(_options.Timeout, cancellationToken);
        }
        catch (TimeoutException)
        {
            _capture.Forget(wait);
            throw new SwitchboardAssertionException(
                $"Expected '{signal}'{(opts is null ? "" : " with matching opts")} to be sent within {_options.Timeout.TotalSeconds} s; it was not.{Environment.NewLine}{Sent}");
        }
    }

    /// <summary>Forgets the messages captured so far (a test's set-up calls, say): <see cref="Sent"/> starts empty again.</summary>
    public void ClearSent() => _capture.Clear();

    /// <summary>Stops the app's hosted services (workers included) and disposes its services.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }
        try
        {
            if (_started)
            {
                using var timeout = new CancellationTokenSource(_options.Timeout);
                await _host.StopAsync(timeout.Token);
            }
        }
        finally
        {
            if (_host is IAsyncDisposable asyncDisposable)
            {
                await asyncDisposable.DisposeAsync();
            }
            else
            {
                _host.Dispose();
            }
        }
    }

    /// <summary>The app's job queue as the host sees it (tracked): for Switchboard's unit tests, which take jobs themselves.</summary>
    internal IJobQueue TrackedJobs => Services.GetRequiredService<IJobQueue>();

    /// <summary>The queue the app registered, under the tracking (Switchboard's unit tests inspect the in-memory one).</summary>
    internal IJobQueue AppJobs => ((TrackingJobQueue)TrackedJobs).Inner;

    /// <summary>Every message captured so far, and a wait for one to come (Switchboard's unit tests).</summary>
    internal IReadOnlyList<SentMessage> Captured => _capture.Snapshot();

    internal async Task<SentMessage> WaitForCapturedAsync(Func<SentMessage, bool> match, string description)
    {
        var wait = _capture.FirstAsync(match);
        try
        {
            return await wait.WaitAsync(_options.Timeout);
        }
        catch (TimeoutException)
        {
            _capture.Forget(wait);
            throw new TimeoutException($"Expected {description} within {_options.Timeout.TotalSeconds} s.{Environment.NewLine}{Sent}");
        }
    }

    /// <summary>The topic keys <paramref name="window"/> receives: its defaults, and the topics it was opened with.</summary>
    internal HashSet<string> TopicsOf(WindowInfo window)
    {
        var topics = new HashSet<string>(Services.GetRequiredService<TopicKeys>().Of(window).ToList(), StringComparer.Ordinal);
        if (window.WindowKey is { } key && _windows.TryGetValue(key, out var known))
        {
            topics.UnionWith(known.Topics);
        }
        return topics;
    }

    internal string UserTopic(string userId)
    {
        ArgumentException.ThrowIfNullOrEmpty(userId);
        return TopicKey(Destination.User, new WindowInfo { WindowKey = "-", UserId = userId, IsAuthenticated = true })!;
    }

    internal string? TopicKey(object topic, WindowInfo? window) => Services.GetRequiredService<ITopicSerializer>().Serialize(window, topic);

    /// <summary>A window for failure messages: its user (or anonymous) and the start of its key.</summary>
    internal static string Describe(WindowInfo window) =>
        $"{window.WindowKey?[..Math.Min(8, window.WindowKey.Length)] ?? "(no key)"}… ({window.UserName ?? "anonymous"})";

    internal string DescribeWindows() => string.Join(Environment.NewLine, _windows.Values
        .OrderBy(w => w.Order)
        .Select(w => $"Window {Describe(w.Window)}: topics {string.Join(", ", TopicsOf(w.Window).Order(StringComparer.Ordinal))}"));

    private sealed record TestWindowTopics(WindowInfo Window, IReadOnlyList<string> Topics, int Order);
}
