using System.Text.Json.Nodes;

namespace Switchboard.Protocol;

/// <summary>A parsed browser frame; <see cref="ErrorCode"/> is set when the frame is invalid.</summary>
internal readonly record struct ClientFrame(
    string? Type,
    long? Id,
    string? Signal,
    JsonObject? Opts,
    int OptsBytes,
    int? Version,
    string? Token,
    string? ErrorCode,
    string? ErrorMessage)
{
    /// <summary>Topic positions of a <c>connect.resume</c> or a <c>resume</c> frame, keyed by topic id.</summary>
    public IReadOnlyDictionary<string, TopicPosition>? Positions { get; init; }

    public static ClientFrame Invalid(string message, long? id = null) =>
        new(null, id, null, null, 0, null, null, ProtocolNames.ErrorCodes.BadFrame, message);
}
