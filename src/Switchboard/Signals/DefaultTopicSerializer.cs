using System.Globalization;
using System.Security.Claims;
using Switchboard.Internal.Windows;

namespace Switchboard;

/// <summary>
/// The default <see cref="ITopicSerializer"/>: one readable key per value, the same in every process and on every
/// machine (no hash codes, no current culture, no local time zone). Equal values give equal keys, and equal numbers are
/// equal topics whatever their type.
/// </summary>
/// <remarks>
/// <list type="table">
/// <listheader><term>Value</term><description>Key</description></listheader>
/// <item><term><see cref="Destination.Broadcast"/>, <see cref="Destination.Window"/>, <see cref="Destination.User"/></term>
/// <description><c>-broadcast</c>, <c>-window.{key}</c>, <c>-user.{id}</c> (null when the window or its user is missing)</description></item>
/// <item><term><see cref="string"/>, <see cref="char"/></term><description><c>-str.{text}</c></description></item>
/// <item><term>an integral number of any type (<c>1</c>, <c>1L</c>, <c>1.0</c>, <c>1.0m</c>, <see cref="System.Numerics.BigInteger"/>…)</term>
/// <description><c>-int.{digits}</c></description></item>
/// <item><term>any other finite number</term><description><c>-num.{shortest}</c>: <c>1.50m</c> and <c>1.5</c> give
/// <c>-num.1.5</c>; a <see cref="float"/> is written in its own shortest form, so <c>0.1f</c> and <c>0.1</c> (different
/// values) are one topic. NaN and infinities throw.</description></item>
/// <item><term><see cref="DateTime"/>, <see cref="DateTimeOffset"/></term><description><c>-instant.{ISO 8601 in UTC}</c>
/// (a Local DateTime is converted, an Unspecified one is taken as UTC)</description></item>
/// <item><term><see cref="DateOnly"/>, <see cref="TimeOnly"/>, <see cref="TimeSpan"/></term>
/// <description><c>-date.yyyy-MM-dd</c>, <c>-time.HH:mm:ss.fffffff</c>, <c>-duration.{[-][d.]hh:mm:ss[.fffffff]}</c></description></item>
/// <item><term><see cref="Guid"/>, <see cref="bool"/>, an enum, a <see cref="Type"/></term>
/// <description><c>-guid.{D}</c>, <c>-bool.1</c>/<c>-bool.0</c>, <c>-enum.{Type}.{Name}</c>, <c>-type.{Type}</c></description></item>
/// <item><term><see cref="ISignalTopic"/>, <see cref="ClaimsPrincipal"/></term>
/// <description><c>-topic.{TopicKey}</c>, <c>-user.{id}</c></description></item>
/// <item><term>a record (class or struct), any struct, a class that overrides Equals</term>
/// <description><c>-obj.{Type}{canonical JSON}</c>, e.g. <c>-obj.Shop.Tenant{"Id":1}</c>: properties sorted at every
/// depth, so renaming or moving the type changes the key</description></item>
/// <item><term>an anonymous object, a tuple</term><description><c>-obj.{"Id":1}</c>, <c>-obj.[1,"a"]</c> (no type name:
/// compiler-made names change between builds)</description></item>
/// </list>
/// A class without value semantics, a collection (in <c>to</c>, list the topics themselves) and a record holding either
/// throw an <see cref="ArgumentException"/> naming the type. See docs/choices.md, Topics.
/// <para>To map more values, inherit and fall back on <c>base.Serialize</c>:</para>
/// <code>
/// public sealed class ShopTopics : DefaultTopicSerializer
/// {
///     public override string? Serialize(WindowInfo? window, object topic) =&gt;
///         topic is Tenant t ? "-tenant." + t.Slug : base.Serialize(window, topic);
/// }
/// </code>
/// <para>or wrap an instance (any <see cref="ITopicSerializer"/> can be wrapped the same way):</para>
/// <code>
/// public sealed class ShopTopics(DefaultTopicSerializer inner) : ITopicSerializer
/// {
///     public string? Serialize(WindowInfo? window, object topic) =&gt;
///         topic is Tenant t ? "-tenant." + t.Slug : inner.Serialize(window, topic);
/// }
/// // services.AddSingleton&lt;ITopicSerializer&gt;(new ShopTopics(new DefaultTopicSerializer()));
/// </code>
/// </remarks>
public class DefaultTopicSerializer : ITopicSerializer
{
    /// <summary>The key of the broadcast topic.</summary>
    public const string BroadcastTopic = "-broadcast";

    /// <summary>The key of a window's own topic.</summary>
    public static string WindowTopic(string windowKey) => "-window." + windowKey;

    /// <summary>The key of a user's topic.</summary>
    public static string UserTopic(string userId) => "-user." + userId;

    /// <inheritdoc />
    /// <exception cref="ArgumentException">The value cannot be made a stable key (see the remarks).</exception>
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
            int i => "-int." + i.ToString(CultureInfo.InvariantCulture),
            Guid g => "-guid." + g.ToString("D"),
            ISignalTopic t => "-topic." + t.TopicKey,
            ClaimsPrincipal p => WindowInfoFactory.UserIdOf(p) is { } id ? UserTopic(id) : null,
            // Other numbers, dates, enums, records, tuples…: one key per value, or a clear ArgumentException.
            _ => TopicValues.KeyOf(topic),
        };
    }
}
