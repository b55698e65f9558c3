using System.Globalization;
using System.Security.Claims;
using Switchboard.Internal.Windows;

namespace Switchboard;

/// <summary>
/// The default <see cref="ITopicSerializer"/>. Readable, process-independent keys:
/// <c>-broadcast</c>, <c>-window.{key}</c>, <c>-user.{id}</c>, <c>-str.{text}</c>, <c>-int.{n}</c>,
/// <c>-guid.{g}</c>, <c>-enum.{Type}.{Name}</c>, <c>-topic.{ISignalTopic.TopicKey}</c>,
/// <c>-user.{id}</c> for a <see cref="ClaimsPrincipal"/> and <c>-type.{FullName}</c> for a <see cref="Type"/>.
/// Unlike DjangoFloor, nothing depends on a per-process hash.
/// </summary>
public class DefaultTopicSerializer : ITopicSerializer
{
    /// <summary>The key of the broadcast topic.</summary>
    public const string BroadcastTopic = "-broadcast";

    /// <summary>The key of a window's own topic.</summary>
    public static string WindowTopic(string windowKey) => "-window." + windowKey;

    /// <summary>The key of a user's topic.</summary>
    public static string UserTopic(string userId) => "-user." + userId;

    /// <inheritdoc />
    public virtual string? Serialize(WindowInfo? window, object topic)
    {
        ArgumentNullException.ThrowIfNull(topic);
        return topic switch
        {
            Destination d when d == Destination.Broadcast => BroadcastTopic,
            Destination d when d == Destination.Window => window?.WindowKey is { } key ? WindowTopic(key) : null,
            Destination d when d == Destination.User => window is { IsAuthenticated: true, UserId: { } id } ? UserTopic(id) : null,
            Destination d => throw new ArgumentException($"{d} is not a topic.", nameof(topic)),
            string s => "-str." + s,
            ISignalTopic t => "-topic." + t.TopicKey,
            ClaimsPrincipal p => WindowInfoFactory.UserIdOf(p) is { } id ? UserTopic(id) : null,
            Guid g => "-guid." + g.ToString("D"),
            Enum e => "-enum." + e.GetType().FullName + "." + e.ToString(),
            bool b => b ? "-bool.1" : "-bool.0",
            sbyte or byte or short or ushort or int or uint or long or ulong =>
                "-int." + Convert.ToString(topic, CultureInfo.InvariantCulture),
            Type t => "-type." + t.FullName,
            _ => throw new ArgumentException(
                $"Cannot serialize a topic of type {topic.GetType().FullName}: pass a string, a number, a Guid, an enum, " +
                $"a ClaimsPrincipal, a Destination, an {nameof(ISignalTopic)}, or register your own {nameof(ITopicSerializer)}.",
                nameof(topic)),
        };
    }
}
