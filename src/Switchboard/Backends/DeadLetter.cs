namespace Switchboard;

/// <summary>A job that failed every attempt (or could not be read), kept so an operator can inspect and re-queue it.</summary>
/// <param name="Id">The dead letter's id within its queue.</param>
/// <param name="Job">The job, or null when it could not be read.</param>
/// <param name="Reason">Why it was dead-lettered.</param>
public sealed record DeadLetter(string Id, SignalJob? Job, string Reason);
