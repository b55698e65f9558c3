namespace Switchboard.Internal.Workers;

/// <summary>
/// Handlers of a job with an ordering key that failed with attempts left: the worker gives the job back, restricted
/// to them, first in its line, available again after <paramref name="Delay"/>.
/// </summary>
internal sealed record OrderedRetry(IReadOnlyList<string> Handlers, TimeSpan Delay);
