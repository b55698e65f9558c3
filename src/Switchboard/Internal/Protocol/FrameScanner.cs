using System.Text;
using System.Text.Json;

namespace Switchboard.Internal.Protocol;

/// <summary>
/// One <see cref="Utf8JsonReader"/> pass over a browser frame, without a DOM: checks what a <see cref="JsonDocument"/>
/// with <c>MaxDepth = 64</c> and <c>AllowDuplicateProperties = false</c> whose strings are all read would reject
/// (syntax, depth, a property name twice in one object at any depth, a lone surrogate escape in a name or a value), and
/// records where the values of the root object's known fields are. One instance per thread, reused: a call frame
/// allocates nothing here.
/// </summary>
internal sealed class FrameScanner
{
    public const int Type = 0, Id = 1, Signal = 2, Opts = 3, Version = 4, Token = 5, Resume = 6, Pos = 7, FieldCount = 8;

    private const int MaxDepth = 64;

    // Past this many names in one object, names are checked with a set instead of by comparing with each other.
    private const int LinearNames = 16;

    // A scanner whose buffers grew past this (a huge frame) is not kept for the next frame.
    private const int KeptBufferBytes = 16 * 1024;

    [ThreadStatic]
    private static FrameScanner? t_scanner;

    // Unescaped UTF-8 names of the objects being read, innermost last; _nameEnds[i] is where name i ends.
    private byte[] _names = new byte[256];
    private int _namesLength;
    private int[] _nameEnds = new int[32];
    private int _nameCount;

    // Per open object: the index of its first name, and its set of names once it has more than LinearNames.
    private readonly int[] _firstName = new int[MaxDepth + 2];
    private readonly HashSet<string>?[] _sets = new HashSet<string>?[MaxDepth + 2];
    private int _objects;

    /// <summary>
    /// Whether <paramref name="utf8"/> (valid UTF-8) is one acceptable JSON value. <paramref name="fields"/> (length
    /// <see cref="FieldCount"/>) gets the range of each known field's value in the root object (empty when absent).
    /// </summary>
    public static bool TryScan(ReadOnlySpan<byte> utf8, out bool rootIsObject, Span<Range> fields)
    {
        var scanner = t_scanner ?? new FrameScanner();
        t_scanner = null;
        try
        {
            return scanner.Scan(utf8, out rootIsObject, fields);
        }
        finally
        {
            scanner.Reset();
            if (scanner._names.Length <= KeptBufferBytes && scanner._nameEnds.Length <= KeptBufferBytes / 4)
            {
                t_scanner = scanner;
            }
        }
    }

    private bool Scan(ReadOnlySpan<byte> utf8, out bool rootIsObject, Span<Range> fields)
    {
        fields.Clear();
        rootIsObject = false;
        var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { MaxDepth = MaxDepth });
        var pending = -1;
        var container = -1;
        var containerStart = 0;
        try
        {
            if (!reader.Read())
            {
                return false;
            }
            rootIsObject = reader.TokenType == JsonTokenType.StartObject;
            do
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.PropertyName:
                        var name = AddName(ref reader);
                        pending = reader.CurrentDepth == 1 ? FieldOf(name) : -1;
                        continue;
                    case JsonTokenType.EndObject:
                    case JsonTokenType.EndArray:
                        if (reader.TokenType == JsonTokenType.EndObject)
                        {
                            EndObject();
                        }
                        if (container >= 0 && reader.CurrentDepth == 1)
                        {
                            fields[container] = containerStart..(int)reader.BytesConsumed;
                            container = -1;
                        }
                        continue;
                    case JsonTokenType.StartObject:
                        StartObject();
                        break;
                    case JsonTokenType.String when reader.ValueIsEscaped:
                        // Unescaping throws on a lone surrogate escape, as reading the string would.
                        reader.CopyString(Scratch(reader.ValueSpan.Length));
                        break;
                }
                if (pending >= 0)
                {
                    if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
                    {
                        (container, containerStart) = (pending, (int)reader.TokenStartIndex);
                    }
                    else
                    {
                        fields[pending] = (int)reader.TokenStartIndex..(int)reader.BytesConsumed;
                    }
                    pending = -1;
                }
            }
            while (reader.Read());
            return true;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            return false;
        }
    }

    private static int FieldOf(ReadOnlySpan<byte> name) => name switch
    {
        _ when name.SequenceEqual("type"u8) => Type,
        _ when name.SequenceEqual("id"u8) => Id,
        _ when name.SequenceEqual("signal"u8) => Signal,
        _ when name.SequenceEqual("opts"u8) => Opts,
        _ when name.SequenceEqual("v"u8) => Version,
        _ when name.SequenceEqual("token"u8) => Token,
        _ when name.SequenceEqual("resume"u8) => Resume,
        _ when name.SequenceEqual("pos"u8) => Pos,
        _ => -1,
    };

    private void StartObject()
    {
        _firstName[_objects] = _nameCount;
        _sets[_objects] = null;
        _objects++;
    }

    private void EndObject()
    {
        _objects--;
        _sets[_objects] = null;
        _nameCount = _firstName[_objects];
        _namesLength = _nameCount == 0 ? 0 : _nameEnds[_nameCount - 1];
    }

    /// <summary>Reads a property name of the innermost object (unescaped) and throws if that object already has it.</summary>
    private ReadOnlySpan<byte> AddName(ref Utf8JsonReader reader)
    {
        var start = _namesLength;
        var length = reader.ValueIsEscaped ? reader.CopyString(Scratch(reader.ValueSpan.Length)) : reader.ValueSpan.Length;
        if (!reader.ValueIsEscaped)
        {
            reader.ValueSpan.CopyTo(Scratch(length));
        }
        var name = _names.AsSpan(start, length);
        var level = _objects - 1;
        var first = _firstName[level];
        if (_sets[level] is { } set)
        {
            if (!set.Add(Encoding.UTF8.GetString(name)))
            {
                throw new JsonException("duplicate property name");
            }
            return name;
        }
        for (var i = first; i < _nameCount; i++)
        {
            var from = i == 0 ? 0 : _nameEnds[i - 1];
            if (_names.AsSpan(from, _nameEnds[i] - from).SequenceEqual(name))
            {
                throw new JsonException("duplicate property name");
            }
        }
        if (_nameCount - first >= LinearNames)
        {
            // A large object: from now on its names go to a set (the stored ones stay, for the set only).
            set = new HashSet<string>(StringComparer.Ordinal);
            for (var i = first; i < _nameCount; i++)
            {
                var from = i == 0 ? 0 : _nameEnds[i - 1];
                set.Add(Encoding.UTF8.GetString(_names, from, _nameEnds[i] - from));
            }
            set.Add(Encoding.UTF8.GetString(name));
            _sets[level] = set;
            return name;
        }
        if (_nameCount == _nameEnds.Length)
        {
            Array.Resize(ref _nameEnds, _nameEnds.Length * 2);
        }
        _nameEnds[_nameCount++] = start + length;
        _namesLength = start + length;
        return name;
    }

    /// <summary>Room for <paramref name="length"/> bytes after the stored names (not kept unless the caller stores it).</summary>
    private Span<byte> Scratch(int length)
    {
        if (_namesLength + length > _names.Length)
        {
            Array.Resize(ref _names, Math.Max(_names.Length * 2, _namesLength + length));
        }
        return _names.AsSpan(_namesLength, length);
    }

    private void Reset()
    {
        for (var i = 0; i < _objects; i++)
        {
            _sets[i] = null;
        }
        _objects = 0;
        _nameCount = 0;
        _namesLength = 0;
    }
}
