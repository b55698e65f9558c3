namespace Switchboard;

/// <summary>How a <c>df.notify</c> message is shown.</summary>
public enum NotifyStyle
{
    /// <summary><c>notification</c>: a toast.</summary>
    Notification,

    /// <summary><c>banner</c>: a banner at the top of the page.</summary>
    Banner,

    /// <summary><c>modal</c>: a modal dialog.</summary>
    Modal,

    /// <summary><c>system</c>: the browser's Notification API, with a toast as fallback.</summary>
    System,
}
