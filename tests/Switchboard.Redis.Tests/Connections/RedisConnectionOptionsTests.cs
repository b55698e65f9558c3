using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Switchboard.Redis.Internal;

namespace Switchboard.Redis.Tests.Connections;

/// <summary>
/// The three ways to connect (connection string, <see cref="ConfigurationOptions"/>, the application's multiplexer) on
/// real redis-servers, and secrets: a password never appears in a log line or an exception message, whether the
/// password is right, wrong, or the server unreachable.
/// </summary>
public sealed class RedisConnectionOptionsTests(RedisFixture redis) : IClassFixture<RedisFixture>, IAsyncLifetime
{
    private const string Secret = "s3cret-Pa55-only-in-config";
    private readonly RedisTestHosts _hosts = new();
    private readonly string _prefix = redis.Prefix + Guid.NewGuid().ToString("N")[..8] + ":";

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _hosts.DisposeAsync();

    [RedisFact]
    public async Task FactoryMultiplexerIsReusedForEverythingAndLeftOpen()
    {
        // The application's multiplexer with its defaults (RESP2, abort on connect fail), registered as other libraries do.
        var application = await ConnectionMultiplexer.ConnectAsync(redis.Configuration);
        await using var _ = application;
        var host = await _hosts.StartAsync(
            b => b.AddRedis(sp => Task.FromResult(sp.GetRequiredService<IConnectionMultiplexer>()), o => RedisTestHosts.Quick(o, _prefix)),
            s => s.AddSingleton<IConnectionMultiplexer>(application));

        // The job goes through the application's multiplexer, its blocking reader through a connection cloned from it.
        await _hosts.PingAsync(host, "through the app's multiplexer");
        var roles = host.Services.GetRequiredService<RedisRoles>();
        Assert.Same(application, await roles.Browser.GetAsync());
        Assert.Same(application, await roles.Queues.GetAsync());
        Assert.Same(application, await host.Services.GetRequiredService<RedisConnection>().GetAsync());
        Assert.True(await redis.Db.KeyExistsAsync(_prefix + "{q:default}"));

        await _hosts.StopAsync(host);
        Assert.True(application.IsConnected, "Switchboard must not dispose the application's multiplexer");
        await application.GetDatabase().PingAsync();
    }

    [RedisFact(NeedsServer = true)]
    public async Task BlockingReadersCloneAPasswordProtectedFactoryMultiplexer()
    {
        await using var server = await RedisServer.StartAsync(password: Secret);
        var application = await ConnectionMultiplexer.ConnectAsync(server.Configuration);
        await using var _ = application;
        var host = await _hosts.StartAsync(b => b.AddRedis(_ => Task.FromResult<IConnectionMultiplexer>(application), o => RedisTestHosts.Quick(o, _prefix)));

        // Only a reader connected with the password (taken from the multiplexer's configuration) can run the job.
        await _hosts.PingAsync(host, "read by a cloned connection");
        Assert.Contains("switchboard-reader-default", await server.CommandAsync("CLIENT", "LIST"), StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, _hosts.AllLogText(), StringComparison.Ordinal);
    }

    [RedisFact(NeedsServer = true)]
    public async Task ConfigurationOptionsReachAPasswordProtectedServerUnchangedAndUnlogged()
    {
        await using var server = await RedisServer.StartAsync(password: Secret);
        var configuration = ConfigurationOptions.Parse(server.Address);
        configuration.Password = Secret;
        var before = configuration.ToString(includePassword: true);

        var host = await _hosts.StartAsync(b => b.AddRedis(configuration, o => RedisTestHosts.Quick(o, _prefix)));
        await _hosts.PingAsync(host, "with ConfigurationOptions");

        Assert.Equal(before, configuration.ToString(includePassword: true));
        Assert.DoesNotContain(Secret, _hosts.AllLogText(), StringComparison.Ordinal);
    }

    [RedisFact(NeedsServer = true)]
    public async Task ConnectionStringWithPasswordWorksAndTheDescriptionHidesIt()
    {
        await using var server = await RedisServer.StartAsync(password: Secret);
        var host = await _hosts.StartAsync(b => b.AddRedis(server.Configuration, o => RedisTestHosts.Quick(o, _prefix)));
        await _hosts.PingAsync(host, "with a connection string");

        var description = host.Services.GetRequiredService<RedisConnection>().Description;
        Assert.Contains(server.Address, description, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, description, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, _hosts.AllLogText(), StringComparison.Ordinal);
    }

    [RedisFact(NeedsServer = true)]
    public async Task WrongPasswordIsLoggedAndThrownWithoutIt()
    {
        const string wrong = "wr0ng-Pa55-never-shown";
        await using var server = await RedisServer.StartAsync(password: Secret);
        var host = await _hosts.StartAsync(b => b.AddRedis(server.Address + ",password=" + wrong, o => RedisTestHosts.Quick(o, _prefix)));

        await WaitForNotConnectedLogAsync();
        var failure = await Assert.ThrowsAnyAsync<Exception>(() =>
            host.Services.GetRequiredService<ISignals>().CallAsync(null, "test.ping", to: [Destination.Server], kwargs: new { text = "never" })
                .WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.IsNotType<TimeoutException>(failure);
        Assert.DoesNotContain(wrong, failure.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(wrong, _hosts.AllLogText(), StringComparison.Ordinal);
        Assert.Contains(_hosts.Logs.GetSnapshot(), r => r.Id.Id == 4003 && r.Message.Contains("password=*****", StringComparison.Ordinal));
    }

    [RedisFact]
    public async Task UnreachableServerIsLoggedWithoutThePassword()
    {
        var port = RedisServer.FreePort();
        await _hosts.StartAsync(b => b.AddRedis($"127.0.0.1:{port},password={Secret},connectTimeout=500", o => RedisTestHosts.Quick(o, _prefix)));

        await WaitForNotConnectedLogAsync();
        var logged = _hosts.Logs.GetSnapshot().First(r => r.Id.Id == 4003);
        Assert.Contains($"127.0.0.1:{port}", logged.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, _hosts.AllLogText(), StringComparison.Ordinal);
    }

    [RedisFact]
    public async Task AmbiguousOrInvalidConnectionSettingsAreRefusedAtStartupWithoutThePassword()
    {
        var both = await Assert.ThrowsAsync<OptionsValidationException>(() => _hosts.StartAsync(b => b.AddRedis(redis.Configuration, o =>
        {
            RedisTestHosts.Quick(o, _prefix);
            o.ConfigurationOptions = ConfigurationOptions.Parse(redis.Configuration);
        })));
        Assert.Contains("not both", both.Message, StringComparison.Ordinal);

        var invalid = await Assert.ThrowsAsync<OptionsValidationException>(() => _hosts.StartAsync(b => b.AddRedis(redis.Configuration, o =>
        {
            RedisTestHosts.Quick(o, _prefix);
            o.QueuesConfiguration = $"127.0.0.1:1,password={Secret},noSuchOption=1";
        })));
        Assert.Contains("QueuesConfiguration", invalid.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, invalid.ToString(), StringComparison.Ordinal);
    }

    private Task WaitForNotConnectedLogAsync() =>
        RedisPolling.WaitUntilAsync(() => Task.FromResult(_hosts.Logs.GetSnapshot().Any(r => r.Id.Id == 4003)), "RedisNotYetConnected (4003) logged", TimeSpan.FromSeconds(20));
}
