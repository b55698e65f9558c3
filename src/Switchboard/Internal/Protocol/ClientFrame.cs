using System.Text.Json.Nodes;

namespace Switchboard.Internal.Protocol;

/// <summary>
/// A parsed browser frame; <see cref="ErrorCode"/> is set when the frame is invalid. A call's <c>opts</c> is
/// <see cref="OptsJson"/>, the JSON object text as the browser sent it (<c>{}</c> when absent or null), and
/// <see cref="OptsBytes"/> its UTF-8 length.
/// </summary>
internal readonly record struct ClientFrame(
    string? Type,
    long? Id,
    string? Signal,
    string? OptsJson,
    int OptsBytes,
    int? Version,
    string? Token,
    string? ErrorCode,
    string? ErrorMessage)
{
    /// <summary>Topic positions of a <c>connect.resume</c> or a <c>resume</c> frame, keyed by topic id.</summary>
    public IReadOnlyDictionary<string, TopicPosition>? Positions { get; init; }

    /// <summary>A call's <c>opts</c> as a new <see cref="JsonObject"/> (parsed on each use; the server itself keeps the text).</summary>
    public JsonObject? Opts => OptsJson is null ? null : JsonNode.Parse(OptsJson)!.AsObject();

    public static ClientFrame Invalid(string message, long? id = null) =>
        new(null, id, null, null, 0, null, null, ProtocolNames.ErrorCodes.BadFrame, message);
}
