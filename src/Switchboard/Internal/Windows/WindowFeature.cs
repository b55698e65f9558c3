using System.Collections.Frozen;
using System.Text.Json;

namespace Switchboard.Internal.Windows;

/// <summary>Per-request window state: the key is created on first use, so requests that never render a page pay nothing.</summary>
internal sealed class WindowFeature
{
    private string? _key;

    public WindowFeature(string? reusedKey = null, FrozenDictionary<string, JsonElement>? signedExtensions = null)
    {
        _key = reusedKey;
        SignedExtensions = signedExtensions;
    }

    public string WindowKey => _key ??= WindowKeys.New();

    /// <summary>The extensions signed into the token of the window this request acts as (X-Switchboard-Window); null for a new window.</summary>
    public FrozenDictionary<string, JsonElement>? SignedExtensions { get; }

    /// <summary>
    /// The request's extensions once computed (<see cref="WindowInfoFactory"/>): the extensions run once per request, so the
    /// page's token and every call made while rendering it carry the same values.
    /// </summary>
    public FrozenDictionary<string, JsonElement>? Extensions { get; set; }

    /// <summary>Topics chosen by the view, still to be written to the topic store.</summary>
    public IReadOnlyList<string>? PendingTopics { get; set; }

    public bool TopicsWriteScheduled { get; set; }
}
