using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Switchboard.Internal.Windows;

/// <summary>Computes a page's topic list and writes it to the topic store before the response starts.</summary>
internal static class WindowTopicsWriter
{
    public static WindowFeature RequireFeature(HttpContext context) =>
        context.Features.Get<WindowFeature>() ?? throw new InvalidOperationException(
            "Switchboard's window middleware did not run for this request: call app.UseSwitchboard() before mapping pages " +
            "(after UseAuthentication, so windows know their user).");

    public static List<string> Compute(HttpContext context, WindowFeature feature, object[] topics)
    {
        var services = context.RequestServices;
        var serializer = services.GetRequiredService<ITopicSerializer>();
        var window = services.GetRequiredService<WindowInfoFactory>().Create(context, feature.WindowKey);
        var result = DefaultTopics.For(window);
        var max = services.GetRequiredService<IOptions<SwitchboardOptions>>().Value.MaxTopicsPerWindow;
        if (topics.Length > max)
        {
            throw new InvalidOperationException(
                $"SetWebSocketTopics got {topics.Length} topics; a page may choose at most {max} (SwitchboardOptions.MaxTopicsPerWindow).");
        }
        foreach (var topic in topics)
        {
            ArgumentNullException.ThrowIfNull(topic, nameof(topics));
            if (topic == Destination.Server)
            {
                continue;
            }
            if (serializer.Serialize(window, topic) is { } key && !result.Contains(key, StringComparer.Ordinal))
            {
                result.Add(key);
            }
        }
        return result;
    }

    public static ValueTask WriteAsync(HttpContext context, string windowKey, IReadOnlyList<string> topics, CancellationToken cancellationToken)
    {
        var services = context.RequestServices;
        var ttl = services.GetRequiredService<IOptions<SwitchboardOptions>>().Value.TopicsTimeToLive;
        return services.GetRequiredService<ITopicStore>().SetAsync(windowKey, topics, ttl, cancellationToken);
    }
}
