using System.Text.Json;

namespace Switchboard.Testing;

/// <summary>
/// One browser-bound message a <see cref="SwitchboardTestHost"/> captured as the app published it: a signal for browser
/// handlers (<c>df.connect</c>), or a protocol frame the server sends windows (a handler's <c>error</c>, a function's
/// <c>result</c>). Read it with <see cref="Signal"/>, <see cref="Opts"/> and <see cref="OptsAs{T}"/>.
/// </summary>
public sealed class SentMessage
{
    internal SentMessage(int index, IReadOnlyList<string> topics, JsonElement frame, DateTimeOffset sentAt)
    {
        Index = index;
        Topics = topics;
        Frame = frame;
        SentAt = sentAt;
    }

    /// <summary>Its place in the capture: 0 for the first message the host saw.</summary>
    public int Index { get; }

    /// <summary>The frame type: <c>signal</c>, <c>error</c> or <c>result</c> (docs/protocol.md).</summary>
    public string Type => Frame.Type() ?? "";

    /// <summary>The signal's name, or null for a frame that is not a signal.</summary>
    public string? Signal => Type == "signal" ? Frame.Str("signal") : null;

    /// <summary>The signal's arguments (<c>opts</c>, a JSON object); <c>default</c> for a frame that is not a signal.</summary>
    public JsonElement Opts => Frame.TryGetProperty("opts", out var opts) ? opts : default;

    /// <summary>The id every copy of this call carries (windows de-duplicate by it).</summary>
    public string? SignalId => Frame.Str("signal_id");

    /// <summary>The topic keys it was published to, as the registered <see cref="ITopicSerializer"/> wrote them (<c>-window.…</c>, <c>-user.…</c>, <c>-broadcast</c>, <c>-str.…</c>).</summary>
    public IReadOnlyList<string> Topics { get; }

    /// <summary>The whole frame, as windows receive it (without the <c>pos</c> their node adds).</summary>
    public JsonElement Frame { get; }

    /// <summary>When it was published, on the host's fake clock.</summary>
    public DateTimeOffset SentAt { get; }

    /// <summary><see cref="Opts"/> read as <typeparamref name="T"/> (property names as sent: the app's JSON names).</summary>
    public T OptsAs<T>(JsonSerializerOptions? options = null) =>
        Opts.ValueKind == JsonValueKind.Object
            ? Opts.Deserialize<T>(options ?? JsonSerializerOptions.Web)!
            : throw new InvalidOperationException($"Message {Index} is a '{Type}' frame, not a signal with opts: {Frame.GetRawText()}");

    /// <summary>The signal (or frame type), its opts and its topics: how failure messages list it.</summary>
    public override string ToString() =>
        $"#{Index} {Signal ?? Type} {(Signal is null ? Frame.GetRawText() : Opts.GetRawText())} to {string.Join(", ", Topics)}";
}
