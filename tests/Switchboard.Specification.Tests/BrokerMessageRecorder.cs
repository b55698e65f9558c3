using System.Text;

namespace Switchboard.Specification.Tests;

/// <summary>A message a broker node delivered to its handler, copied when it arrived (one record per topic of the delivery).</summary>
/// <param name="Topic">The topic it was delivered for.</param>
/// <param name="Payload">A copy of the body bytes.</param>
/// <param name="Position">Its position in <paramref name="Topic"/>.</param>
public sealed record ReceivedMessage(string Topic, byte[] Payload, TopicPosition Position)
{
    /// <summary>The payload read as UTF-8 (test payloads are usually text).</summary>
    public string Text => Encoding.UTF8.GetString(Payload);
}

/// <summary>
/// A <see cref="BrokerMessageHandler"/> that records every delivery and lets a test await the one it expects
/// (with a timeout) instead of sleeping.
/// </summary>
public sealed class BrokerMessageRecorder
{
    private readonly List<ReceivedMessage> _messages = [];
    private readonly List<(Func<ReceivedMessage, bool> Match, TaskCompletionSource<ReceivedMessage> Done)> _waiters = [];
    private readonly Lock _gate = new();

    /// <summary>Every message received so far, in arrival order.</summary>
    public IReadOnlyList<ReceivedMessage> Messages
    {
        get
        {
            lock (_gate)
            {
                return [.. _messages];
            }
        }
    }

    /// <summary>The handler to give to <see cref="IBroker.StartAsync"/>.</summary>
    public ValueTask OnMessageAsync(BrokerDelivery delivery)
    {
        List<(TaskCompletionSource<ReceivedMessage> Done, ReceivedMessage Message)>? matched = null;
        lock (_gate)
        {
            for (var t = 0; t < delivery.Topics.Count; t++)
            {
                var message = new ReceivedMessage(delivery.Topics[t], delivery.Body.ToArray(), delivery.Positions[t]);
                _messages.Add(message);
                for (var i = _waiters.Count - 1; i >= 0; i--)
                {
                    if (_waiters[i].Match(message))
                    {
                        (matched ??= []).Add((_waiters[i].Done, message));
                        _waiters.RemoveAt(i);
                    }
                }
            }
        }
        foreach (var (done, message) in matched ?? [])
        {
            done.TrySetResult(message);
        }
        return ValueTask.CompletedTask;
    }

    /// <summary>Waits for a message with this topic and text (or returns it if it already arrived).</summary>
    public Task<ReceivedMessage> WaitForAsync(string topic, string text) =>
        WaitForAsync(m => m.Topic == topic && m.Text == text, $"'{text}' on topic '{topic}'");

    /// <summary>Waits for the first message on <paramref name="topic"/> (or returns it if it already arrived).</summary>
    public Task<ReceivedMessage> WaitForTopicAsync(string topic) => WaitForAsync(m => m.Topic == topic, $"a message on topic '{topic}'");

    /// <summary>Waits until <paramref name="count"/> messages have arrived in total.</summary>
    public async Task WaitForCountAsync(int count)
    {
        var n = 0;
        // The predicate sees every message exactly once, the earlier ones first.
        await WaitForAsync(_ => ++n >= count, $"{count} messages");
    }

    /// <summary>Waits for a message matching <paramref name="match"/> (or returns it if it already arrived).</summary>
    public async Task<ReceivedMessage> WaitForAsync(Func<ReceivedMessage, bool> match, string description)
    {
        var done = new TaskCompletionSource<ReceivedMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            foreach (var existing in _messages)
            {
                if (match(existing))
                {
                    return existing;
                }
            }
            _waiters.Add((match, done));
        }
        try
        {
            return await done.Task.WaitAsync(TaskTimeoutExtensions.Timeout);
        }
        catch (TimeoutException)
        {
            var seen = string.Join(", ", Messages.Select(m => $"'{Shorten(m.Text)}'@{m.Topic}"));
            throw new TimeoutException(
                $"Expected {description} within {TaskTimeoutExtensions.Timeout.TotalSeconds} s; received {(seen.Length == 0 ? "nothing" : seen)}.");
        }
    }

    private static string Shorten(string s) => s.Length <= 40 ? s : s[..40] + "…";
}
