using System.Globalization;
using System.Security.Claims;

namespace Switchboard.Demo;

/// <summary>
/// A serializer written from scratch that names every topic its own way: BROADCAST is <c>everyone</c>, WINDOW
/// <c>w:{key}</c>, USER <c>u:{id}</c>, a string <c>s:{text}</c>, a <see cref="DemoTenant"/> <c>t:{id}</c>, a
/// <see cref="ChatRoom"/> <c>r:{name}</c>, an
/// <see cref="ISignalTopic"/> <c>k:{key}</c> (the dashboard's topics are some), an integer <c>i:{n}</c>, a
/// <see cref="ClaimsPrincipal"/> its user's USER key. Switchboard
/// takes every key from it, its own included.
/// </summary>
public sealed class RenamedTopicSerializer : ITopicSerializer
{
    /// <inheritdoc />
    public string? Serialize(WindowInfo? window, object topic)
    {
        ArgumentNullException.ThrowIfNull(topic);
        return topic switch
        {
            Destination d when d == Destination.Broadcast => "everyone",
            Destination d when d == Destination.Window => window?.WindowKey is { } key ? "w:" + key : null,
            Destination d when d == Destination.User => window is { IsAuthenticated: true, UserId: { } id } ? "u:" + id : null,
            Destination d => throw new ArgumentException($"{d} is not a topic.", nameof(topic)),
            string s => "s:" + s,
            DemoTenant tenant => "t:" + tenant.Id,
            ChatRoom room => "r:" + room.Name,
            // A principal means its user's windows: the same key as USER (the start checks it).
            ClaimsPrincipal user => user.Identity?.IsAuthenticated == true && (user.FindFirstValue(ClaimTypes.NameIdentifier) ?? user.Identity.Name) is { } id
                ? "u:" + id
                : null,
            ISignalTopic t => "k:" + t.TopicKey,
            int or long => "i:" + Convert.ToString(topic, CultureInfo.InvariantCulture),
            _ => throw new ArgumentException($"RenamedTopicSerializer cannot serialize a topic of type {topic.GetType().FullName}.", nameof(topic)),
        };
    }
}
