// Test classes run one after another: many tests measure leases, due times and TTLs on the real clock, and the
// multi-process tests start several dotnet processes; on a 2-core machine, parallel classes would eat the margins.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
