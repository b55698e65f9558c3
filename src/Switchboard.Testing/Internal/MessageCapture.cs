using System.Text.Json;

namespace Switchboard.Testing.Internal;

/// <summary>Every browser message published, in order, and the waits for one still to come (woken as it is recorded, never polled).</summary>
internal sealed class MessageCapture(TimeProvider time)
{
    private readonly List<SentMessage> _messages = [];
    private readonly List<(Func<SentMessage, bool> Match, TaskCompletionSource<SentMessage> Done)> _waiters = [];
    private readonly Lock _gate = new();
    private int _next;

    public IReadOnlyList<SentMessage> Snapshot()
    {
        lock (_gate)
        {
            return [.. _messages];
        }
    }

    public void Record(IReadOnlyList<string> topics, ReadOnlySpan<byte> body)
    {
        // The broker carries a frame's members without braces (docs/ARCHITECTURE.md, data paths).
        var json = new byte[body.Length + 2];
        json[0] = (byte)'{';
        body.CopyTo(json.AsSpan(1));
        json[^1] = (byte)'}';
        JsonElement frame;
        using (var document = JsonDocument.Parse(json))
        {
            frame = document.RootElement.Clone();
        }
        List<(TaskCompletionSource<SentMessage>, SentMessage)>? matched = null;
        lock (_gate)
        {
            var message = new SentMessage(_next++, [.. topics], frame, time.GetUtcNow());
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
        foreach (var (done, message) in matched ?? [])
        {
            done.TrySetResult(message);
        }
    }

    /// <summary>The first message (already recorded or still to come) that matches.</summary>
    public Task<SentMessage> FirstAsync(Func<SentMessage, bool> match)
    {
        var done = new TaskCompletionSource<SentMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            foreach (var message in _messages)
            {
                if (match(message))
                {
                    return Task.FromResult(message);
                }
            }
            _waiters.Add((match, done));
        }
        return done.Task;
    }

    public void Forget(Task<SentMessage> wait)
    {
        lock (_gate)
        {
            _waiters.RemoveAll(w => w.Done.Task == wait);
        }
    }

    public void Clear()
    {
        lock (_gate)
        {
            _messages.Clear();
        }
    }
}
