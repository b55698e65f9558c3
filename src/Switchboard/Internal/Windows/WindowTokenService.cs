using System.Buffers;
using System.Collections.Frozen;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;

namespace Switchboard.Internal.Windows;

/// <summary>
/// Signs and checks window tokens: a JSON payload <c>{"k":window key,"e":expiry (Unix seconds),"u":user id,"x":extensions}</c>
/// (<c>u</c> absent when anonymous, <c>x</c> when there are no extensions; JSON, so a user id may hold any character),
/// protected with ASP.NET Core Data Protection (share its key ring between nodes, as cookie authentication already
/// requires): browsers can neither read nor alter it. Expiry uses the injected <see cref="TimeProvider"/> so it can be tested.
/// </summary>
internal sealed class WindowTokenService
{
    /// <summary>Longest token accepted, and made: a bound on what a browser may make the server decrypt.</summary>
    public const int MaxTokenChars = 4096;

    // The same conventions as the extension values themselves, so their measured size is what the token holds.
    private static readonly JsonWriterOptions Writer = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly IDataProtector _protector;
    private readonly IOptions<SwitchboardOptions> _options;
    private readonly TimeProvider _time;

    public WindowTokenService(IDataProtectionProvider provider, IOptions<SwitchboardOptions> options, TimeProvider time)
    {
        // v2: the JSON payload with extensions (v1 was "key|expiry|user").
        _protector = provider.CreateProtector("Switchboard.WindowToken.v2");
        _options = options;
        _time = time;
    }

    public string Create(string windowKey, string? userId) => Create(windowKey, userId, null, out _);

    public string Create(string windowKey, string? userId, out DateTimeOffset expires) => Create(windowKey, userId, null, out expires);

    /// <summary>
    /// A new token for <paramref name="windowKey"/>, <paramref name="userId"/> and the page's <paramref name="extensions"/>,
    /// valid until <paramref name="expires"/> (whole seconds). Throws when it would exceed <see cref="MaxTokenChars"/>.
    /// </summary>
    public string Create(string windowKey, string? userId, IReadOnlyDictionary<string, JsonElement>? extensions, out DateTimeOffset expires)
    {
        var seconds = (_time.GetUtcNow() + _options.Value.WindowTokenLifetime).ToUnixTimeSeconds();
        expires = DateTimeOffset.FromUnixTimeSeconds(seconds);
        var payload = new ArrayBufferWriter<byte>(256);
        using (var json = new Utf8JsonWriter(payload, Writer))
        {
            json.WriteStartObject();
            json.WriteString("k", windowKey);
            json.WriteNumber("e", seconds);
            if (userId is not null)
            {
                json.WriteString("u", userId);
            }
            if (extensions is { Count: > 0 })
            {
                json.WritePropertyName("x");
                json.WriteStartObject();
                foreach (var (name, value) in extensions)
                {
                    json.WritePropertyName(name);
                    value.WriteTo(json);
                }
                json.WriteEndObject();
            }
            json.WriteEndObject();
        }
        var token = _protector.Protect(Encoding.UTF8.GetString(payload.WrittenSpan));
        if (token.Length > MaxTokenChars)
        {
            // Lengths only: the user id and the values stay out of the message.
            throw new InvalidOperationException(
                $"The window token would be {token.Length} characters, over {MaxTokenChars}: its payload is {payload.WrittenCount} bytes "
                + $"(user id {userId?.Length ?? 0} characters, {extensions?.Count ?? 0} extension(s)). Keep user ids and window extensions short.");
        }
        return token;
    }

    /// <summary>Reads a token; false when it is forged, corrupted or expired.</summary>
    public bool TryRead(string? token, out string windowKey, out string? userId) => TryRead(token, out windowKey, out userId, out _);

    /// <summary>Reads a token and when it expires (a connected window is sent a new one before then); false when it is forged, corrupted or expired.</summary>
    public bool TryRead(string? token, out string windowKey, out string? userId, out DateTimeOffset expiresAt)
    {
        var valid = TryRead(token, out var read);
        (windowKey, userId, expiresAt) = (read.WindowKey ?? string.Empty, read.UserId, read.ExpiresAt);
        return valid;
    }

    /// <summary>Reads a token with the extensions signed into it; false when it is forged, corrupted or expired.</summary>
    public bool TryRead(string? token, out WindowToken read)
    {
        read = default;
        if (string.IsNullOrEmpty(token) || token.Length > MaxTokenChars)
        {
            return false;
        }
        string payload;
        try
        {
            payload = _protector.Unprotect(token);
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return false;
        }
        try
        {
            using var document = JsonDocument.Parse(payload);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("k", out var key) || key.ValueKind != JsonValueKind.String || key.GetString() is not { Length: > 0 } windowKey
                || !root.TryGetProperty("e", out var e) || e.ValueKind != JsonValueKind.Number || !e.TryGetInt64(out var expires)
                || _time.GetUtcNow().ToUnixTimeSeconds() >= expires)
            {
                return false;
            }
            string? userId = null;
            if (root.TryGetProperty("u", out var u))
            {
                if (u.ValueKind != JsonValueKind.String)
                {
                    return false;
                }
                userId = u.GetString();
            }
            var extensions = WindowExtensionValues.Empty;
            if (root.TryGetProperty("x", out var x))
            {
                if (x.ValueKind != JsonValueKind.Object)
                {
                    return false;
                }
                extensions = x.EnumerateObject().ToFrozenDictionary(p => p.Name, p => p.Value.Clone(), StringComparer.Ordinal);
            }
            read = new WindowToken(windowKey, userId, DateTimeOffset.FromUnixTimeSeconds(expires), extensions);
            return true;
        }
        catch (Exception e) when (e is JsonException or ArgumentException)
        {
            return false; // signed by us, so never in practice; but a malformed payload must not throw
        }
    }
}
