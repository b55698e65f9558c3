using System.Text.Json;

namespace Switchboard.Redis.Internal;

/// <summary>The Redis format of a job: its JSON (property names fixed by <see cref="SignalJob"/>'s attributes).</summary>
internal static class RedisJobSerializer
{
    private static readonly JsonSerializerOptions Options = new() { WriteIndented = false };

    public static string Serialize(SignalJob job) => JsonSerializer.Serialize(job, Options);

    public static SignalJob? Deserialize(string json)
    {
        try
        {
            return JsonSerializer.Deserialize<SignalJob>(json, Options);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
