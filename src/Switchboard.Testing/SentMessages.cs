using System.Collections;
using System.Text;
using System.Text.Json;

namespace Switchboard.Testing;

/// <summary>
/// Browser messages a <see cref="SwitchboardTestHost"/> captured (<see cref="SwitchboardTestHost.Sent"/>), in the order
/// published: a snapshot, narrowed by address (<see cref="To"/>, <see cref="ToUser"/>, <see cref="ToTopic"/>,
/// <see cref="ToBroadcast"/>) and signal (<see cref="OfSignal"/>), with assertions that throw
/// <see cref="SwitchboardAssertionException"/> listing what was sent instead.
/// </summary>
public sealed class SentMessages : IReadOnlyList<SentMessage>
{
    private readonly SwitchboardTestHost _host;
    private readonly IReadOnlyList<SentMessage> _all;
    private readonly IReadOnlyList<SentMessage> _items;

    internal SentMessages(SwitchboardTestHost host, IReadOnlyList<SentMessage> all, IReadOnlyList<SentMessage> items, string description)
    {
        _host = host;
        _all = all;
        _items = items;
        Description = description;
    }

    /// <summary>What this view holds, in words ("sent to window … of signal …"), as failure messages say it.</summary>
    public string Description { get; }

    /// <inheritdoc />
    public int Count => _items.Count;

    /// <inheritdoc />
    public SentMessage this[int index] => _items[index];

    /// <summary>
    /// What <paramref name="window"/> receives, as a browser window would: messages to its window, its user (signed in),
    /// everyone (<see cref="Destination.Broadcast"/>), and the topics it was opened with (<see cref="SwitchboardTestHost.NewWindow(string?, IEnumerable{string}?, IEnumerable{string}?, IEnumerable{object}?, IReadOnlyDictionary{string, object?}?)"/>).
    /// </summary>
    public SentMessages To(WindowInfo window)
    {
        ArgumentNullException.ThrowIfNull(window);
        var topics = _host.TopicsOf(window);
        return Narrow(m => m.Topics.Any(topics.Contains), $"to window {SwitchboardTestHost.Describe(window)}");
    }

    /// <summary>Messages to the windows of the user with id <paramref name="userId"/> (<see cref="Destination.User"/>).</summary>
    public SentMessages ToUser(string userId)
    {
        var topic = _host.UserTopic(userId);
        return Narrow(m => m.Topics.Contains(topic), $"to user '{userId}'");
    }

    /// <summary>
    /// Messages to <paramref name="topic"/> (any topic value: a string, an entity, <see cref="Destination.Window"/> with
    /// <paramref name="window"/>…), serialized by the app's <see cref="ITopicSerializer"/> as the dispatcher does.
    /// </summary>
    public SentMessages ToTopic(object topic, WindowInfo? window = null)
    {
        var key = _host.TopicKey(topic, window)
            ?? throw new ArgumentException($"The topic {topic} addresses nobody (a WINDOW or USER without a window or user?).", nameof(topic));
        return Narrow(m => m.Topics.Contains(key), $"to topic {key}");
    }

    /// <summary>Messages to everyone (<see cref="Destination.Broadcast"/>).</summary>
    public SentMessages ToBroadcast()
    {
        var key = _host.TopicKey(Destination.Broadcast, null)!;
        return Narrow(m => m.Topics.Contains(key), "to everyone (BROADCAST)");
    }

    /// <summary>Messages of the browser signal <paramref name="signal"/>.</summary>
    public SentMessages OfSignal(string signal) => Narrow(m => m.Signal == signal, $"of signal '{signal}'");

    /// <summary>The <c>error</c> frames: handlers that failed or could not bind their arguments, reported to the calling window.</summary>
    public SentMessages Errors => Narrow(m => m.Type == "error", "of type error");

    /// <summary>Messages that match <paramref name="match"/>, described as <paramref name="description"/> in failure messages.</summary>
    public SentMessages Matching(Func<SentMessage, bool> match, string description) => Narrow(match, description);

    /// <summary>The one message of <paramref name="signal"/> in this view; throws when there is none or more than one.</summary>
    /// <exception cref="SwitchboardAssertionException">Not exactly one.</exception>
    public SentMessage Single(string signal) => OfSignal(signal).Single();

    /// <summary>The one message of this view; throws when there is none or more than one.</summary>
    /// <exception cref="SwitchboardAssertionException">Not exactly one.</exception>
    public SentMessage Single() =>
        _items.Count == 1 ? _items[0] : throw Failure($"Expected exactly one message{Scope}; found {_items.Count}.");

    /// <summary>
    /// The first message of <paramref name="signal"/> in this view whose opts match <paramref name="opts"/> (any when
    /// null); throws when there is none.
    /// </summary>
    /// <exception cref="SwitchboardAssertionException">Nothing matches.</exception>
    public SentMessage AssertSent(string signal, Func<JsonElement, bool>? opts = null)
    {
        foreach (var message in _items)
        {
            if (message.Signal == signal && (opts is null || opts(message.Opts)))
            {
                return message;
            }
        }
        throw Failure($"Expected '{signal}'{(opts is null ? "" : " with matching opts")}{Scope}; it was not sent.");
    }

    /// <summary>Throws when this view holds a message of <paramref name="signal"/>.</summary>
    /// <exception cref="SwitchboardAssertionException">One was sent.</exception>
    public void AssertNotSent(string signal)
    {
        if (_items.Any(m => m.Signal == signal))
        {
            throw Failure($"Expected no '{signal}'{Scope}; it was sent.");
        }
    }

    /// <summary>Throws when this view holds any message.</summary>
    /// <exception cref="SwitchboardAssertionException">Something was sent.</exception>
    public void AssertNothingSent()
    {
        if (_items.Count > 0)
        {
            throw Failure($"Expected nothing sent{Scope}; found {_items.Count}.");
        }
    }

    /// <inheritdoc />
    public IEnumerator<SentMessage> GetEnumerator() => _items.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>The description and one line per message.</summary>
    public override string ToString() => List($"Sent{Scope}", _items);

    private string Scope => Description.Length == 0 ? "" : " " + Description;

    private SentMessages Narrow(Func<SentMessage, bool> match, string description) =>
        new(_host, _all, [.. _items.Where(match)], Description.Length == 0 ? description : Description + " " + description);

    private SwitchboardAssertionException Failure(string expected)
    {
        var text = new StringBuilder(expected).AppendLine();
        if (_items.Count != _all.Count)
        {
            text.AppendLine(List($"Sent{Scope}", _items));
        }
        text.Append(List("Everything sent", _all));
        if (_host.DescribeWindows() is { Length: > 0 } windows)
        {
            text.AppendLine().Append(windows);
        }
        return new SwitchboardAssertionException(text.ToString());
    }

    private static string List(string title, IReadOnlyList<SentMessage> messages)
    {
        var text = new StringBuilder(title).Append(" (").Append(messages.Count).Append(')').Append(messages.Count == 0 ? ": nothing" : ":");
        foreach (var message in messages)
        {
            text.AppendLine().Append("  ").Append(message);
        }
        return text.ToString();
    }
}
