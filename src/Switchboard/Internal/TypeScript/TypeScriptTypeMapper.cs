using System.Reflection;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Switchboard.Internal.TypeScript;

/// <summary>
/// Maps .NET types to TypeScript as the serializer reads and writes them: the contract of <c>options</c>
/// (<see cref="JsonSerializerOptions.GetTypeInfo"/>) decides objects, collections and dictionaries and gives property
/// names after the naming policy; nullable annotations add <c>| null</c>. Records and classes become named interfaces
/// and enums named unions, each emitted once, so recursive types refer to themselves by name.
/// </summary>
/// <remarks>
/// Names are given only at the end (<see cref="Resolve"/>): until then a named type is a placeholder, so that two types
/// of one simple name are both qualified whatever the order they were met in.
/// </remarks>
internal sealed class TypeScriptTypeMapper(JsonSerializerOptions options)
{
    private const char Mark = '\u0001';

    private static readonly HashSet<Type> Numbers =
    [
        typeof(byte), typeof(sbyte), typeof(short), typeof(ushort), typeof(int), typeof(uint), typeof(long), typeof(ulong),
        typeof(float), typeof(double), typeof(decimal), typeof(Half), typeof(Int128), typeof(UInt128), typeof(nint), typeof(nuint),
    ];

    // Written as JSON strings by the serializer's built-in converters (byte arrays as base64).
    private static readonly HashSet<Type> Strings =
    [
        typeof(string), typeof(char), typeof(DateTime), typeof(DateTimeOffset), typeof(DateOnly), typeof(TimeOnly), typeof(TimeSpan),
        typeof(Guid), typeof(Uri), typeof(Version), typeof(byte[]), typeof(Memory<byte>), typeof(ReadOnlyMemory<byte>),
    ];

    private static readonly HashSet<Type> Unknowns =
        [typeof(object), typeof(JsonElement), typeof(JsonDocument), typeof(JsonNode), typeof(JsonValue)];

    private readonly NullabilityInfoContext _nullability = new();
    private readonly Dictionary<Type, int> _index = [];
    private readonly List<TypeScriptNamedType> _named = [];
    private HashSet<Type> _inline = [];

    /// <summary>The TypeScript type of a value of <paramref name="type"/>; <paramref name="nullability"/> (may be null) says whether a reference may be null.</summary>
    public string Map(Type type, NullabilityInfo? nullability)
    {
        ArgumentNullException.ThrowIfNull(type);
        if (Nullable.GetUnderlyingType(type) is { } underlying)
        {
            return OrNull(MapNonNull(underlying, nullability?.GenericTypeArguments.FirstOrDefault()));
        }
        var ts = MapNonNull(type, nullability);
        return !type.IsValueType && nullability?.ReadState == NullabilityState.Nullable ? OrNull(ts) : ts;
    }

    /// <summary>The nullability of a parameter (a handler's), read from its annotations.</summary>
    public NullabilityInfo Nullability(ParameterInfo parameter) => _nullability.Create(parameter);

    /// <summary>
    /// Replaces the placeholders of named types in <paramref name="text"/> by their names. Call once every type was
    /// mapped: names are chosen then, qualified when two types share a simple name.
    /// </summary>
    public string Resolve(string text)
    {
        AssignNames();
        var sb = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] != Mark)
            {
                sb.Append(text[i]);
                continue;
            }
            var end = text.IndexOf(Mark, i + 1);
            sb.Append(_named[int.Parse(text.AsSpan(i + 1, end - i - 1), System.Globalization.CultureInfo.InvariantCulture)].Name);
            i = end;
        }
        return sb.ToString();
    }

    /// <summary>The declarations of every named type met, sorted by name (call after every <see cref="Map"/>).</summary>
    public IEnumerable<string> Declarations()
    {
        AssignNames();
        return _named.OrderBy(n => n.Name, StringComparer.Ordinal).Select(n => Resolve(n.Declaration!(n.Name!)));
    }

    private string MapNonNull(Type type, NullabilityInfo? nullability)
    {
        if (type == typeof(bool))
        {
            return "boolean";
        }
        if (Numbers.Contains(type))
        {
            return "number";
        }
        if (Strings.Contains(type))
        {
            return "string";
        }
        if (Unknowns.Contains(type))
        {
            return "unknown";
        }
        if (type == typeof(JsonObject))
        {
            return "{ [key: string]: unknown }";
        }
        if (type == typeof(JsonArray))
        {
            return "unknown[]";
        }
        if (type.IsEnum)
        {
            return MapEnum(type, type.GetCustomAttribute<JsonConverterAttribute>()?.ConverterType);
        }
        JsonTypeInfo info;
        try
        {
            info = options.GetTypeInfo(type);
        }
        catch (Exception e) when (e is NotSupportedException or InvalidOperationException or ArgumentException)
        {
            return "unknown";
        }
        return info.Kind switch
        {
            JsonTypeInfoKind.Object when info.PolymorphismOptions is { DerivedTypes.Count: > 0 } polymorphism =>
                Named(type, name => Union(name, type, info, polymorphism)),
            JsonTypeInfoKind.Object => Named(type, name => Interface(name, info)),
            JsonTypeInfoKind.Enumerable => Inline(type, () => ArrayOf(Map(info.ElementType!, Argument(type, info.ElementType!, nullability)))),
            JsonTypeInfoKind.Dictionary => Inline(type, () => Dictionary(info.KeyType!, Map(info.ElementType!, Argument(type, info.ElementType!, nullability)))),
            // A converter of its own (the app's, or one the serializer has for this type): its JSON is not known here.
            _ => "unknown",
        };
    }

    /// <summary>Collections are written inline; one that contains itself (a list of itself) maps to unknown there.</summary>
    private string Inline(Type type, Func<string> map)
    {
        if (!_inline.Add(type))
        {
            return "unknown";
        }
        try
        {
            return map();
        }
        finally
        {
            _inline.Remove(type);
        }
    }

    private string MapEnum(Type type, Type? converter)
    {
        if (converter is not null && converter.IsGenericType && converter.GetGenericTypeDefinition() == typeof(JsonNumberEnumConverter<>))
        {
            return "number";
        }
        if (converter is not null && converter != typeof(JsonStringEnumConverter) &&
            !(converter.IsGenericType && converter.GetGenericTypeDefinition() == typeof(JsonStringEnumConverter<>)))
        {
            return "unknown";
        }
        if (converter is null && !options.Converters.Any(c => c is JsonStringEnumConverter))
        {
            return "number";
        }
        // Flags combine as "A, B": any string.
        if (type.IsDefined(typeof(FlagsAttribute), false))
        {
            return "string";
        }
        return Named(type, name =>
        {
            var members = type.GetFields(BindingFlags.Public | BindingFlags.Static)
                .Select(f => f.GetCustomAttribute<JsonStringEnumMemberNameAttribute>()?.Name ?? f.Name)
                .Select(TypeScriptNames.Quote)
                .ToList();
            return $"export type {name} = {(members.Count == 0 ? "never" : string.Join(" | ", members))};";
        });
    }

    private string Named(Type type, Func<string, string> declaration)
    {
        if (!_index.TryGetValue(type, out var index))
        {
            index = _named.Count;
            _index.Add(type, index);
            var named = new TypeScriptNamedType(type);
            _named.Add(named);
            // Registered before its members are mapped: a member of its own type refers to it by name. A collection
            // met again inside it is no cycle (the name breaks it), so its members start with no inline types.
            var inline = _inline;
            _inline = [];
            string body;
            try
            {
                body = declaration("\u0002");
            }
            finally
            {
                _inline = inline;
            }
            named.Declaration = name => body.Replace("\u0002", name, StringComparison.Ordinal);
        }
        return $"{Mark}{index.ToString(System.Globalization.CultureInfo.InvariantCulture)}{Mark}";
    }

    private string Interface(string name, JsonTypeInfo info) =>
        $"export interface {name} {{\n{string.Concat(Members(info).Select(m => $"  {m};\n"))}}}";

    /// <summary>The members of an object type: its JSON properties, and an index signature for extension data.</summary>
    private List<string> Members(JsonTypeInfo info)
    {
        var members = new List<string>();
        var extensionData = false;
        foreach (var property in info.Properties)
        {
            if (property.Get is null && property.Set is null)
            {
                // [JsonIgnore]: in the contract, never read nor written.
                continue;
            }
            if (property.IsExtensionData)
            {
                extensionData = true;
                continue;
            }
            var member = property.AttributeProvider as MemberInfo;
            var nullability = OpensGenericParameter(member) ? null : member switch
            {
                PropertyInfo p => _nullability.Create(p),
                FieldInfo f => _nullability.Create(f),
                _ => null,
            };
            var ts = property.CustomConverter is not null
                ? MapCustomConverted(property.PropertyType, member?.GetCustomAttribute<JsonConverterAttribute>()?.ConverterType, nullability)
                : Map(property.PropertyType, nullability);
            var optional = !property.IsRequired && (MayBeOmitted(member) || property.AssociatedParameter?.HasDefaultValue == true);
            members.Add($"{TypeScriptNames.PropertyName(property.Name)}{(optional ? "?: " : ": ")}{ts}");
        }
        if (extensionData)
        {
            members.Add("[key: string]: unknown");
        }
        return members;
    }

    /// <summary>
    /// A polymorphic type (<c>[JsonDerivedType]</c>): a union of its derived types, each with its discriminator as the
    /// serializer writes it, and the type itself (its own members, no discriminator) when it can be instantiated and is
    /// not listed.
    /// </summary>
    private string Union(string name, Type type, JsonTypeInfo info, JsonPolymorphismOptions polymorphism)
    {
        var discriminator = TypeScriptNames.PropertyName(polymorphism.TypeDiscriminatorPropertyName);
        var cases = new List<string>();
        foreach (var derived in polymorphism.DerivedTypes)
        {
            var shape = derived.DerivedType == type ? $"{{ {string.Join("; ", Members(info))} }}" : Map(derived.DerivedType, null);
            cases.Add(derived.TypeDiscriminator switch
            {
                string s => $"({{ {discriminator}: {TypeScriptNames.Quote(s)} }} & {shape})",
                int i => $"({{ {discriminator}: {i.ToString(System.Globalization.CultureInfo.InvariantCulture)} }} & {shape})",
                _ => shape,
            });
        }
        if (!type.IsAbstract && !type.IsInterface && polymorphism.DerivedTypes.All(d => d.DerivedType != type))
        {
            cases.Add($"{{ {string.Join("; ", Members(info))} }}");
        }
        return $"export type {name} = {string.Join(" | ", cases)};";
    }

    /// <summary>A member with a [JsonConverter] of its own: known for the enum converters, unknown otherwise.</summary>
    private string MapCustomConverted(Type type, Type? converter, NullabilityInfo? nullability)
    {
        var underlying = Nullable.GetUnderlyingType(type);
        var enumType = underlying ?? type;
        var ts = enumType.IsEnum && converter is not null ? MapEnum(enumType, converter) : "unknown";
        return underlying is not null || (nullability?.ReadState == NullabilityState.Nullable && !type.IsValueType) ? OrNull(ts) : ts;
    }

    /// <summary>
    /// Whether the member of a constructed generic type is typed with its type parameters (<c>T Item</c> of
    /// <c>Page&lt;T&gt;</c>): their annotations belong to the type argument's use, unknown here, so they count as not null.
    /// </summary>
    private static bool OpensGenericParameter(MemberInfo? member)
    {
        if (member?.DeclaringType is not { IsConstructedGenericType: true } declaring)
        {
            return false;
        }
        var definition = declaring.GetGenericTypeDefinition().GetMember(member.Name, BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance).FirstOrDefault();
        return definition switch
        {
            PropertyInfo p => p.PropertyType.ContainsGenericParameters,
            FieldInfo f => f.FieldType.ContainsGenericParameters,
            _ => false,
        };
    }

    /// <summary>Whether the serializer may leave the member out when writing (JsonIgnore WhenWritingNull/Default).</summary>
    private bool MayBeOmitted(MemberInfo? member)
    {
        var condition = member?.GetCustomAttribute<JsonIgnoreAttribute>()?.Condition ?? options.DefaultIgnoreCondition;
        return condition is JsonIgnoreCondition.WhenWritingNull or JsonIgnoreCondition.WhenWritingDefault;
    }

    private static string Dictionary(Type key, string value)
    {
        // Enum keys are written as their names, like enum values.
        if (key.IsEnum && !key.IsDefined(typeof(FlagsAttribute), false))
        {
            var names = key.GetFields(BindingFlags.Public | BindingFlags.Static)
                .Select(f => f.GetCustomAttribute<JsonStringEnumMemberNameAttribute>()?.Name ?? f.Name).Select(TypeScriptNames.Quote).ToList();
            if (names.Count > 0)
            {
                return $"{{ [key in {string.Join(" | ", names)}]?: {value} }}";
            }
        }
        return $"{{ [key: string]: {value} }}";
    }

    /// <summary>The nullability of the generic argument (or array element) of <paramref name="type"/> that is <paramref name="argument"/>.</summary>
    private static NullabilityInfo? Argument(Type type, Type argument, NullabilityInfo? nullability)
    {
        if (nullability is null)
        {
            return null;
        }
        if (type.IsArray)
        {
            return nullability.ElementType;
        }
        var arguments = type.IsGenericType ? type.GetGenericArguments() : [];
        for (var i = arguments.Length - 1; i >= 0; i--)
        {
            if (arguments[i] == argument && i < nullability.GenericTypeArguments.Length)
            {
                return nullability.GenericTypeArguments[i];
            }
        }
        return null;
    }

    private static string OrNull(string ts) => ts == "unknown" ? ts : ts + " | null";

    private static string ArrayOf(string element) =>
        element.Contains(" | ", StringComparison.Ordinal) || element.Contains(" & ", StringComparison.Ordinal) ? $"({element})[]" : element + "[]";

    private void AssignNames()
    {
        if (_named.All(n => n.Name is not null))
        {
            return;
        }
        var simple = _named.ToDictionary(n => n, n => TypeScriptNames.SimpleName(n.Type));
        var taken = new HashSet<string>(StringComparer.Ordinal);
        foreach (var group in _named.GroupBy(n => simple[n], StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var many = group.Count() > 1;
            foreach (var named in group.OrderBy(n => n.Type.FullName ?? n.Type.Name, StringComparer.Ordinal))
            {
                var name = many ? TypeScriptNames.QualifiedName(named.Type) : group.Key;
                var unique = name;
                for (var i = 2; !taken.Add(unique); i++)
                {
                    unique = name + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
                }
                named.Name = unique;
            }
        }
    }
}
