using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Switchboard.Internal.Protocol;

/// <summary>
/// The <c>signal_id</c> of a browser message: a random per-process prefix (64 bits, so ids of different processes
/// never meet) and a counter, written straight into the frame. Unique is all the client needs (it runs an id once);
/// a <c>Guid</c> per message cost a <c>getrandom</c> call and a string.
/// </summary>
internal readonly struct SignalId
{
    private static readonly byte[] Prefix = Encoding.ASCII.GetBytes(Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)));
    private static long s_counter;

    private readonly long _number;
    private readonly string? _text;

    private SignalId(long number, string? text)
    {
        _number = number;
        _text = text;
    }

    /// <summary>A new id, unique in this process and, through the prefix, across processes.</summary>
    public static SignalId Next() => new(Interlocked.Increment(ref s_counter), null);

    /// <summary>An id made elsewhere (a delivery job carries its id).</summary>
    public static SignalId From(string text) => new(0, text);

    /// <summary>Writes the <c>signal_id</c> member.</summary>
    public void WriteTo(Utf8JsonWriter writer)
    {
        if (_text is not null)
        {
            writer.WriteString("signal_id"u8, _text);
            return;
        }
        Span<byte> id = stackalloc byte[40];
        Prefix.CopyTo(id);
        _number.TryFormat(id[Prefix.Length..], out var digits, "x", CultureInfo.InvariantCulture);
        writer.WriteString("signal_id"u8, id[..(Prefix.Length + digits)]);
    }

    /// <summary>
    /// The counter of a message body's <c>signal_id</c> when this process made it (<see cref="Next"/>): the id is the
    /// body's last member, so it is read from the end. False for ids made elsewhere, bodies without one, and commands.
    /// </summary>
    public static bool TryGetLocalNumber(ReadOnlySpan<byte> body, out long number)
    {
        number = 0;
        if (body.Length < Prefix.Length + 2 || body[^1] != (byte)'"')
        {
            return false;
        }
        var start = body[..^1].LastIndexOf((byte)'"') + 1;
        if (start == 0 || !body[start..].StartsWith(Prefix) || !body[..start].EndsWith("\"signal_id\":\""u8))
        {
            return false;
        }
        return long.TryParse(body[(start + Prefix.Length)..^1], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out number);
    }

    public override string ToString() =>
        _text ?? Encoding.ASCII.GetString(Prefix) + _number.ToString("x", CultureInfo.InvariantCulture);
}
