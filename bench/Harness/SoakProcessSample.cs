namespace Switchboard.Bench.Harness;

/// <summary>One process at one minute of the soak: RSS and managed heap after a full GC, open files, threads.</summary>
public sealed record SoakProcessSample(double RssMiB, double HeapMiB, long OpenFiles, long Threads);
