using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using Switchboard.Internal.Protocol;
using Switchboard.Internal.TypeScript;

namespace Switchboard.Tests.TypeScript;

/// <summary>C# → TypeScript as the dispatcher's serializer options read and write each kind of type.</summary>
public sealed class TypeScriptTypeMapperTests
{
    private static (string Type, string[] Declarations) Map(Type type, NullabilityInfo? nullability = null)
    {
        var mapper = new TypeScriptTypeMapper(SwitchboardJson.Options);
        var ts = mapper.Map(type, nullability);
        var declarations = mapper.Declarations().ToArray();
        return (mapper.Resolve(ts), declarations);
    }

    private static string Declaration(Type type, string name) =>
        Assert.Single(Map(type).Declarations, d => d.StartsWith($"export interface {name} ", StringComparison.Ordinal) || d.StartsWith($"export type {name} ", StringComparison.Ordinal));

    [Theory]
    [InlineData(typeof(string), "string")]
    [InlineData(typeof(char), "string")]
    [InlineData(typeof(bool), "boolean")]
    [InlineData(typeof(int), "number")]
    [InlineData(typeof(long), "number")]
    [InlineData(typeof(double), "number")]
    [InlineData(typeof(decimal), "number")]
    [InlineData(typeof(byte), "number")]
    [InlineData(typeof(DateTime), "string")]
    [InlineData(typeof(DateTimeOffset), "string")]
    [InlineData(typeof(DateOnly), "string")]
    [InlineData(typeof(TimeSpan), "string")]
    [InlineData(typeof(Guid), "string")]
    [InlineData(typeof(Uri), "string")]
    [InlineData(typeof(byte[]), "string")]
    [InlineData(typeof(JsonElement), "unknown")]
    [InlineData(typeof(JsonNode), "unknown")]
    [InlineData(typeof(object), "unknown")]
    [InlineData(typeof(JsonObject), "{ [key: string]: unknown }")]
    [InlineData(typeof(JsonArray), "unknown[]")]
    [InlineData(typeof(int?), "number | null")]
    [InlineData(typeof(Guid?), "string | null")]
    [InlineData(typeof(JsonElement?), "unknown")]
    [InlineData(typeof(int[]), "number[]")]
    [InlineData(typeof(List<string>), "string[]")]
    [InlineData(typeof(IEnumerable<double>), "number[]")]
    [InlineData(typeof(HashSet<bool>), "boolean[]")]
    [InlineData(typeof(int?[]), "(number | null)[]")]
    [InlineData(typeof(List<int[]>), "number[][]")]
    [InlineData(typeof(Dictionary<string, int>), "{ [key: string]: number }")]
    [InlineData(typeof(IReadOnlyDictionary<int, string>), "{ [key: string]: string }")]
    [InlineData(typeof(Dictionary<Color, bool>), "{ [key in 'Red' | 'deep-green']?: boolean }")]
    [InlineData(typeof(Access), "string")]
    [InlineData(typeof(Level), "number")]
    [InlineData(typeof(Opaque), "unknown")]
    [InlineData(typeof(SelfList), "unknown[]")]
    public void ValueTypesAndCollectionsMapInline(Type type, string expected)
    {
        var (ts, declarations) = Map(type);

        Assert.Equal(expected, ts);
        Assert.Empty(declarations);
    }

    [Fact]
    public void EnumsAreNamedUnionsOfTheirJsonNames()
    {
        var (ts, declarations) = Map(typeof(Color));

        Assert.Equal("Color", ts);
        Assert.Equal(["export type Color = 'Red' | 'deep-green';"], declarations);
        Assert.Equal("\"deep-green\"", JsonSerializer.Serialize(Color.Green, SwitchboardJson.Options));
    }

    [Fact]
    public void NullableReferencesFollowTheirAnnotations()
    {
        var parameters = typeof(TypeScriptTypeMapperTests).GetMethod(nameof(Annotated), BindingFlags.NonPublic | BindingFlags.Static)!.GetParameters();
        var mapper = new TypeScriptTypeMapper(SwitchboardJson.Options);

        var mapped = parameters.Select(p => mapper.Map(p.ParameterType, mapper.Nullability(p))).ToArray();

        Assert.Equal(["string", "string | null", "(string | null)[]", "string[] | null", "{ [key: string]: Item | null }", "number | null"],
            mapped.Select(mapper.Resolve));
    }

    private static void Annotated(string a, string? b, List<string?> c, string[]? d, Dictionary<string, Item?> e, int? f)
    {
    }

    [Fact]
    public void RecordsAreInterfacesWithCamelCaseNamesAndConstructorDefaultsOptional()
    {
        var (ts, _) = Map(typeof(Item));

        Assert.Equal("Item", ts);
        Assert.Equal("export interface Item {\n  name: string;\n  count?: number;\n  note?: string | null;\n}", Declaration(typeof(Item), "Item"));
    }

    [Fact]
    public void SerializerAttributesAreHonoured()
    {
        // [JsonPropertyName], [JsonIgnore] (always: absent; WhenWritingNull: optional), required, a member converter,
        // [JsonExtensionData] (any other name).
        Assert.Equal(
            "export interface Tuned {\n  display_name: string;\n  maybe?: string | null;\n  when: string;\n  id: string;\n  raw: unknown;\n" +
            "  named: Level | null;\n  [key: string]: unknown;\n}",
            Declaration(typeof(Tuned), "Tuned"));
        Assert.Contains("export type Level = 'Low' | 'High';", Map(typeof(Tuned)).Declarations);
    }

    [Fact]
    public void RecursiveTypesReferToThemselvesByName()
    {
        var (ts, declarations) = Map(typeof(Node));

        Assert.Equal("Node", ts);
        Assert.Equal(["export interface Node {\n  name: string;\n  parent: Node | null;\n  children: Node[];\n}"], declarations);
    }

    [Fact]
    public void CollectionsAndDictionariesInsideObjects()
    {
        Assert.Equal(
            "export interface Collections {\n  numbers: number[];\n  names: (string | null)[];\n  items: Item[];\n  counts: { [key: string]: number };\n" +
            "  byColor: { [key in 'Red' | 'deep-green']?: Item | null };\n  ids: string[];\n  blob: string;\n  extra: { [key: string]: unknown } | null;\n" +
            "  maybeNumber: number | null;\n  duration: string;\n  price: number;\n  access: string;\n  level: number;\n  color: Color;\n}",
            Declaration(typeof(Collections), "Collections"));
        Assert.Equal(["Collections", "Color", "Item"], Map(typeof(Collections)).Declarations.Select(d => d.Split(' ')[2]));
    }

    [Fact]
    public void ClosedGenericsGetNamesOfTheirArguments()
    {
        var (ts, declarations) = Map(typeof(Page<Item>));

        Assert.Equal("PageOfItem", ts);
        Assert.Equal("export interface PageOfItem {\n  items: Item[];\n  total: number;\n}", declarations[1]);
    }

    [Fact]
    public void TypesOfOneSimpleNameAreQualifiedWhateverTheOrder()
    {
        var mapper = new TypeScriptTypeMapper(SwitchboardJson.Options);
        var inner = mapper.Map(typeof(Outer.Item), null);
        var outer = mapper.Map(typeof(Item), null);

        var names = mapper.Declarations().Select(d => d.Split(' ')[2]).ToArray();

        Assert.Equal("Switchboard_Tests_TypeScript_Item", mapper.Resolve(outer));
        Assert.Equal("Switchboard_Tests_TypeScript_Outer_Item", mapper.Resolve(inner));
        Assert.Equal(["Switchboard_Tests_TypeScript_Item", "Switchboard_Tests_TypeScript_Outer_Item"], names);
    }

    [Fact]
    public void PolymorphicTypesAreUnionsOfTheirDerivedTypesWithTheDiscriminator()
    {
        var (ts, declarations) = Map(typeof(Shape));

        Assert.Equal("Shape", ts);
        Assert.Contains("export type Shape = ({ kind: 'circle' } & Circle) | ({ kind: 2 } & Square);", declarations);
        var circle = Assert.Single(declarations, d => d.StartsWith("export interface Circle ", StringComparison.Ordinal));
        Assert.Contains("  radius: number;\n", circle, StringComparison.Ordinal);
        Assert.Contains("  label: string;\n", circle, StringComparison.Ordinal);
        Assert.StartsWith("{\"kind\":\"circle\",", JsonSerializer.Serialize<Shape>(new Circle("c", 1), SwitchboardJson.Options), StringComparison.Ordinal);
        Assert.Contains("export type Animal = ({ $type: 'dog' } & Dog) | { name: string };", Map(typeof(Animal)).Declarations);
    }

    [Theory]
    [InlineData("room", "room")]
    [InlineData("_a$1", "_a$1")]
    [InlineData("display-name", "'display-name'")]
    [InlineData("1st", "'1st'")]
    [InlineData("it's", "'it\\'s'")]
    public void PropertyNamesAreQuotedWhenNotIdentifiers(string name, string expected) =>
        Assert.Equal(expected, TypeScriptNames.PropertyName(name));
}
