namespace Switchboard.Bench.Harness;

/// <summary>
/// One process at one minute of the soak: RSS and managed heap after a full GC, open files, threads, and where RSS goes
/// besides the live heap (memory the GC keeps committed, methods the JIT compiled so far).
/// </summary>
public sealed record SoakProcessSample(double RssMiB, double HeapMiB, long OpenFiles, long Threads, double CommittedMiB = 0, long JittedMethods = 0);
