using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Switchboard.Tests.TypeScript;

// Types the TypeScript mapping tests map: each shows one kind of type.
#pragma warning disable CA1812, CA1034, CA1819, CA1002, CA2227 // Shapes for the mapper, never instantiated by code.

public enum Color
{
    Red,
    [JsonStringEnumMemberName("deep-green")]
    Green,
}

[Flags]
public enum Access
{
    None = 0,
    Read = 1,
    Write = 2,
}

[JsonConverter(typeof(JsonNumberEnumConverter<Level>))]
public enum Level
{
    Low,
    High,
}

/// <summary>Positional record: camelCase names, a constructor default makes a property optional.</summary>
public sealed record Item(string Name, int Count = 1, string? Note = null);

/// <summary>Attributes the serializer honours.</summary>
public sealed class Tuned
{
    [JsonPropertyName("display_name")]
    public string Display { get; set; } = "";

    [JsonIgnore]
    public string Secret { get; set; } = "";

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Maybe { get; set; }

    public required DateTime When { get; init; }

    public Guid Id { get; set; }

    public JsonElement Raw { get; set; }

    [JsonConverter(typeof(JsonStringEnumConverter<Level>))]
    public Level? Named { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Rest { get; set; }
}

/// <summary>Refers to itself: by name, never expanded again.</summary>
public sealed record Node(string Name, Node? Parent, List<Node> Children);

/// <summary>A list of itself: no name to refer to, so the inner one is unknown.</summary>
public sealed class SelfList : List<SelfList>;

public sealed record Page<T>(IReadOnlyList<T> Items, int Total);

/// <summary>Collections and dictionaries, with nullable elements.</summary>
public sealed class Collections
{
    public int[] Numbers { get; set; } = [];
    public List<string?> Names { get; set; } = [];
    public IReadOnlyList<Item> Items { get; set; } = [];
    public Dictionary<string, int> Counts { get; set; } = [];
    public Dictionary<Color, Item?> ByColor { get; set; } = [];
    public HashSet<Guid> Ids { get; set; } = [];
    public byte[] Blob { get; set; } = [];
    public JsonObject? Extra { get; set; }
    public int? MaybeNumber { get; set; }
    public TimeSpan Duration { get; set; }
    public decimal Price { get; set; }
    public Access Access { get; set; }
    public Level Level { get; set; }
    public Color Color { get; set; }
}

/// <summary>A type with a converter of its own: its JSON is not known.</summary>
[JsonConverter(typeof(OpaqueConverter))]
public sealed class Opaque;

public sealed class OpaqueConverter : JsonConverter<Opaque>
{
    public override Opaque Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        reader.Skip();
        return new Opaque();
    }

    public override void Write(Utf8JsonWriter writer, Opaque value, JsonSerializerOptions options) => writer.WriteStringValue("opaque");
}

public static class Outer
{
    /// <summary>Same simple name as the top-level <see cref="TypeScript.Item"/>: both get qualified names.</summary>
    public sealed record Item(bool Flag);
}
/// <summary>A hierarchy the serializer writes with a discriminator ("kind": a string or a number).</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "kind")]
[JsonDerivedType(typeof(Circle), "circle")]
[JsonDerivedType(typeof(Square), 2)]
public abstract record Shape(string Label);

public sealed record Circle(string Label, double Radius) : Shape(Label);

public sealed record Square(string Label, double Side) : Shape(Label);

/// <summary>A concrete base, written without a discriminator when it is not a derived type ("$type" by default).</summary>
[JsonDerivedType(typeof(Dog), "dog")]
public class Animal
{
    public string Name { get; set; } = "";
}

public sealed class Dog : Animal
{
    public bool Barks { get; set; }
}
#pragma warning restore CA1812, CA1034, CA1819, CA1002, CA2227
