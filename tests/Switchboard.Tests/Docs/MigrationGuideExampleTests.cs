using System.Text.RegularExpressions;
using Switchboard.Tests.TestSupport;

namespace Switchboard.Tests.Docs;

/// <summary>
/// The migration guides cannot drift from compiled code: every <c>```csharp</c> block of docs/from-djangofloor.md and
/// docs/from-signalr.md is marked with the example file it comes from (<c>&lt;!-- example: samples/… --&gt;</c> on the
/// line before) and appears there verbatim, whitespace aside; that project is part of the solution, so it compiles
/// with every build. Every example file is shown by a guide, and every setting a guide names is in docs/options.md.
/// </summary>
public sealed partial class MigrationGuideExampleTests
{
    private const string ExamplesFolder = "samples/Switchboard.MigrationExamples";

    private static readonly string[] GuideFiles = ["docs/from-djangofloor.md", "docs/from-signalr.md"];

    public static TheoryData<string> Guides() => new(GuideFiles);

    [Theory]
    [MemberData(nameof(Guides))]
    public void EveryCSharpBlockIsInItsCompiledExampleFile(string guide)
    {
        var blocks = CSharpBlocks(File.ReadAllText(Repository.PathOf(guide)));
        var problems = new List<string>();
        foreach (var (line, file, code) in blocks)
        {
            if (file is null)
            {
                problems.Add($"line {line}: a ```csharp block without <!-- example: {ExamplesFolder}/… --> on the line before");
            }
            else if (!file.StartsWith(ExamplesFolder + "/", StringComparison.Ordinal) || !File.Exists(Repository.PathOf(file)))
            {
                problems.Add($"line {line}: {file} is not a file of {ExamplesFolder}");
            }
            else if (!Normalize(File.ReadAllText(Repository.PathOf(file))).Contains(Normalize(code), StringComparison.Ordinal))
            {
                problems.Add($"line {line}: the block is not in {file} (whitespace aside):\n{code}");
            }
        }
        Assert.True(blocks.Count > 0, guide + " has no C# example");
        Assert.True(problems.Count == 0, guide + ":\n" + string.Join('\n', problems));
    }

    [Fact]
    public void EveryExampleFileIsShownByAGuide()
    {
        var shown = GuideFiles.SelectMany(g => CSharpBlocks(File.ReadAllText(Repository.PathOf(g))))
            .Select(b => b.File).ToHashSet(StringComparer.Ordinal);
        var unshown = Directory.EnumerateFiles(Repository.PathOf(ExamplesFolder), "*.cs", SearchOption.AllDirectories)
            .Select(p => Path.GetRelativePath(Repository.Root, p).Replace('\\', '/'))
            .Where(p => !p.Contains("/obj/", StringComparison.Ordinal) && !p.Contains("/bin/", StringComparison.Ordinal))
            .Where(p => !shown.Contains(p))
            .ToList();
        Assert.True(unshown.Count == 0, "Example files no guide shows: " + string.Join(", ", unshown));
    }

    [Theory]
    [MemberData(nameof(Guides))]
    public void EverySettingTheGuideNamesIsDocumentedInOptions(string guide)
    {
        var options = File.ReadAllText(Repository.PathOf("docs/options.md"));
        var missing = Setting().Matches(File.ReadAllText(Repository.PathOf(guide)))
            .Select(m => m.Groups["name"].Value)
            .Distinct(StringComparer.Ordinal)
            .Where(name => !options.Contains("`" + name + "`", StringComparison.Ordinal)
                && !options.Contains("`Switchboard:" + name + "`", StringComparison.Ordinal))
            .ToList();
        Assert.True(missing.Count == 0, guide + " names settings docs/options.md does not list: " + string.Join(", ", missing));
    }

    [Fact]
    public void TheChecksFindWhatTheyLookFor()
    {
        const string sample = """
            <!-- example: samples/Switchboard.MigrationExamples/A.txt -->
            ```csharp
            var  x =
                1;
            ```
            ```csharp
            unmarked();
            ```
            ```python
            ignored()
            ```
            `Switchboard:Workers:Count`, `SwitchboardRedisOptions.JobLease`, `Switchboard` alone.
            """;

        var blocks = CSharpBlocks(sample);
        Assert.Equal(2, blocks.Count);
        Assert.Equal(("samples/Switchboard.MigrationExamples/A.txt", "var  x =\n    1;"), (blocks[0].File, blocks[0].Code));
        Assert.Null(blocks[1].File);
        Assert.Equal("var x = 1;", Normalize(blocks[0].Code));
        Assert.Equal(["Workers:Count", "JobLease"], Setting().Matches(sample).Select(m => m.Groups["name"].Value));
    }

    /// <summary>Each <c>```csharp</c> block: its line, the example file its marker names (or null), its code.</summary>
    private static List<(int Line, string? File, string Code)> CSharpBlocks(string markdown)
    {
        var lines = markdown.Replace("\r", "", StringComparison.Ordinal).Split('\n');
        var blocks = new List<(int, string?, string)>();
        for (var i = 0; i < lines.Length; i++)
        {
            if (lines[i].Trim() != "```csharp")
            {
                continue;
            }
            var marker = i > 0 ? Marker().Match(lines[i - 1]) : Match.Empty;
            var end = i + 1;
            while (end < lines.Length && lines[end].Trim() != "```")
            {
                end++;
            }
            blocks.Add((i + 1, marker.Success ? marker.Groups[1].Value : null, string.Join('\n', lines[(i + 1)..end])));
            i = end;
        }
        return blocks;
    }

    private static string Normalize(string code) => Whitespace().Replace(code, " ").Trim();

    [GeneratedRegex(@"^\s*<!--\s*example:\s*(\S+)\s*-->\s*$")]
    private static partial Regex Marker();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    /// <summary>A setting in a code span: <c>`Switchboard:Name`</c> (configuration) or <c>`SwitchboardRedisOptions.Name`</c>.</summary>
    [GeneratedRegex(@"`(?:Switchboard:|SwitchboardRedisOptions\.)(?<name>[A-Za-z][A-Za-z:]*)`")]
    private static partial Regex Setting();
}
