namespace Switchboard.Demo;

/// <summary>How every role of the demo sets up Switchboard: in memory, or Redis when <c>Switchboard:Redis</c> is set.</summary>
internal static class DemoBackend
{
    public static ISwitchboardBuilder AddDemoSwitchboard(this IServiceCollection services, IConfiguration configuration, string role = "web")
    {
        services.AddDemoTelemetry(configuration, role);
        // Presence in the chat rooms (#members, docs/presence.md); --Demo:Presence=false turns it off (the chaos test
        // counts every position of the room topic as one of its chat lines).
        var presence = configuration.GetValue("Demo:Presence", true);
        var builder = services.AddSwitchboard(configuration.GetSection("Switchboard"), o =>
            {
                if (presence)
                {
                    // The tenant page's room is a string topic (TopicSerializers/): a pattern on its value.
                    o.Presence.Topics.Add("room:*");
                }
            })
            .AddSignalsFrom(typeof(DemoSignals).Assembly)
            // The page's theme in every WindowInfo, for handlers on any worker (DemoTheme.cs).
            .AddWindowInfoExtension<DemoTheme>()
            // Typed for the generated TypeScript (docs/typescript.md); the records of BrowserSignals/ carry [BrowserSignal].
            // The echoes send back whatever they were given: any JSON object.
            .DeclareBrowserSignal<System.Text.Json.Nodes.JsonObject>("demo.echoed")
            .DeclareBrowserSignal<System.Text.Json.Nodes.JsonObject>("demo.builtins.echoed")
            // --Demo:TopicSerializer=tenant|renamed replaces the topic serializer in every role (TopicSerializers/).
            .AddDemoTopicSerializer(configuration["Demo:TopicSerializer"]);
        if (presence)
        {
            // A chat room is a record (ChatRoom): patterns match string topics only, so the predicate gets the keys, and
            // a room's key prefix comes from the serializer registered above, whichever it is.
            services.AddOptions<SwitchboardOptions>().Configure<ITopicSerializer>((o, serializer) =>
            {
                var rooms = ChatRoom.KeyPrefix(serializer);
                var other = o.Presence.Predicate;
                o.Presence.Predicate = key => key.StartsWith(rooms, StringComparison.Ordinal) || other?.Invoke(key) == true;
            });
        }
        var redis = configuration["Switchboard:Redis"];
        if (string.IsNullOrWhiteSpace(redis) && !string.IsNullOrWhiteSpace(configuration["Switchboard:RedisQueues"]))
        {
            // Every role publishes to windows, so the browser side's Redis is always needed (docs/scaling.md).
            throw new InvalidOperationException(
                "Switchboard:RedisQueues moves the queues to another Redis; Switchboard:Redis (the browser side) is still required.");
        }
        return string.IsNullOrWhiteSpace(redis) ? builder : builder.AddRedis(redis, RedisOptionsFrom(configuration));
    }

    /// <summary>
    /// Further Redis options: <c>Switchboard:RedisQueues</c> puts the queues on a Redis of their own
    /// (<c>--Switchboard:RedisQueues=host:port</c>), and <c>Switchboard:RedisOptions</c> binds the rest, e.g.
    /// <c>--Switchboard:RedisOptions:Prefix=app1:</c> or <c>--Switchboard:RedisOptions:JobLease=00:00:05</c> (with a
    /// shorter <c>LeaseRenewInterval</c>).
    /// </summary>
    public static Action<Switchboard.Redis.SwitchboardRedisOptions> RedisOptionsFrom(IConfiguration configuration) =>
        options =>
        {
            if (configuration["Switchboard:RedisQueues"] is { Length: > 0 } queues && !string.IsNullOrWhiteSpace(queues))
            {
                options.QueuesConfiguration = queues;
            }
            configuration.GetSection("Switchboard:RedisOptions").Bind(options);
        };

    /// <summary>Maps <c>--queues a,b</c> (worker role) to <c>Switchboard:Workers:Queues</c>.</summary>
    public static string[] TranslateQueuesArgument(string[] args)
    {
        var result = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--queues" && i + 1 < args.Length)
            {
                var queues = args[++i].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                for (var q = 0; q < queues.Length; q++)
                {
                    result.Add($"--Switchboard:Workers:Queues:{q}={queues[q]}");
                }
            }
            else
            {
                result.Add(args[i]);
            }
        }
        return [.. result];
    }
}
