namespace Switchboard;

/// <summary>
/// Switchboard's options, bound from the configuration section given to <c>AddSwitchboard</c> (usually
/// <c>Switchboard</c>) and validated at startup.
/// </summary>
public sealed class SwitchboardOptions
{
    /// <summary>Path prefix of the WebSocket endpoint and of the client script. <value>The default is <c>/switchboard</c>.</value></summary>
    public string PathPrefix { get; set; } = "/switchboard";

    /// <summary>The queue of handlers that name none. <value>The default is <c>default</c>.</value></summary>
    public string DefaultQueue { get; set; } = "default";

    /// <summary>How long a window's topic list is kept after the page was rendered. <value>The default is 10 hours.</value></summary>
    public TimeSpan TopicsTimeToLive { get; set; } = TimeSpan.FromHours(10);

    /// <summary>How long a page's window token stays valid for (re)connecting. <value>The default is 10 hours.</value></summary>
    public TimeSpan WindowTokenLifetime { get; set; } = TimeSpan.FromHours(10);

    /// <summary>
    /// Largest JSON object of a window's extensions (<see cref="WindowInfo.Extensions"/>, set by <see cref="IWindowInfoExtension"/>s),
    /// in UTF-8 bytes; setting more throws at render time, naming the extension and the field. They are signed into the window
    /// token, so at most 2048. <value>The default is 1024.</value>
    /// </summary>
    public int MaxWindowExtensionsBytes { get; set; } = 1024;

    /// <summary>Largest WebSocket frame accepted from a browser, in bytes; larger frames close the socket with 1009. <value>The default is 65536.</value></summary>
    public int MaxFrameBytes { get; set; } = 64 * 1024;

    /// <summary>Largest <c>opts</c> object of a browser call, in bytes of JSON. <value>The default is 32768.</value></summary>
    public int MaxKwargsBytes { get; set; } = 32 * 1024;

    /// <summary>Frames waiting to be sent to one window; a window that lets it fill up is disconnected. <value>The default is 1024.</value></summary>
    public int SendQueueCapacity { get; set; } = 1024;

    /// <summary>Time a new WebSocket has to send its <c>connect</c> frame. <value>The default is 10 seconds.</value></summary>
    public TimeSpan HandshakeTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Interval at which clients send a heartbeat when otherwise silent. <value>The default is 25 seconds.</value></summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(25);

    /// <summary>A window silent for this long is closed with 4100 (it reconnects). <value>The default is 60 seconds.</value></summary>
    public TimeSpan ClientTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Origins (scheme://host[:port]) allowed to open the WebSocket besides the request's own host. <c>*</c> allows any.
    /// <value>The default is empty: same origin only (and clients that send no Origin).</value>
    /// </summary>
    public IList<string> AllowedOrigins { get; set; } = [];

    /// <summary>Role that makes a user staff (<see cref="IsStaff"/>). <value>The default is <c>staff</c>.</value></summary>
    public string StaffRole { get; set; } = "staff";

    /// <summary>Role that makes a user superuser (<see cref="IsSuperuser"/>). <value>The default is <c>superuser</c>.</value></summary>
    public string SuperuserRole { get; set; } = "superuser";

    /// <summary>Claim type holding the user's permissions (<see cref="HasPermission"/>). <value>The default is <c>permission</c>.</value></summary>
    public string PermissionClaimType { get; set; } = "permission";

    /// <summary>Send exception messages of failing handlers to the calling window. <value>The default is false.</value></summary>
    public bool DetailedErrors { get; set; }

    /// <summary>
    /// Send SERVER calls of signals this process has no handler for to <see cref="DefaultQueue"/>, where a worker that
    /// has the handlers routes them to their queues (a console emitter need not register handlers). The Redis backend
    /// turns it on; in one process an unknown signal is only logged. <value>The default is false.</value>
    /// </summary>
    public bool RouteUnknownServerSignals { get; set; }

    /// <summary>Retries of failing handlers.</summary>
    public RetryOptions Retry { get; set; } = new();

    /// <summary>Per-topic history for replay after reconnects and gaps.</summary>
    public HistoryOptions History { get; set; } = new();

    /// <summary>Per-window rate limit of browser calls.</summary>
    public CallRateLimitOptions CallRateLimit { get; set; } = new();

    /// <summary>Most topics one page may choose with <c>SetWebSocketTopics</c>, or have after <c>IWindowControl.SubscribeAsync</c> (besides WINDOW, BROADCAST and USER). <value>The default is 64.</value></summary>
    public int MaxTopicsPerWindow { get; set; } = 64;

    /// <summary>
    /// Most windows (WebSockets) this node serves; past it new WebSockets get HTTP 503 with Retry-After. Null derives it from
    /// the process's open-file limit (80% of it), so the node never dies for lack of file handles.
    /// <value>The default is null (derived; unlimited where the limit cannot be read).</value>
    /// </summary>
    public int? MaxWindows { get; set; }

    /// <summary>
    /// Set Kestrel's <c>MaxConcurrentConnections</c> and <c>MaxConcurrentUpgradedConnections</c> to 90% of the process's
    /// open-file limit (each only when the application left it unset), so a node refuses connections instead of running
    /// out of file handles. Off, Switchboard leaves Kestrel as the application configured it and logs the limits in
    /// effect once at startup. <value>The default is false.</value>
    /// </summary>
    public bool LimitKestrelConnections { get; set; }

    /// <summary>Server-side workers of this process.</summary>
    public WorkerOptions Workers { get; set; } = new();

    /// <summary>Presence (who is on a topic) and the lifetime of the entries behind it and behind <see cref="LifecycleSignals"/>.</summary>
    public PresenceOptions Presence { get; set; } = new();

    /// <summary>Thresholds of the Switchboard health checks (docs/operations.md, Health checks).</summary>
    public SwitchboardHealthCheckOptions HealthChecks { get; set; } = new();

    /// <summary>
    /// How old the queue statistics behind the queue gauges and health checks may be before they are read again (once for
    /// all scrapes meanwhile). <value>The default is 5 seconds.</value>
    /// </summary>
    public TimeSpan QueueStatisticsInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>What this process sends to operator dashboards (docs/operations.md, Dashboard).</summary>
    public DashboardFeedOptions DashboardFeed { get; set; } = new();
}
