namespace Switchboard.Internal.Windows;

/// <summary>Per-request window state: the key is created on first use, so requests that never render a page pay nothing.</summary>
internal sealed class WindowFeature
{
    private string? _key;

    public WindowFeature(string? reusedKey = null) => _key = reusedKey;

    public string WindowKey => _key ??= WindowKeys.New();

    /// <summary>Topics chosen by the view, still to be written to the topic store.</summary>
    public IReadOnlyList<string>? PendingTopics { get; set; }

    public bool TopicsWriteScheduled { get; set; }
}
