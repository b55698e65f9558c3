using System.Security.Cryptography;

namespace Switchboard.Internal.Windows;

/// <summary>Window keys: 160 random bits, URL-safe (27 characters).</summary>
internal static class WindowKeys
{
    public static string New()
    {
        Span<byte> bytes = stackalloc byte[20];
        RandomNumberGenerator.Fill(bytes);
        return Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }
}
