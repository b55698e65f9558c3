namespace Switchboard.Redis.Tests.MultiProcess;

/// <summary>Two demo web nodes and a worker process of one <see cref="DemoCluster"/>, all started and ready.</summary>
internal sealed record DemoNodes(DemoProcess ProcessA, Uri A, DemoProcess ProcessB, Uri B, DemoProcess Worker);
