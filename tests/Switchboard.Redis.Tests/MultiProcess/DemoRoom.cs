using System.Text.Encodings.Web;
using System.Text.Json;

namespace Switchboard.Redis.Tests.MultiProcess;

/// <summary>
/// The topic key of the demo's chat room NAME (<c>/chat/NAME</c>) with the default serializer: a record,
/// <c>Switchboard.Demo.ChatRoom</c>, so its type and canonical JSON. Written out here, not computed by the serializer, so
/// the expected format is pinned in one place (linked into the chaos tests too).
/// </summary>
internal static class DemoRoom
{
    // As the default serializer writes JSON strings: only what JSON requires is escaped.
    private static readonly JsonSerializerOptions Json = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary><c>-obj.Switchboard.Demo.ChatRoom{"Name":"lobby"}</c> for <c>lobby</c>.</summary>
    public static string Key(string name) => "-obj.Switchboard.Demo.ChatRoom{\"Name\":" + JsonSerializer.Serialize(name, Json) + "}";
}
