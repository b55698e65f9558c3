using System.Text.RegularExpressions;

namespace Switchboard.Internal.Registry;

/// <summary>The one place that decides what a valid signal name is.</summary>
internal static partial class SignalNames
{
    public const string Pattern = @"^[_a-zA-Z]\w*(\.[_a-zA-Z]\w*)*$";

    // ECMAScript: \w is ASCII only, exactly as in the browser, so both sides accept the same names.
    [GeneratedRegex(Pattern, RegexOptions.ECMAScript, matchTimeoutMilliseconds: 100)]
    private static partial Regex NameRegex();

    /// <summary>Names already found valid: the same few names are checked on every call (at most 4,096 kept).</summary>
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, byte> Valid = new(StringComparer.Ordinal);

    public static bool IsValid(string? name)
    {
        if (name is not null && Valid.ContainsKey(name))
        {
            return true;
        }
        if (string.IsNullOrEmpty(name) || name.Length > 256 || !NameRegex().IsMatch(name) || name.Contains('\n', StringComparison.Ordinal))
        {
            return false;
        }
        if (Valid.Count < 4096)
        {
            Valid.TryAdd(name, 0);
        }
        return true;
    }

    public static void ThrowIfInvalid(string? name, string paramName)
    {
        if (!IsValid(name))
        {
            throw new ArgumentException($"Invalid signal name '{name}': it must match {Pattern} (at most 256 characters).", paramName);
        }
    }
}
