using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Switchboard.Redis.Internal;

/// <summary>
/// The connections of the two Redis roles: the browser side (broker, history, topic store, presence, Data Protection
/// keys) and the queues (jobs, delayed calls, ordering lines, dead letters). The queues share the browser side's
/// connection unless <c>Queues*</c> options give them their own Redis.
/// </summary>
internal sealed class RedisRoles : IAsyncDisposable
{
    public RedisRoles(IOptions<SwitchboardRedisOptions> options, IServiceProvider services, ILoggerFactory logs)
    {
        var o = options.Value;
        var logger = logs.CreateLogger<RedisConnection>();
        Browser = new RedisConnection(o, RedisEndpoint.Browser(o), services, logger);
        Queues = RedisEndpoint.Queues(o) is { } queues ? new RedisConnection(o, queues, services, logger) : Browser;
    }

    public RedisConnection Browser { get; }

    public RedisConnection Queues { get; }

    public bool SeparateQueues => !ReferenceEquals(Browser, Queues);

    public async ValueTask DisposeAsync()
    {
        await Browser.DisposeAsync();
        await Queues.DisposeAsync();
    }
}
