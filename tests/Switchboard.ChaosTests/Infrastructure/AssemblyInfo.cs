// One test that starts several dotnet processes and a redis-server: nothing else may run beside it on a 2-core machine.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
