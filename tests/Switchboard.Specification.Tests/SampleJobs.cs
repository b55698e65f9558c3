namespace Switchboard.Specification.Tests;

/// <summary>Jobs for the queue tests: a minimal one, and one with every field set (for "every field survives").</summary>
public static class SampleJobs
{
    /// <summary>A minimal server job of <paramref name="queue"/>, in the line of <paramref name="orderingKey"/> if given.</summary>
    public static SignalJob Minimal(string queue, string id, DateTimeOffset createdAt, DateTimeOffset? notBefore = null, string? orderingKey = null) => new()
    {
        Id = id,
        Queue = queue,
        Signal = "spec.job",
        Kwargs = """{"n":1}""",
        Handlers = ["spec.job#delegate1"],
        CreatedAt = createdAt,
        NotBefore = notBefore,
        OrderingKey = orderingKey,
    };

    /// <summary>
    /// A job of <paramref name="queue"/> with every field set to a value other than its default (non-ASCII text, a call
    /// id past 2^53, claims). Times are whole milliseconds: a durable queue may keep them as Unix milliseconds.
    /// </summary>
    public static SignalJob Full(string queue, DateTimeOffset now)
    {
        now = DateTimeOffset.FromUnixTimeMilliseconds(now.ToUnixTimeMilliseconds());
        return new SignalJob
        {
            Id = "full-" + Guid.NewGuid().ToString("N"),
            Kind = SignalJobKind.Deliver,
            Queue = queue,
            Signal = "spec.every.field",
            Window = new WindowInfo
            {
                WindowKey = "window-key",
                UserId = "user|42",
                UserName = "Zo\u00e9 \"Z\"",
                IsAuthenticated = true,
                IsStaff = true,
                IsSuperuser = true,
                Roles = ["staff", "superuser"],
                Permissions = ["orders.edit", "orders.view"],
                Claims = [new WindowClaim("department", "sales"), new WindowClaim("http://schemas/x", "\u4e16\u754c")],
                AuthenticationType = "Cookies",
                Culture = "fr-FR",
                UserAgent = "Mozilla/5.0 (spec)",
                Extensions = new Dictionary<string, System.Text.Json.JsonElement>
                {
                    ["tenant"] = System.Text.Json.JsonSerializer.SerializeToElement(new { id = "acme", seats = 3 }),
                    ["theme"] = System.Text.Json.JsonSerializer.SerializeToElement("d\u00e9j\u00e0 dark"),
                },
            },
            Kwargs = """{"text":"h\u00e9llo","n":[1,2.5,null],"nested":{"ok":true}}""",
            Handlers = ["spec.every.field@A.B", "spec.every.field#delegate1"],
            FromClient = true,
            CallId = 9_007_199_254_740_993,
            Topics = ["-broadcast", "-str.caf\u00e9"],
            SignalId = "0123456789abcdef",
            CreatedAt = now - TimeSpan.FromMinutes(2),
            NotBefore = now - TimeSpan.FromMinutes(1),
            ExpiresAt = now + TimeSpan.FromHours(1),
            OrderingKey = "window-key|\u00e9",
            Invoke = true,
            Attempt = 3,
            TraceParent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
            TraceState = "congo=t61rcWkgMzE,rojo=00f067aa0ba902b7",
        };
    }
}
