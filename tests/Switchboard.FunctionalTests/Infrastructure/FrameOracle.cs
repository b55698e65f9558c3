using System.Text;
using System.Text.Unicode;

namespace Switchboard.FunctionalTests.Infrastructure;

/// <summary>
/// The documented answer to a frame sent on a connected window (protocol.md §2–§5), worked out from the frame alone
/// with <see cref="JsonDocument"/> (not the server's JsonNode-based reader): which direct answer comes back (an error
/// <c>bad_frame</c> or <c>unknown_frame</c>, <c>accepted</c>/<c>refused</c>, <c>pong</c>, <c>resumed</c>) and with
/// which id, or which close code ends the connection.
/// </summary>
internal static class FrameOracle
{
    /// <summary>The kinds of direct answer.</summary>
    public const string BadFrame = "error:bad_frame";
    public const string UnknownFrame = "error:unknown_frame";
    public const string CallAnswer = "accepted|refused";
    public const string Pong = "pong";
    public const string Resumed = "resumed";

    private static readonly JsonDocumentOptions Options = new() { MaxDepth = 64, AllowDuplicateProperties = false };

    /// <summary>The kind of a received frame when it is a direct answer to a client frame, else null.</summary>
    public static string? AnswerKind(JsonElement frame) => frame.Type() switch
    {
        "pong" => Pong,
        "resumed" => Resumed,
        "accepted" or "refused" => CallAnswer,
        "error" when frame.Str("code") == "bad_frame" => BadFrame,
        "error" when frame.Str("code") == "unknown_frame" => UnknownFrame,
        _ => null,
    };

    /// <summary>The connection ended without a close frame (protocol.md §5: a lost connection means reconnect).</summary>
    public const int Lost = 0;

    /// <summary>
    /// The close a frame causes on a connected window (1009 past <paramref name="maxFrameBytes"/>, 1007 for text that
    /// is not UTF-8), or null when the frame gets a direct answer.
    /// </summary>
    public static int? Close(byte[] text, int maxFrameBytes) =>
        text.Length > maxFrameBytes ? 1009 : !Utf8.IsValid(text) ? 1007 : null;

    /// <summary>
    /// Whether an outcome is the expected one. Text that is not UTF-8 is refused by ASP.NET Core's WebSocket before
    /// Switchboard sees it: it sends 1007 and aborts the socket, so the client gets the 1007 or only the lost connection.
    /// </summary>
    public static bool Matches(int? expected, int? actual) => actual == expected || (expected == 1007 && actual == Lost);

    /// <summary>The direct answer a text frame (valid UTF-8, within the size limit) gets, and the id it carries.</summary>
    public static (string Kind, long? Id) Expect(byte[] text)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(text, Options);
            ReadAllStrings(document.RootElement);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or ArgumentException)
        {
            return (BadFrame, null);
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return (BadFrame, null);
            }
            long? id = null;
            if (root.TryGetProperty("id", out var idElement) && idElement.ValueKind != JsonValueKind.Null)
            {
                if (idElement.ValueKind == JsonValueKind.Number && idElement.TryGetInt64(out var parsed) && parsed >= 1)
                {
                    id = parsed;
                }
                else
                {
                    return (BadFrame, null);
                }
            }
            if (!root.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String)
            {
                return (BadFrame, id);
            }
            switch (type.GetString())
            {
                case "call":
                    var opts = root.TryGetProperty("opts", out var o) ? o.ValueKind : JsonValueKind.Null;
                    return id is null ? (BadFrame, null)
                        : !root.TryGetProperty("signal", out var signal) || signal.ValueKind != JsonValueKind.String ? (BadFrame, id)
                        : opts is not (JsonValueKind.Null or JsonValueKind.Object) ? (BadFrame, id)
                        : (CallAnswer, id);
                case "connect":
                    // Valid or not, a second connect is a bad frame.
                    return (BadFrame, id);
                case "resume":
                    return id is not null && root.TryGetProperty("pos", out var pos) && pos.ValueKind != JsonValueKind.Null && ArePositions(pos)
                        ? (Resumed, id)
                        : (BadFrame, id);
                case "ping":
                    return (Pong, null);
                default:
                    return (UnknownFrame, id);
            }
        }
    }

    /// <summary>
    /// The outcome of a first frame (protocol.md §1, §5): null for <c>hello</c>, else the close code — 4008 when it is not
    /// a valid <c>connect</c>, 4002 for another version, 4001 for another token (1009 or 1007 as on a connected
    /// window).
    /// </summary>
    public static int? ExpectFirst(byte[] text, int maxFrameBytes, string token)
    {
        if (Close(text, maxFrameBytes) is { } close)
        {
            return close;
        }
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(text, Options);
            ReadAllStrings(document.RootElement);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or ArgumentException)
        {
            return 4008;
        }
        using var _ = document;
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            return 4008;
        }
        if (root.TryGetProperty("id", out var id) && id.ValueKind != JsonValueKind.Null
            && !(id.ValueKind == JsonValueKind.Number && id.TryGetInt64(out var n) && n >= 1))
        {
            return 4008;
        }
        if (!root.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String || type.GetString() != "connect")
        {
            // A bad frame of another kind (or no type at all).
            return 4008;
        }
        if (root.TryGetProperty("resume", out var resume) && resume.ValueKind != JsonValueKind.Null && !ArePositions(resume))
        {
            return 4008;
        }
        if (!root.TryGetProperty("v", out var v) || v.ValueKind != JsonValueKind.Number || !v.TryGetInt32(out var version) || version != 1)
        {
            return 4002;
        }
        // The token is base64url, whose decoding skips white space: the same token with spaces is the same token.
        return root.TryGetProperty("token", out var t) && t.ValueKind == JsonValueKind.String
            && string.Concat(t.GetString()!.Where(c => !char.IsWhiteSpace(c))) == token ? null : 4001;
    }

    /// <summary>Whether a <c>resume</c>/<c>pos</c> value maps topic ids to <c>[seq ≥ 0, "epoch"]</c> (protocol.md §2).</summary>
    public static bool ArePositions(JsonElement positions)
    {
        if (positions.ValueKind != JsonValueKind.Object || positions.EnumerateObject().Count() > 1024)
        {
            return false;
        }
        foreach (var entry in positions.EnumerateObject())
        {
            var value = entry.Value;
            if (value.ValueKind != JsonValueKind.Array || value.GetArrayLength() != 2
                || value[0].ValueKind != JsonValueKind.Number || !value[0].TryGetInt64(out var seq) || seq < 0
                || value[1].ValueKind != JsonValueKind.String || entry.Name.Length > 64 || value[1].GetString()!.Length > 128)
            {
                return false;
            }
        }
        return true;
    }

    private static void ReadAllStrings(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    _ = property.Name;
                    ReadAllStrings(property.Value);
                }
                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    ReadAllStrings(item);
                }
                break;
            case JsonValueKind.String:
                _ = element.GetString();
                break;
        }
    }

    /// <summary>A frame for messages: its text, shortened.</summary>
    public static string Show(byte[] text)
    {
        var s = Encoding.UTF8.GetString(text);
        return s.Length <= 160 ? s : s[..160] + $"… ({text.Length} bytes)";
    }
}
