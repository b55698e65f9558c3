using System.Text.Json;

namespace Switchboard.Internal.Protocol;

/// <summary>Reads the <c>pos</c> member of a server frame (topic id → [seq, epoch]); empty when it has none.</summary>
internal static class FramePositions
{
    public static List<(string Id, TopicPosition Position)> Read(ReadOnlySpan<byte> frame)
    {
        var result = new List<(string, TopicPosition)>();
        var reader = new Utf8JsonReader(frame);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return result;
        }
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isPos = reader.ValueTextEquals("pos"u8);
            reader.Read();
            if (!isPos)
            {
                reader.Skip();
                continue;
            }
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var id = reader.GetString()!;
                reader.Read(); // [
                reader.Read();
                var seq = reader.GetInt64();
                reader.Read();
                var epoch = reader.GetString()!;
                reader.Read(); // ]
                result.Add((id, new TopicPosition(seq, epoch)));
            }
            break;
        }
        return result;
    }
}
