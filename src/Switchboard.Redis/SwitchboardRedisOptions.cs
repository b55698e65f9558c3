using StackExchange.Redis;

namespace Switchboard.Redis;

/// <summary>Options of the Redis backend, set in the <c>AddRedis</c> callback (bind a configuration section there if you want one).</summary>
public sealed class SwitchboardRedisOptions
{
    /// <summary>
    /// A StackExchange.Redis connection string of the browser side's Redis (and of the queues', unless
    /// <see cref="QueuesConfiguration"/> or another <c>Queues*</c> option moves them), e.g. <c>127.0.0.1:6379</c> or
    /// <c>redis.example:6380,ssl=true,password=SECRET</c>. One of it, <see cref="ConfigurationOptions"/> or
    /// <see cref="ConnectionFactory"/> is required. The password never appears in logs or exception messages.
    /// </summary>
    public string Configuration { get; set; } = string.Empty;

    /// <summary>
    /// The browser side's Redis as a StackExchange.Redis configuration (TLS callbacks, Sentinel service name, ...),
    /// instead of <see cref="Configuration"/> (set only one of the two). Switchboard connects with a copy.
    /// <value>The default is null.</value>
    /// </summary>
    public ConfigurationOptions? ConfigurationOptions { get; set; }

    /// <summary>
    /// Returns the application's own multiplexer for the browser side (e.g. one registered by other libraries); it is
    /// used as it is and never disposed by Switchboard. Blocking job readers (processes that run workers on Redis queues
    /// sharing it) still need connections of their own: they are made from <see cref="Configuration"/> or
    /// <see cref="ConfigurationOptions"/> when one is set beside the factory, else from the multiplexer's own
    /// configuration (endpoints, password and TLS; not certificate callbacks). <value>The default is null.</value>
    /// </summary>
    public Func<IServiceProvider, Task<IConnectionMultiplexer>>? ConnectionFactory { get; set; }

    /// <summary>
    /// A connection string for the queues' own Redis (jobs, delayed calls, ordering lines, dead letters), e.g. from
    /// <c>Switchboard:RedisQueues</c>. <value>The default is null: the queues live on the browser side's Redis.</value>
    /// </summary>
    public string? QueuesConfiguration { get; set; }

    /// <summary>The queues' own Redis as a configuration, instead of <see cref="QueuesConfiguration"/>. <value>The default is null.</value></summary>
    public ConfigurationOptions? QueuesConfigurationOptions { get; set; }

    /// <summary>
    /// The application's own multiplexer for the queues (as <see cref="ConnectionFactory"/>, blocking readers likewise).
    /// <value>The default is null.</value>
    /// </summary>
    public Func<IServiceProvider, Task<IConnectionMultiplexer>>? QueuesConnectionFactory { get; set; }

    /// <summary>Prefix of every Redis key and channel Switchboard uses. <value>The default is <c>switchboard:</c>.</value></summary>
    public string Prefix { get; set; } = "switchboard:";

    /// <summary>
    /// How long a job taken by a worker stays its own without a renewal; a worker that died is detected after it and its
    /// jobs are reclaimed by others. <value>The default is 30 seconds.</value>
    /// </summary>
    public TimeSpan JobLease { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often running workers renew the lease of the jobs they hold. <value>The default is 10 seconds.</value></summary>
    public TimeSpan LeaseRenewInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Most jobs of one queue a process reads ahead of its workers (one XREADGROUP). It reads that many only while its
    /// workers drain them quickly; with slow jobs it holds about one per worker, leaving the rest to other processes.
    /// <value>The default is 128.</value>
    /// </summary>
    public int JobPrefetch { get; set; } = 128;

    /// <summary>How long a blocking read waits before checking for reclaimable jobs again. <value>The default is 2 seconds.</value></summary>
    public TimeSpan BlockTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How often delayed jobs (countdown / eta / retries) due by now are moved to their queue. <value>The default is 100 ms.</value></summary>
    public TimeSpan DelayedPollInterval { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// Keep ASP.NET Core Data Protection keys in Redis (the list <c>{Prefix}dataprotection-keys</c>) so all nodes accept
    /// each other's window tokens and cookies, when the application configured no key repository of its own (one it
    /// configured, e.g. with <c>PersistKeysToFileSystem</c>, is never replaced). Where the keys live is logged once at
    /// startup. Turn it off when the application shares its key ring another way. <value>The default is true.</value>
    /// </summary>
    public bool ShareDataProtectionKeys { get; set; } = true;

    /// <summary>
    /// How long the line of a window's ordered calls on a queue (a Redis list, removed as soon as it is empty) is kept
    /// without progress — no call added, finished or retried. A safety net for lines whose first job is gone (the
    /// stream deleted or evicted): the calls behind it are then dropped after this time instead of kept forever. Keep it
    /// far longer than a call can wait in a queue. <value>The default is 1 day.</value>
    /// </summary>
    public TimeSpan OrderingLineExpiry { get; set; } = TimeSpan.FromDays(1);

    /// <summary>Dead-lettered jobs kept per queue (oldest trimmed). <value>The default is 10000.</value></summary>
    public int DeadLetterCapacity { get; set; } = 10_000;
}
