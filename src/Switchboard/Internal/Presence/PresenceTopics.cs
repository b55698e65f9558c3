using Microsoft.Extensions.Options;
using Switchboard.Internal.Windows;

namespace Switchboard.Internal.Presence;

/// <summary>
/// Which topic keys have presence (<see cref="PresenceOptions.Topics"/> and <see cref="PresenceOptions.Predicate"/>). A
/// string topic's value is read from its key by the shape the registered serializer writes strings in (prefix + value +
/// suffix, learned from the serializer: <see cref="TopicKeys.TryStringValue"/>); a window's own topic never gets here
/// (the topic registry knows it from the window, see <c>LocalTopicRegistry</c>).
/// </summary>
internal sealed class PresenceTopics(IOptions<SwitchboardOptions> options, TopicKeys keys)
{
    /// <summary>The reserved topic that counts a window's sockets for the lifecycle signals; never a real topic key.</summary>
    public const string LifecyclePrefix = "~window.";

    /// <summary>Where the built-in keys and string topics' shape come from.</summary>
    public TopicKeys Keys => keys;

    /// <summary>Whether any topic can have presence: otherwise nothing is tracked.</summary>
    public bool Any => options.Value.Presence is { } p && (p.Topics.Count > 0 || p.Predicate is not null);

    /// <summary>The startup check: patterns need a serializer whose string keys hold the string's value.</summary>
    public void Validate()
    {
        if (options.Value.Presence.Topics.Count > 0 && !keys.StringsHaveShape)
        {
            throw new InvalidOperationException(
                $"Presence.Topics patterns match the value of string topics, but the topic serializer {keys.SerializerName} does not write a string " +
                "topic as a fixed prefix + the string + a fixed suffix; choose the topics with presence with Presence.Predicate (it gets the key).");
        }
    }

    public bool IsEnabled(string topic)
    {
        var presence = options.Value.Presence;
        if (topic.StartsWith(LifecyclePrefix, StringComparison.Ordinal))
        {
            return false;
        }
        if (presence.Topics.Count > 0 && keys.TryStringValue(topic, out var range))
        {
            var value = topic.AsSpan()[range];
            foreach (var pattern in presence.Topics)
            {
                if (Matches(value, pattern))
                {
                    return true;
                }
            }
        }
        return presence.Predicate?.Invoke(topic) == true;
    }

    /// <summary>What browsers see of a topic key: a string topic's value, else the key.</summary>
    public string Display(string topic) => keys.TryStringValue(topic, out var range) ? topic[range] : topic;

    public static string LifecycleTopic(string windowKey) => LifecyclePrefix + windowKey;

    public static bool IsLifecycle(string topic) => topic.StartsWith(LifecyclePrefix, StringComparison.Ordinal);

    /// <summary>Glob match where <c>*</c> is any run of characters (greedy with backtracking to the last star).</summary>
    internal static bool Matches(ReadOnlySpan<char> text, ReadOnlySpan<char> pattern)
    {
        int t = 0, p = 0, star = -1, mark = 0;
        while (t < text.Length)
        {
            if (p < pattern.Length && pattern[p] == '*')
            {
                star = p++;
                mark = t;
            }
            else if (p < pattern.Length && pattern[p] == text[t])
            {
                p++;
                t++;
            }
            else if (star >= 0)
            {
                p = star + 1;
                t = ++mark;
            }
            else
            {
                return false;
            }
        }
        while (p < pattern.Length && pattern[p] == '*')
        {
            p++;
        }
        return p == pattern.Length;
    }
}
