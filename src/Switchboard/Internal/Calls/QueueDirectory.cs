using System.Collections.Concurrent;

namespace Switchboard.Internal.Calls;

/// <summary>
/// The queue names this process has seen. In one-process mode (no queue list configured) the worker host starts
/// workers for each new queue, including ones a queue selector invents at run time.
/// </summary>
internal sealed class QueueDirectory
{
    private readonly ConcurrentDictionary<string, byte> _queues = new(StringComparer.Ordinal);

    public event Action<string>? QueueAdded;

    public IEnumerable<string> Queues => _queues.Keys;

    public void Touch(string queue)
    {
        if (_queues.TryAdd(queue, 0))
        {
            QueueAdded?.Invoke(queue);
        }
    }
}
