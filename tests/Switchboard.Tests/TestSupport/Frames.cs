using System.Text.Json.Nodes;
using Switchboard.Specification.Tests;

namespace Switchboard.Tests.TestSupport;

/// <summary>Reads server frames captured by a <see cref="BrokerMessageRecorder"/>.</summary>
internal static class Frames
{
    public static JsonObject Json(this ReceivedMessage message) => JsonNode.Parse(message.Payload)!.AsObject();
}
