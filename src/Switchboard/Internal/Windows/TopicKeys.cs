using System.Security.Claims;

namespace Switchboard.Internal.Windows;

/// <summary>
/// Where Switchboard's own code gets topic keys: every built-in key (BROADCAST, WINDOW, USER) comes from the registered
/// <see cref="ITopicSerializer"/>, so an application that renames them loses nothing. WINDOW's key may depend only on the
/// window key and USER's only on the user id (error reports, <see cref="IWindowControl"/> and other processes know no
/// more); <see cref="Validate"/> checks that and that the built-ins are distinct and non-empty at startup, and
/// <see cref="Of"/> checks each window's keys again as it connects.
/// </summary>
internal sealed class TopicKeys
{
    private const string ProbeKey = "probe-0123456789abcdef";
    private const string OtherProbeKey = "probe-fedcba9876543210";
    private readonly ITopicSerializer _serializer;
    private readonly Lazy<string?> _broadcast;
    private readonly Lazy<(string Prefix, string Suffix)?> _strings;

    public TopicKeys(ITopicSerializer serializer)
    {
        _serializer = serializer;
        _broadcast = new(() => Checked(Serialize(null, Destination.Broadcast), "BROADCAST"));
        _strings = new(ProbeStrings);
    }

    /// <summary>The serializer's type name, for messages.</summary>
    public string SerializerName => _serializer.GetType().FullName ?? _serializer.GetType().Name;

    /// <summary>The BROADCAST key (computed once), or null when the serializer has none.</summary>
    public string? Broadcast => _broadcast.Value;

    /// <summary>The WINDOW key of the window <paramref name="windowKey"/>.</summary>
    public string Window(string windowKey) => Window(WindowInfo.ForKey(windowKey));

    /// <summary>
    /// The WINDOW key of <paramref name="window"/>, which has a window key: the same as from the key alone (checked at
    /// startup), without making a <see cref="WindowInfo"/> for it (a result's or error report's path).
    /// </summary>
    public string Window(WindowInfo window) =>
        Checked(Serialize(window, Destination.Window), "WINDOW")
        ?? throw new InvalidOperationException($"The topic serializer {SerializerName} gives a window no WINDOW topic; Switchboard needs one (results, error reports and IWindowControl go there).");

    /// <summary>The USER key of the user <paramref name="userId"/>, or null when the serializer has none.</summary>
    public string? User(string userId) => Checked(Serialize(SignedIn(null, userId), Destination.User), "USER");

    /// <summary>The built-in keys of <paramref name="window"/>, made once per window; refuses keys that collide.</summary>
    public OwnTopics Of(WindowInfo window)
    {
        ArgumentNullException.ThrowIfNull(window);
        var own = new OwnTopics(
            Broadcast,
            window.WindowKey is { Length: > 0 } key ? Window(key) : null,
            window is { IsAuthenticated: true, UserId: { Length: > 0 } id } ? User(id) : null);
        if ((own.Window is not null && (own.Window == own.Broadcast || own.Window == own.User)) || (own.User is not null && own.User == own.Broadcast))
        {
            // No key in the message: it holds a window key or a user id.
            throw new InvalidOperationException($"The topic serializer {SerializerName} gave two of a window's built-in topics (WINDOW, USER, BROADCAST) the same key; each must be distinct.");
        }
        return own;
    }

    /// <summary>
    /// The startup check: WINDOW is required; every built-in key is non-empty and distinct from the others (two windows,
    /// two users, a window key equal to a user id); WINDOW and USER do not depend on the rest of the window.
    /// </summary>
    public void Validate()
    {
        var broadcast = Broadcast;
        List<(string Name, string? Key)> keys =
        [
            ("BROADCAST", broadcast),
            ($"WINDOW of window '{ProbeKey}'", Window(ProbeKey)),
            ($"WINDOW of window '{OtherProbeKey}'", Window(OtherProbeKey)),
            ($"USER of user '{ProbeKey}'", User(ProbeKey)),
            ($"USER of user '{OtherProbeKey}'", User(OtherProbeKey)),
        ];
        for (var i = 0; i < keys.Count; i++)
        {
            for (var j = i + 1; j < keys.Count; j++)
            {
                if (keys[i].Key is { } key && key == keys[j].Key)
                {
                    throw new InvalidOperationException(
                        $"The topic serializer {SerializerName} gives {keys[i].Name} and {keys[j].Name} the same key '{key}': built-in topics must be distinct, or messages reach the wrong windows.");
                }
            }
        }
        // A handler's WindowInfo carries everything; IWindowControl, error reports and other processes only the key or id.
        var full = new WindowInfo
        {
            WindowKey = ProbeKey, UserId = ProbeKey, UserName = "probe", IsAuthenticated = true, IsStaff = true, Roles = ["probe"],
            Permissions = ["probe"], Claims = [new WindowClaim("probe", "probe")], AuthenticationType = "probe", Culture = "fr-FR", UserAgent = "probe",
        };
        Same("BROADCAST", broadcast, Serialize(full, Destination.Broadcast));
        Same("WINDOW", Window(ProbeKey), Serialize(full, Destination.Window));
        Same("USER", User(ProbeKey), Serialize(full, Destination.User));
        CheckPrincipal(User(ProbeKey));
    }

    /// <summary>
    /// A <see cref="ClaimsPrincipal"/> topic means its user's windows: its key must be USER's (a serializer that renames
    /// USER but inherits the default's principal mapping would send those messages nowhere). One it refuses is fine.
    /// </summary>
    private void CheckPrincipal(string? user)
    {
        var principal = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, ProbeKey), new Claim(ClaimTypes.Name, ProbeKey)], "probe"));
        string? key;
        try
        {
            key = _serializer.Serialize(null, principal);
        }
        catch (ArgumentException)
        {
            return;
        }
        if (key != user)
        {
            throw new InvalidOperationException(
                $"The topic serializer {SerializerName} gives a ClaimsPrincipal of user '{ProbeKey}' the key '{key}' but that user's USER topic the key '{user}': " +
                "a principal topic must be its user's USER key (override both, or neither).");
        }
    }

    /// <summary>
    /// Whether <paramref name="key"/> has the shape of a string topic's key (the serializer's prefix + value + suffix,
    /// learned once from the serializer itself) and if so where its value lies; false when the serializer writes
    /// strings some other way (e.g. hashed).
    /// </summary>
    public bool TryStringValue(string key, out Range value)
    {
        value = default;
        if (_strings.Value is not { } shape)
        {
            return false;
        }
        var (prefix, suffix) = shape;
        if (key.Length < prefix.Length + suffix.Length || !key.StartsWith(prefix, StringComparison.Ordinal) || !key.EndsWith(suffix, StringComparison.Ordinal))
        {
            return false;
        }
        value = prefix.Length..(key.Length - suffix.Length);
        return true;
    }

    /// <summary>Whether string topics' keys are their value between a fixed prefix and suffix (see <see cref="TryStringValue"/>).</summary>
    public bool StringsHaveShape => _strings.Value is not null;

    private static WindowInfo SignedIn(string? windowKey, string userId) => new() { WindowKey = windowKey, UserId = userId, IsAuthenticated = true };

    private string? Serialize(WindowInfo? window, object topic)
    {
        try
        {
            return _serializer.Serialize(window, topic);
        }
        catch (Exception e) when (topic is Destination && e is not OutOfMemoryException)
        {
            throw new InvalidOperationException($"The topic serializer {SerializerName} threw for {topic}: {e.Message}", e);
        }
    }

    private string? Checked(string? key, string name) =>
        key is { Length: 0 }
            ? throw new InvalidOperationException($"The topic serializer {SerializerName} returned an empty key for {name}; return a non-empty key, or null for none.")
            : key;

    private void Same(string name, string? expected, string? actual)
    {
        if (expected != actual)
        {
            throw new InvalidOperationException(
                $"The topic serializer {SerializerName} gives {name} a key that depends on more than the window key (WINDOW) or the user id (USER): " +
                $"'{expected}' from the key or id alone, '{actual}' from a whole WindowInfo. IWindowControl, error reports and other processes know only the key or id.");
        }
    }

    /// <summary>Learns how the serializer writes strings: prefix + value + suffix for three probes, else no shape.</summary>
    private (string Prefix, string Suffix)? ProbeStrings()
    {
        const string Probe = "probe:*\u00e9";
        try
        {
            if (_serializer.Serialize(null, Probe) is not { } probed || probed.IndexOf(Probe, StringComparison.Ordinal) is var at && at < 0)
            {
                return null;
            }
            var prefix = probed[..at];
            var suffix = probed[(at + Probe.Length)..];
            return _serializer.Serialize(null, "") == prefix + suffix && _serializer.Serialize(null, "x") == prefix + "x" + suffix
                ? (prefix, suffix)
                : null;
        }
        catch (ArgumentException)
        {
            return null;
        }
    }
}
