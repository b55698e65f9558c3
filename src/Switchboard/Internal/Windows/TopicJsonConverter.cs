using System.Text.Json;
using System.Text.Json.Serialization;

namespace Switchboard.Internal.Windows;

/// <summary>Writes one type of a topic's JSON the canonical way (<see cref="TopicJsonConverterFactory"/>); topics are never read.</summary>
internal sealed class TopicJsonConverter<T>(Action<Utf8JsonWriter, object, JsonSerializerOptions> write) : JsonConverter<T>
{
    public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        throw new NotSupportedException("Topic keys are written, never read.");

    public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) => write(writer, value!, options);
}
