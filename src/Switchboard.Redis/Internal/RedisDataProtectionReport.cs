using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Switchboard.Redis.Internal;

/// <summary>
/// Says once at startup where the Data Protection key ring lives, since <c>AddRedis</c> may have put it in Redis: the
/// application should never have to discover that its cookies' keys moved. It reads the options as Data Protection
/// will use them, after every configure step of the application and of Switchboard.
/// </summary>
internal sealed partial class RedisDataProtectionReport(
    IOptions<KeyManagementOptions> keys,
    IOptions<SwitchboardRedisOptions> redis,
    RedisConnection connection,
    ILogger<RedisDataProtectionReport> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var repository = keys.Value.XmlRepository;
        if (repository is RedisXmlRepository)
        {
            LogKeysInRedis(logger, (string?)connection.Names.DataProtectionKeys ?? "", connection.Description);
        }
        else if (repository is not null)
        {
            LogApplicationRepositoryKept(logger, repository.GetType().FullName ?? repository.GetType().Name, redis.Value.ShareDataProtectionKeys);
        }
        else if (!redis.Value.ShareDataProtectionKeys)
        {
            LogKeysNotShared(logger);
        }
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = 4451, EventName = "DataProtectionKeysInRedis", Level = LogLevel.Information,
        Message = "Data Protection keys are kept in Redis ({Redis}, list {Key}) so every node accepts the window tokens and cookies " +
                  "of the others; Switchboard set this because the application configured no key repository " +
                  "(SwitchboardRedisOptions.ShareDataProtectionKeys, on by default).")]
    private static partial void LogKeysInRedis(ILogger logger, string key, string redis);

    [LoggerMessage(EventId = 4452, EventName = "DataProtectionRepositoryKept", Level = LogLevel.Information,
        Message = "Data Protection keys stay in the application's own repository ({Repository}); Switchboard did not replace it " +
                  "(ShareDataProtectionKeys {ShareDataProtectionKeys}). Every node must share it.")]
    private static partial void LogApplicationRepositoryKept(ILogger logger, string repository, bool shareDataProtectionKeys);

    [LoggerMessage(EventId = 4453, EventName = "DataProtectionKeysNotShared", Level = LogLevel.Warning,
        Message = "Data Protection keys are not shared between nodes: ShareDataProtectionKeys is off and the application configured " +
                  "no key repository, so a page rendered by one node cannot connect to another. Persist the keys somewhere " +
                  "every node reads (docs/deployment.md), or turn ShareDataProtectionKeys on.")]
    private static partial void LogKeysNotShared(ILogger logger);
}
