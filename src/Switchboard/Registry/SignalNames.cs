using System.Text.RegularExpressions;

namespace Switchboard.Registry;

/// <summary>The one place that decides what a valid signal name is.</summary>
internal static partial class SignalNames
{
    public const string Pattern = @"^[_a-zA-Z]\w*(\.[_a-zA-Z]\w*)*$";

    // ECMAScript: \w is ASCII only, exactly as in the browser, so both sides accept the same names.
    [GeneratedRegex(Pattern, RegexOptions.ECMAScript, matchTimeoutMilliseconds: 100)]
    private static partial Regex NameRegex();

    public static bool IsValid(string? name) =>
        !string.IsNullOrEmpty(name) && name.Length <= 256 && NameRegex().IsMatch(name) && !name.Contains('\n', StringComparison.Ordinal);

    public static void ThrowIfInvalid(string? name, string paramName)
    {
        if (!IsValid(name))
        {
            throw new ArgumentException($"Invalid signal name '{name}': it must match {Pattern} (at most 256 characters).", paramName);
        }
    }
}
