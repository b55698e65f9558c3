using Microsoft.Extensions.Options;
using Switchboard.Internal.Windows;

namespace Switchboard.Internal.Hosting;

/// <summary>Checks options at startup, with messages that say which setting is wrong and why.</summary>
internal sealed class SwitchboardOptionsValidator : IValidateOptions<SwitchboardOptions>
{
    public ValidateOptionsResult Validate(string? name, SwitchboardOptions options)
    {
        var errors = new List<string>();
        if (string.IsNullOrEmpty(options.PathPrefix) || !options.PathPrefix.StartsWith('/') || options.PathPrefix.EndsWith('/'))
        {
            errors.Add($"Switchboard:PathPrefix must start with '/' and not end with '/' (got '{options.PathPrefix}').");
        }
        if (string.IsNullOrWhiteSpace(options.DefaultQueue))
        {
            errors.Add("Switchboard:DefaultQueue must not be empty.");
        }
        Positive(errors, options.TopicsTimeToLive, "TopicsTimeToLive");
        Positive(errors, options.WindowTokenLifetime, "WindowTokenLifetime");
        // Both are renewed for connected windows by a sweep every eighth of them (WindowRenewal); tokens count whole seconds.
        AtLeastOneSecond(errors, options.TopicsTimeToLive, "TopicsTimeToLive");
        AtLeastOneSecond(errors, options.WindowTokenLifetime, "WindowTokenLifetime");
        Positive(errors, options.HandshakeTimeout, "HandshakeTimeout");
        Positive(errors, options.HeartbeatInterval, "HeartbeatInterval");
        if (options.ClientTimeout <= options.HeartbeatInterval)
        {
            errors.Add($"Switchboard:ClientTimeout ({options.ClientTimeout}) must be longer than Switchboard:HeartbeatInterval ({options.HeartbeatInterval}), or healthy windows would be closed.");
        }
        if (options.MaxWindowExtensionsBytes is < 2 or > WindowExtensionValues.MaxBytesLimit)
        {
            errors.Add($"Switchboard:MaxWindowExtensionsBytes must be between 2 (an empty object: no extensions) and {WindowExtensionValues.MaxBytesLimit} (they are signed into the window token, at most 4096 characters); got {options.MaxWindowExtensionsBytes}.");
        }
        if (options.MaxFrameBytes < 1024)
        {
            errors.Add($"Switchboard:MaxFrameBytes must be at least 1024 (got {options.MaxFrameBytes}).");
        }
        if (options.MaxKwargsBytes < 2 || options.MaxKwargsBytes > options.MaxFrameBytes)
        {
            errors.Add($"Switchboard:MaxKwargsBytes must be between 2 and MaxFrameBytes ({options.MaxFrameBytes}); got {options.MaxKwargsBytes}.");
        }
        if (options.SendQueueCapacity < 1)
        {
            errors.Add("Switchboard:SendQueueCapacity must be at least 1.");
        }
        Positive(errors, options.Retry.BaseDelay, "Retry:BaseDelay");
        if (options.Retry.MaxDelay < options.Retry.BaseDelay)
        {
            errors.Add($"Switchboard:Retry:MaxDelay ({options.Retry.MaxDelay}) must be at least Switchboard:Retry:BaseDelay ({options.Retry.BaseDelay}).");
        }
        if (options.Retry.DefaultMaxAttempts < 1)
        {
            errors.Add($"Switchboard:Retry:DefaultMaxAttempts must be at least 1 (got {options.Retry.DefaultMaxAttempts}).");
        }
        var rate = options.CallRateLimit;
        if (!(rate.PermitsPerSecond > 0) || rate.Burst < 1 || rate.CloseAfterRefusals < 1)
        {
            errors.Add($"Switchboard:CallRateLimit needs PermitsPerSecond > 0, Burst >= 1 and CloseAfterRefusals >= 1 (got {rate.PermitsPerSecond}, {rate.Burst}, {rate.CloseAfterRefusals}).");
        }
        if (options.DashboardFeed.Interval < TimeSpan.FromMilliseconds(100) || options.DashboardFeed.Interval > TimeSpan.FromMinutes(1))
        {
            errors.Add($"Switchboard:DashboardFeed:Interval must be between 100 milliseconds and 1 minute (got {options.DashboardFeed.Interval}).");
        }
        if (options.MaxTopicsPerWindow < 0)
        {
            errors.Add($"Switchboard:MaxTopicsPerWindow must not be negative (got {options.MaxTopicsPerWindow}).");
        }
        if (options.MaxWindows is < 1)
        {
            errors.Add($"Switchboard:MaxWindows must be at least 1 when set (got {options.MaxWindows}).");
        }
        ValidatePresence(errors, options.Presence);
        var workers = options.Workers;
        if (workers.Count < 1)
        {
            errors.Add("Switchboard:Workers:Count must be at least 1.");
        }
        if (workers.QueueCapacity < 1)
        {
            errors.Add("Switchboard:Workers:QueueCapacity must be at least 1.");
        }
        foreach (var (queue, count) in workers.PerQueue)
        {
            if (count < 1)
            {
                errors.Add($"Switchboard:Workers:PerQueue:{queue} must be at least 1 (got {count}).");
            }
        }
        foreach (var queue in workers.Queues)
        {
            if (string.IsNullOrWhiteSpace(queue))
            {
                errors.Add("Switchboard:Workers:Queues contains an empty queue name.");
            }
        }
        foreach (var origin in options.AllowedOrigins)
        {
            // On Unix "/path" is an absolute (file://) URI, so the scheme must be checked too.
            if (origin != "*" && !(Uri.TryCreate(origin, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)))
            {
                errors.Add($"Switchboard:AllowedOrigins contains '{origin}', which is neither '*' nor an absolute origin like https://example.com.");
            }
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void ValidatePresence(List<string> errors, PresenceOptions presence)
    {
        Positive(errors, presence.RefreshInterval, "Presence:RefreshInterval");
        if (presence.EntryLifetime <= presence.RefreshInterval)
        {
            errors.Add($"Switchboard:Presence:EntryLifetime ({presence.EntryLifetime}) must be longer than Switchboard:Presence:RefreshInterval ({presence.RefreshInterval}), or live entries would expire between two renewals.");
        }
        if (!Registry.SignalNames.IsValid(presence.Signal))
        {
            errors.Add($"Switchboard:Presence:Signal '{presence.Signal}' is not a valid signal name.");
        }
        foreach (var pattern in presence.Topics)
        {
            if (string.IsNullOrEmpty(pattern))
            {
                errors.Add("Switchboard:Presence:Topics contains an empty pattern.");
            }
        }
    }

    private static void AtLeastOneSecond(List<string> errors, TimeSpan value, string name)
    {
        if (value > TimeSpan.Zero && value < TimeSpan.FromSeconds(1))
        {
            errors.Add($"Switchboard:{name} must be at least 1 second (got {value}): connected windows renew it before it runs out.");
        }
    }

    private static void Positive(List<string> errors, TimeSpan value, string name)
    {
        if (value <= TimeSpan.Zero)
        {
            errors.Add($"Switchboard:{name} must be positive (got {value}).");
        }
    }
}
