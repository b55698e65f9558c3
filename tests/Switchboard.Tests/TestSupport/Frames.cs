using System.Text.Json.Nodes;
using Switchboard.Specification.Tests;

namespace Switchboard.Tests.TestSupport;

/// <summary>Reads server frames captured by a <see cref="BrokerMessageRecorder"/>.</summary>
internal static class Frames
{
    /// <summary>The frame a body makes (the broker carries frame members without braces).</summary>
    public static JsonObject Json(this ReceivedMessage message) => JsonNode.Parse("{" + System.Text.Encoding.UTF8.GetString(message.Payload) + "}")!.AsObject();
}
