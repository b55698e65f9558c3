using System.Text;
using System.Text.RegularExpressions;
using Switchboard.Tests.TestSupport;

namespace Switchboard.Tests.Docs;

/// <summary>
/// The documentation points only at things that exist: every relative link (and its <c>#anchor</c>) of the Markdown
/// files resolves, every repository path they quote in code spans exists, and every repository file a source comment
/// names exists. A file moved or renamed without its references fails here.
/// </summary>
public sealed partial class DocumentationLinkTests
{
    public static TheoryData<string> MarkdownFiles()
    {
        var files = new TheoryData<string>();
        foreach (var path in Directory.EnumerateFiles(Repository.PathOf("docs"), "*.md").Order(StringComparer.Ordinal))
        {
            files.Add("docs/" + Path.GetFileName(path));
        }
        files.Add("README.md");
        files.Add("clients/js/README.md");
        files.Add("tests/browser/README.md");
        return files;
    }

    [Theory]
    [MemberData(nameof(MarkdownFiles))]
    public void EveryRelativeLinkResolvesToAFileAndAnchorThatExist(string file)
    {
        var text = ProseOf(File.ReadAllText(Repository.PathOf(file)), keepCodeSpans: false);
        var broken = new List<string>();
        foreach (var target in LinkTargets(text))
        {
            if (Scheme().IsMatch(target) || target.StartsWith("//", StringComparison.Ordinal))
            {
                continue;
            }
            var hash = target.IndexOf('#', StringComparison.Ordinal);
            var (path, anchor) = hash < 0 ? (target, null) : (target[..hash], target[(hash + 1)..]);
            path = Uri.UnescapeDataString(path);
            var resolved = path.Length == 0 ? file
                : path.StartsWith('/') ? path.TrimStart('/')
                : Normalize(Path.GetDirectoryName(file)!.Replace('\\', '/'), path);
            if (!Exists(resolved))
            {
                broken.Add($"{target}: {resolved} does not exist");
            }
            else if (!string.IsNullOrEmpty(anchor) && resolved.EndsWith(".md", StringComparison.OrdinalIgnoreCase)
                && !AnchorsOf(File.ReadAllText(Repository.PathOf(resolved))).Contains(Uri.UnescapeDataString(anchor)))
            {
                broken.Add($"{target}: {resolved} has no heading #{anchor}");
            }
        }
        Assert.True(broken.Count == 0, $"{file}: broken links:\n" + string.Join('\n', broken));
    }

    [Theory]
    [MemberData(nameof(MarkdownFiles))]
    public void EveryRepositoryPathQuotedInCodeExists(string file)
    {
        var text = ProseOf(File.ReadAllText(Repository.PathOf(file)), keepCodeSpans: true);
        var missing = CodeSpan().Matches(text)
            .Select(m => m.Groups[1].Value.TrimEnd('.', ',', ':', ';'))
            .Where(p => RepositoryPath().IsMatch(p) && !p.AsSpan().ContainsAny("*{}<>…"))
            .Where(p => !Exists(p) && !Exists(Normalize(Path.GetDirectoryName(file)!.Replace('\\', '/'), p)))
            .Distinct()
            .ToList();
        Assert.True(missing.Count == 0, $"{file} names paths that do not exist: " + string.Join(", ", missing));
    }

    [Fact]
    public void EveryRepositoryFileNamedInTheSourcesExists()
    {
        var missing = new List<string>();
        foreach (var folder in new[] { "src", "tests", "samples" })
        {
            foreach (var path in Directory.EnumerateFiles(Repository.PathOf(folder), "*.cs", SearchOption.AllDirectories))
            {
                var relative = Path.GetRelativePath(Repository.Root, path).Replace('\\', '/');
                if (relative.Contains("/obj/", StringComparison.Ordinal) || relative.Contains("/bin/", StringComparison.Ordinal))
                {
                    continue;
                }
                foreach (Match m in NamedFile().Matches(File.ReadAllText(path)))
                {
                    if (!File.Exists(Repository.PathOf(m.Value)))
                    {
                        missing.Add($"{relative}: {m.Value}");
                    }
                }
            }
        }
        Assert.True(missing.Count == 0, "Source files name files that do not exist:\n" + string.Join('\n', missing.Distinct()));
    }

    [Fact]
    public void TheChecksFindWhatTheyLookFor()
    {
        const string sample = """
            # Title
            ## 1. Endpoint and `handshake`
            See [the options](options.md), [a section](#1-endpoint-and-handshake), [web](https://example.com)
            and ![img](../clients/js/README.md#x "title"); `[not a link](nowhere.md)`.
            ```
            [in a fence](nowhere.md)
            ```
            [ref]: scaling.md#outages
            Paths: `src/Switchboard/Backends/IBroker.cs`, `docs/delivery.md`.
            """;

        Assert.Equal(["options.md", "#1-endpoint-and-handshake", "https://example.com", "../clients/js/README.md#x", "scaling.md#outages"],
            LinkTargets(ProseOf(sample, keepCodeSpans: false)));
        Assert.Contains("1-endpoint-and-handshake", AnchorsOf(sample));
        Assert.Equal(["handshake", "[not a link](nowhere.md)", "src/Switchboard/Backends/IBroker.cs", "docs/delivery.md"],
            CodeSpan().Matches(ProseOf(sample, keepCodeSpans: true)).Select(m => m.Groups[1].Value));
        Assert.Contains("outages", AnchorsOf(File.ReadAllText(Repository.PathOf("docs/scaling.md"))));
        Assert.Equal("docs/delivery.md", Normalize("docs", "./delivery.md"));
        Assert.Equal("clients/js/README.md", Normalize("docs", "../clients/js/README.md"));
    }

    /// <summary>The text without fenced code blocks, and without inline code spans unless <paramref name="keepCodeSpans"/>.</summary>
    private static string ProseOf(string markdown, bool keepCodeSpans)
    {
        var prose = new StringBuilder();
        var inFence = false;
        foreach (var line in markdown.Split('\n'))
        {
            var trimmed = line.TrimStart();
            if (trimmed.StartsWith("```", StringComparison.Ordinal) || trimmed.StartsWith("~~~", StringComparison.Ordinal))
            {
                inFence = !inFence;
                continue;
            }
            if (!inFence)
            {
                prose.Append(keepCodeSpans ? line : CodeSpan().Replace(line, "")).Append('\n');
            }
        }
        return prose.ToString();
    }

    private static List<string> LinkTargets(string prose) =>
    [
        .. InlineLink().Matches(prose).Select(m => m.Groups[1].Value),
        .. ReferenceDefinition().Matches(prose).Select(m => m.Groups[1].Value),
    ];

    /// <summary>The anchors GitHub gives the headings: lower case, punctuation dropped, spaces as hyphens, repeats numbered.</summary>
    private static HashSet<string> AnchorsOf(string markdown)
    {
        var anchors = new HashSet<string>(StringComparer.Ordinal);
        foreach (var line in ProseOf(markdown, keepCodeSpans: true).Split('\n'))
        {
            var heading = Heading().Match(line);
            if (!heading.Success)
            {
                continue;
            }
            var title = InlineLink().Replace(heading.Groups[1].Value.Replace("`", "", StringComparison.Ordinal), m => m.Groups["text"].Value);
            var slug = new StringBuilder();
            foreach (var c in title.Trim().ToLowerInvariant())
            {
                if (char.IsLetterOrDigit(c) || c is '-' or '_')
                {
                    slug.Append(c);
                }
                else if (c == ' ')
                {
                    slug.Append('-');
                }
            }
            var anchor = slug.ToString();
            for (var n = 1; !anchors.Add(anchor); n++)
            {
                anchor = slug + "-" + n;
            }
        }
        return anchors;
    }

    /// <summary>Whether a file or folder exists at <paramref name="relativePath"/> from the repository root.</summary>
    private static bool Exists(string relativePath) =>
        File.Exists(Repository.PathOf(relativePath)) || Directory.Exists(Repository.PathOf(relativePath));

    private static string Normalize(string folder, string relative)
    {
        var parts = new List<string>(folder.Split('/', StringSplitOptions.RemoveEmptyEntries));
        foreach (var part in relative.Split('/'))
        {
            if (part == "..")
            {
                if (parts.Count > 0)
                {
                    parts.RemoveAt(parts.Count - 1);
                }
            }
            else if (part is not ("." or ""))
            {
                parts.Add(part);
            }
        }
        return string.Join('/', parts);
    }

    [GeneratedRegex(@"!?\[(?<text>(?:[^\[\]]|\[[^\]]*\])*)\]\(\s*<?([^)\s>]+)>?(?:\s+""[^""]*"")?\s*\)")]
    private static partial Regex InlineLink();

    [GeneratedRegex(@"^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)", RegexOptions.Multiline)]
    private static partial Regex ReferenceDefinition();

    [GeneratedRegex(@"^#{1,6}\s+(.+?)\s*#*\s*$")]
    private static partial Regex Heading();

    [GeneratedRegex(@"`([^`\n]+)`")]
    private static partial Regex CodeSpan();

    [GeneratedRegex(@"^(?:src|tests|samples|docs|clients)/\S*$")]
    private static partial Regex RepositoryPath();

    [GeneratedRegex(@"^[a-zA-Z][a-zA-Z0-9+.-]*:")]
    private static partial Regex Scheme();

    /// <summary>A repository file named in a source file: <c>docs/…​.md</c>, or a path under a top folder with a file extension.</summary>
    [GeneratedRegex(@"(?<![\w/.-])(?:docs/[\w.-]+\.md|(?:src|tests|samples|clients)/[\w./-]+\.(?:cs|md|js|mjs|csproj|json|sh))\b")]
    private static partial Regex NamedFile();
}
