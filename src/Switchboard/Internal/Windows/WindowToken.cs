using System.Collections.Frozen;
using System.Text.Json;

namespace Switchboard.Internal.Windows;

/// <summary>What a valid window token says: the window, its user, when the token expires and the page's extensions.</summary>
internal readonly record struct WindowToken(
    string WindowKey, string? UserId, DateTimeOffset ExpiresAt, FrozenDictionary<string, JsonElement> Extensions);
