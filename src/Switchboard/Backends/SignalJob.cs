using System.Text.Json.Serialization;

namespace Switchboard;

/// <summary>
/// A unit of work on a queue: run some server handlers of a signal, or deliver a delayed signal to browser topics.
/// Jobs are plain data (JSON-serializable) so any <see cref="IJobQueue"/> can carry them between processes.
/// </summary>
public sealed class SignalJob
{
    /// <summary>Unique id of the job.</summary>
    [JsonPropertyName("id")]
    public required string Id { get; init; }

    /// <summary>What the job does.</summary>
    [JsonPropertyName("kind")]
    public SignalJobKind Kind { get; init; }

    /// <summary>The queue the job is on.</summary>
    [JsonPropertyName("queue")]
    public required string Queue { get; init; }

    /// <summary>The signal name.</summary>
    [JsonPropertyName("signal")]
    public required string Signal { get; init; }

    /// <summary>The calling window (for server jobs), or the window the topics were computed for.</summary>
    [JsonPropertyName("window")]
    public WindowInfo? Window { get; init; }

    /// <summary>The call's keyword arguments as a JSON object text; each handler parses its own copy.</summary>
    [JsonPropertyName("kwargs")]
    public string Kwargs { get; init; } = "{}";

    /// <summary>Ids of the handlers to run (server jobs), fixed when the call was dispatched.</summary>
    [JsonPropertyName("handlers")]
    public IReadOnlyList<string> Handlers { get; init; } = [];

    /// <summary>Whether a browser made the call (errors are then reported to its window).</summary>
    [JsonPropertyName("from_client")]
    public bool FromClient { get; init; }

    /// <summary>The browser's call id, echoed in error frames.</summary>
    [JsonPropertyName("call_id")]
    public long? CallId { get; init; }

    /// <summary>Serialized topics to deliver to (deliver jobs).</summary>
    [JsonPropertyName("topics")]
    public IReadOnlyList<string> Topics { get; init; } = [];

    /// <summary>The signal id shared by every delivery of the call (deliver jobs).</summary>
    [JsonPropertyName("signal_id")]
    public string? SignalId { get; init; }

    /// <summary>When the job was created.</summary>
    [JsonPropertyName("created_at")]
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>The job must not start before this time (countdown / eta).</summary>
    [JsonPropertyName("not_before")]
    public DateTimeOffset? NotBefore { get; init; }

    /// <summary>The job is dropped if it has not started by this time.</summary>
    [JsonPropertyName("expires_at")]
    public DateTimeOffset? ExpiresAt { get; init; }

    /// <summary>
    /// Jobs of one queue with the same ordering key are handed out one at a time, in the order they were enqueued:
    /// the next only once the previous one was completed or dead-lettered (see <see cref="IJobQueue"/>). Browser calls
    /// of ordered signals and functions carry their window's key; null: no order.
    /// </summary>
    [JsonPropertyName("ordering_key")]
    public string? OrderingKey { get; init; }

    /// <summary>The browser invoked a function: the handler's return value (or its error) answers <see cref="CallId"/> on the calling window.</summary>
    [JsonPropertyName("invoke")]
    public bool Invoke { get; init; }

    /// <summary>How many times the job was attempted before.</summary>
    [JsonPropertyName("attempt")]
    public int Attempt { get; init; }

    /// <summary>
    /// The W3C <c>traceparent</c> of the span that queued the job (docs/operations.md, Traces): the worker's span
    /// continues that trace, on any machine. Null when nothing was tracing; jobs queued before this existed have none.
    /// </summary>
    [JsonPropertyName("traceparent")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? TraceParent
    {
        get => _trace?.Parent;
        init => _trace = Trace(value, _trace?.State);
    }

    /// <summary>The W3C <c>tracestate</c> that goes with <see cref="TraceParent"/>, if any.</summary>
    [JsonPropertyName("tracestate")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? TraceState
    {
        get => _trace?.State;
        init => _trace = Trace(_trace?.Parent, value);
    }

    // Both in one field, set only while tracing: a job is allocated per call, and a second field would be 8 bytes more on every one.
    private TraceContext? _trace;

    /// <summary>A copy for another attempt: same id, the given attempt number, due at <paramref name="notBefore"/>,
    /// optionally restricted to some <paramref name="handlers"/> (a retry runs only the handler that failed).</summary>
    public SignalJob WithAttempt(int attempt, DateTimeOffset? notBefore, IReadOnlyList<string>? handlers = null) =>
        Copy(attempt, notBefore, handlers ?? Handlers, _trace);

    /// <summary>A copy carrying a trace context (set when the job is queued).</summary>
    internal SignalJob WithTraceContext(string traceParent, string? traceState) =>
        Copy(Attempt, NotBefore, Handlers, new TraceContext(traceParent, traceState));

    private SignalJob Copy(int attempt, DateTimeOffset? notBefore, IReadOnlyList<string> handlers, TraceContext? trace) => new()
    {
        Id = Id,
        Kind = Kind,
        Queue = Queue,
        Signal = Signal,
        Window = Window,
        Kwargs = Kwargs,
        Handlers = handlers,
        FromClient = FromClient,
        CallId = CallId,
        OrderingKey = OrderingKey,
        Invoke = Invoke,
        Topics = Topics,
        SignalId = SignalId,
        CreatedAt = CreatedAt,
        NotBefore = notBefore,
        ExpiresAt = ExpiresAt,
        Attempt = attempt,
        _trace = trace,
    };

    private static TraceContext? Trace(string? parent, string? state) => parent is null && state is null ? null : new(parent, state);

    private sealed record TraceContext(string? Parent, string? State);
}
