using Microsoft.Extensions.Options;

namespace Switchboard.Internal.Presence;

/// <summary>Which topic keys have presence (<see cref="PresenceOptions.Topics"/> and <see cref="PresenceOptions.Predicate"/>).</summary>
internal sealed class PresenceTopics(IOptions<SwitchboardOptions> options)
{
    private const string StringPrefix = "-str.";
    private const string WindowPrefix = "-window.";

    /// <summary>The reserved topic that counts a window's sockets for the lifecycle signals; never a real topic key.</summary>
    public const string LifecyclePrefix = "~window.";

    /// <summary>Whether any topic can have presence: otherwise nothing is tracked.</summary>
    public bool Any => options.Value.Presence is { } p && (p.Topics.Count > 0 || p.Predicate is not null);

    public bool IsEnabled(string topic)
    {
        var presence = options.Value.Presence;
        if (topic.StartsWith(WindowPrefix, StringComparison.Ordinal) || topic.StartsWith(LifecyclePrefix, StringComparison.Ordinal))
        {
            return false;
        }
        if (topic.StartsWith(StringPrefix, StringComparison.Ordinal))
        {
            var value = topic.AsSpan(StringPrefix.Length);
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
    public static string Display(string topic) =>
        topic.StartsWith(StringPrefix, StringComparison.Ordinal) ? topic[StringPrefix.Length..] : topic;

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
