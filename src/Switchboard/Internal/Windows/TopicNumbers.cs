using System.Globalization;
using System.Numerics;
using System.Text;

namespace Switchboard.Internal.Windows;

/// <summary>
/// One canonical text per number, whatever its CLR type (docs/choices.md#topics): an integral value is its exact
/// integer digits (<c>1</c>, <c>1L</c>, <c>1.0</c> and <c>1.0m</c> all give <c>1</c>); any other value is its shortest
/// round-trip digits (a <see cref="float"/> and a <see cref="Half"/> their own shortest, so <c>0.1f</c> gives <c>0.1</c>)
/// laid out as ECMAScript's Number::toString does (<c>0.5</c>, <c>0.000001</c>, <c>1.5e-7</c>). Always valid JSON.
/// </summary>
internal static class TopicNumbers
{
    // Below 2^63 a double's integral value fits a long; above, BigInteger holds it exactly.
    private const double LongRange = 9.2e18;

    /// <summary>The topic key of a canonical number: <c>-int.</c> for an integer, <c>-num.</c> otherwise.</summary>
    public static string Key(string canonical) =>
        (canonical.AsSpan().IndexOfAny('.', 'e') < 0 ? "-int." : "-num.") + canonical;

    public static string Format(double value)
    {
        RequireFinite(double.IsFinite(value), value.ToString(CultureInfo.InvariantCulture), typeof(double));
        return value == Math.Floor(value) ? Integer(value) : Shortest(value.ToString("R", CultureInfo.InvariantCulture));
    }

    public static string Format(float value)
    {
        RequireFinite(float.IsFinite(value), value.ToString(CultureInfo.InvariantCulture), typeof(float));
        return value == MathF.Floor(value) ? Integer(value) : Shortest(value.ToString("R", CultureInfo.InvariantCulture));
    }

    public static string Format(Half value)
    {
        RequireFinite(Half.IsFinite(value), value.ToString(CultureInfo.InvariantCulture), typeof(Half));
        var d = (double)value;
        return d == Math.Floor(d) ? Integer(d) : Shortest(value.ToString("R", CultureInfo.InvariantCulture));
    }

    public static string Format(decimal value) =>
        decimal.Truncate(value) == value
            ? ((BigInteger)value).ToString(CultureInfo.InvariantCulture)
            // decimal's invariant text never has an exponent; trailing zeros (1.50m) go in Shortest.
            : Shortest(value.ToString(CultureInfo.InvariantCulture));

    private static string Integer(double integral) =>
        Math.Abs(integral) < LongRange
            ? ((long)integral).ToString(CultureInfo.InvariantCulture) // -0.0 becomes 0
            : new BigInteger(integral).ToString(CultureInfo.InvariantCulture);

    private static void RequireFinite(bool finite, string shown, Type type)
    {
        if (!finite)
        {
            throw new ArgumentException(
                $"The number {shown} ({type.FullName}) cannot be a topic: a topic must equal itself, and NaN equals nothing " +
                "while infinities have no digits to spell; pass a finite number.");
        }
    }

    /// <summary>
    /// Rewrites an invariant number text (<c>-1.50</c>, <c>1E-07</c>, <c>1.0000000000000005E+15</c>) whose value is not
    /// an integer as digits without leading or trailing zeros, laid out by ECMAScript's Number::toString rules.
    /// </summary>
    private static string Shortest(string text)
    {
        var negative = text[0] == '-';
        var digits = new StringBuilder(text.Length);
        var point = -1;
        var exponent = 0;
        for (var i = negative ? 1 : 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '.')
            {
                point = digits.Length;
            }
            else if (c is 'E' or 'e')
            {
                exponent = int.Parse(text.AsSpan(i + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
                break;
            }
            else
            {
                digits.Append(c);
            }
        }
        if (point < 0)
        {
            point = digits.Length;
        }
        var leading = 0;
        while (leading < digits.Length && digits[leading] == '0')
        {
            leading++;
        }
        digits.Remove(0, leading);
        point -= leading;
        while (digits.Length > 0 && digits[^1] == '0')
        {
            digits.Length--;
        }
        // value = 0.d1d2…dk × 10^n
        var n = point + exponent;
        var k = digits.Length;
        var result = new StringBuilder(k + 10);
        if (negative)
        {
            result.Append('-');
        }
        if (n > 0 && n <= 21)
        {
            result.Append(digits, 0, n).Append('.').Append(digits, n, k - n);
        }
        else if (n <= 0 && n > -6)
        {
            result.Append("0.").Append('0', -n).Append(digits);
        }
        else
        {
            var e = n - 1;
            result.Append(digits[0]);
            if (k > 1)
            {
                result.Append('.').Append(digits, 1, k - 1);
            }
            result.Append('e').Append(e >= 0 ? '+' : '-').Append(Math.Abs(e).ToString(CultureInfo.InvariantCulture));
        }
        return result.ToString();
    }
}
