using Xunit.Sdk;

[assembly: TestFramework("Switchboard.Redis.Tests.Infrastructure.RedisTestFramework", "Switchboard.Redis.Tests")]

namespace Switchboard.Redis.Tests.Infrastructure;

/// <summary>
/// xunit's framework, except that when no Redis is available every test is reported as skipped with the reason —
/// including the plain <c>[Fact]</c>s inherited from the conformance bases, which <see cref="RedisFactAttribute"/> cannot
/// reach; likewise every test of a <see cref="RedisClusterAttribute"/> class when no Redis Cluster is named. With Redis
/// available it changes nothing. And the private servers the run shared (<see cref="SharedRedis"/>,
/// <see cref="SharedSentinel"/>) are stopped when the last test finished, before the run reports its end: a handler at
/// process exit alone is cut short when the runner ends the test process soon after, leaving servers running.
/// </summary>
public sealed class RedisTestFramework(IMessageSink messageSink) : XunitTestFramework(messageSink)
{
    protected override ITestFrameworkDiscoverer CreateDiscoverer(IAssemblyInfo assemblyInfo) =>
        new Discoverer(assemblyInfo, SourceInformationProvider, DiagnosticMessageSink);

    protected override ITestFrameworkExecutor CreateExecutor(System.Reflection.AssemblyName assemblyName) =>
        new Executor(assemblyName, SourceInformationProvider, DiagnosticMessageSink);

    private sealed class Executor(System.Reflection.AssemblyName assembly, ISourceInformationProvider sources, IMessageSink sink)
        : XunitTestFrameworkExecutor(assembly, sources, sink)
    {
        // xunit's own override is async void too: the runner reports completion through the message sink.
        protected override async void RunTestCases(IEnumerable<IXunitTestCase> testCases, IMessageSink executionMessageSink,
            ITestFrameworkExecutionOptions executionOptions)
        {
            using var runner = new AssemblyRunner(TestAssembly, testCases, DiagnosticMessageSink, executionMessageSink, executionOptions);
            await runner.RunAsync();
        }
    }

    private sealed class AssemblyRunner(ITestAssembly assembly, IEnumerable<IXunitTestCase> testCases, IMessageSink diagnostics,
        IMessageSink execution, ITestFrameworkExecutionOptions options)
        : XunitTestAssemblyRunner(assembly, testCases, diagnostics, execution, options)
    {
        protected override async Task BeforeTestAssemblyFinishedAsync()
        {
            await base.BeforeTestAssemblyFinishedAsync();
            await SharedSentinel.StopAsync();
            await SharedRedis.StopAsync();
        }
    }

    private sealed class Discoverer(IAssemblyInfo assembly, ISourceInformationProvider sources, IMessageSink sink)
        : XunitTestFrameworkDiscoverer(assembly, sources, sink)
    {
        protected override bool FindTestsForMethod(ITestMethod testMethod, bool includeSourceInformation, IMessageBus messageBus,
            ITestFrameworkDiscoveryOptions discoveryOptions)
        {
            var cluster = testMethod.TestClass.Class.GetCustomAttributes(typeof(RedisClusterAttribute).AssemblyQualifiedName!).Any();
            // Classes marked [SentinelTests] need a Sentinel deployment too.
            var sentinel = testMethod.TestClass.Class.GetCustomAttributes(typeof(SentinelTestsAttribute).AssemblyQualifiedName!).Any();
            var unavailable = cluster ? RedisAvailability.ClusterSkipReason is not null
                : RedisAvailability.SkipReason is not null || (sentinel && SentinelAvailability.SkipReason is not null);
            if (!unavailable || !testMethod.Method.GetCustomAttributes(typeof(FactAttribute)).Any())
            {
                return base.FindTestsForMethod(testMethod, includeSourceInformation, messageBus, discoveryOptions);
            }
            var skipped = new RedisUnavailableTestCase(DiagnosticMessageSink, discoveryOptions.MethodDisplayOrDefault(),
                discoveryOptions.MethodDisplayOptionsOrDefault(), testMethod);
            return ReportDiscoveredTestCase(skipped, includeSourceInformation, messageBus);
        }
    }
}

/// <summary>A test case skipped because Redis is unavailable (serializable, as runners move test cases around).</summary>
public sealed class RedisUnavailableTestCase : XunitTestCase
{
    [Obsolete("Called by the de-serializer; should only be called by deriving classes for de-serialization purposes")]
    public RedisUnavailableTestCase()
    {
    }

    public RedisUnavailableTestCase(IMessageSink sink, TestMethodDisplay display, TestMethodDisplayOptions options, ITestMethod method)
        : base(sink, display, options, method)
    {
    }

    protected override string GetSkipReason(IAttributeInfo factAttribute) =>
        (TestMethod.TestClass.Class.GetCustomAttributes(typeof(RedisClusterAttribute).AssemblyQualifiedName!).Any()
            ? RedisAvailability.ClusterSkipReason
            : RedisAvailability.SkipReason ?? SentinelAvailability.SkipReason) ?? "Redis unavailable";
}
