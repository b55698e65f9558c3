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

    public static List<string> Compute(HttpContext context, WindowFeature feature, IEnumerable<object> topics)
    {
        var services = context.RequestServices;
        var serializer = services.GetRequiredService<ITopicSerializer>();
        var window = services.GetRequiredService<WindowInfoFactory>().Create(context, feature.WindowKey);
        var result = services.GetRequiredService<TopicKeys>().Of(window).ToList();
        var max = services.GetRequiredService<IOptions<SwitchboardOptions>>().Value.MaxTopicsPerWindow;
        var chosen = topics as IReadOnlyCollection<object> ?? [.. topics];
        if (chosen.Count > max)
        {
            throw new InvalidOperationException(
                $"SetWebSocketTopics got {chosen.Count} topics; a page may choose at most {max} (SwitchboardOptions.MaxTopicsPerWindow).");
        }
        foreach (var topic in chosen)
        {
            ArgumentNullException.ThrowIfNull(topic, nameof(topics));
            if (topic == Destination.Server)
            {
                continue;
            }
            if (topic is System.Collections.IEnumerable and not string)
            {
                // A List<int> binds as one topic through params; saying so beats a topic nobody publishes to.
                throw new ArgumentException(
                    $"A topic was a collection ({topic.GetType().Name}); pass the topics themselves, e.g. SetWebSocketTopics(values.Cast<object>()).",
                    nameof(topics));
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
