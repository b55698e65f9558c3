using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Switchboard.Redis.Internal;
using Switchboard.Redis.Tests.Connections;

namespace Switchboard.Redis.Tests;

/// <summary>
/// <c>AddRedis</c> and the Data Protection key ring: by default the keys go to Redis (so two nodes read each other's
/// tokens, as the demo needs), but never over a repository the application chose, and where they live is logged once
/// at startup (events 4451, 4452, 4453).
/// </summary>
public sealed class DataProtectionKeyRingTests(RedisFixture redis) : IClassFixture<RedisFixture>, IAsyncLifetime
{
    private readonly RedisTestHosts _hosts = new();
    private readonly string _prefix = redis.Prefix + Guid.NewGuid().ToString("N")[..8] + ":";

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _hosts.DisposeAsync();

    [RedisFact]
    public async Task ByDefaultTwoNodesShareTheKeyRingInRedisAndSaySoOnce()
    {
        var a = await StartAsync(share: true);
        var b = await StartAsync(share: true);

        Assert.IsType<RedisXmlRepository>(a.Services.GetRequiredService<IOptions<KeyManagementOptions>>().Value.XmlRepository);
        var token = a.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("test").Protect("window");
        Assert.Equal("window", b.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("test").Unprotect(token));
        Assert.True(await redis.Db.ListLengthAsync(_prefix + "dataprotection-keys") > 0);
        var records = _hosts.Logs.GetSnapshot().Where(r => r.Id.Id is 4451 or 4452 or 4453).ToList();
        Assert.Equal(2, records.Count); // once per host
        Assert.All(records, r => Assert.Equal("DataProtectionKeysInRedis", r.Id.Name));
        Assert.All(records, r => Assert.Equal(_prefix + "dataprotection-keys", r.GetStructuredStateValue("Key")));
    }

    [RedisFact]
    public async Task TheApplicationsOwnRepositoryIsKeptAndLogged()
    {
        var directory = Directory.CreateTempSubdirectory("switchboard-dp-");
        try
        {
            var host = await StartAsync(share: true, s => s.AddDataProtection().PersistKeysToFileSystem(directory));

            var repository = host.Services.GetRequiredService<IOptions<KeyManagementOptions>>().Value.XmlRepository;
            Assert.IsType<FileSystemXmlRepository>(repository);
            host.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("test").Protect("window");
            Assert.False(await redis.Db.KeyExistsAsync(_prefix + "dataprotection-keys"));
            Assert.NotEmpty(directory.GetFiles("*.xml"));
            var record = Assert.Single(_hosts.Logs.GetSnapshot(), r => r.Id.Id is 4451 or 4452 or 4453);
            Assert.Equal("DataProtectionRepositoryKept", record.Id.Name);
            Assert.Equal(typeof(FileSystemXmlRepository).FullName, record.GetStructuredStateValue("Repository"));
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [RedisFact]
    public async Task TurnedOffWithNoRepositoryWarnsThatNodesDoNotShareKeys()
    {
        var host = await StartAsync(share: false);

        Assert.IsNotType<RedisXmlRepository>(host.Services.GetRequiredService<IOptions<KeyManagementOptions>>().Value.XmlRepository);
        var record = Assert.Single(_hosts.Logs.GetSnapshot(), r => r.Id.Id is 4451 or 4452 or 4453);
        Assert.Equal("DataProtectionKeysNotShared", record.Id.Name);
        Assert.Equal(Microsoft.Extensions.Logging.LogLevel.Warning, record.Level);
    }

    private Task<IHost> StartAsync(bool share, Action<IServiceCollection>? services = null) =>
        _hosts.StartAsync(b => b.AddRedis(redis.Configuration, o =>
        {
            RedisTestHosts.Quick(o, _prefix);
            o.ShareDataProtectionKeys = share;
        }), services);
}
