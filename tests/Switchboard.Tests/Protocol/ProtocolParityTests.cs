using System.Diagnostics;
using System.Reflection;
using System.Text.Json.Nodes;
using Switchboard.Internal.Protocol;
using Switchboard.Tests.TestSupport;

namespace Switchboard.Tests.Protocol;

/// <summary>
/// The protocol constants are defined once per side: <see cref="ProtocolNames"/> here and <c>protocol</c> in
/// clients/js/src/df.js. This loads the JS file in node and checks both sides name the same things the same way.
/// </summary>
public sealed class ProtocolParityTests
{
    private static readonly Lazy<JsonObject> Js = new(LoadJsProtocol);

    [Fact]
    public void VersionsAgree()
    {
        Assert.Equal(ProtocolNames.Version, (int?)Js.Value["version"]);
    }

    [Fact]
    public void FrameTypesAgree()
    {
        AssertSameConstants(typeof(ProtocolNames.FrameTypes), "frameTypes");
    }

    [Fact]
    public void ErrorCodesAgree()
    {
        AssertSameConstants(typeof(ProtocolNames.ErrorCodes), "errorCodes");
    }

    [Fact]
    public void CloseCodesAgree()
    {
        AssertSameConstants(typeof(ProtocolNames.CloseCodes), "closeCodes");
    }

    [Fact]
    public void BuiltinSignalNamesAgree()
    {
        var js = Js.Value["builtinSignals"]?.AsArray().Select(n => (string?)n).Order(StringComparer.Ordinal).ToArray();

        Assert.Equal(BuiltinSignals.All.Order(StringComparer.Ordinal), js);
    }

    [Fact]
    public void JsProtocolHasNoSectionTheServerLacks()
    {
        Assert.Equal(["builtinSignals", "closeCodes", "errorCodes", "frameTypes", "version"], Js.Value.Select(p => p.Key).Order(StringComparer.Ordinal));
    }

    private static void AssertSameConstants(Type type, string jsSection)
    {
        var server = type.GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral)
            .ToDictionary(f => CamelCase(f.Name), f => Convert.ToString(f.GetRawConstantValue(), System.Globalization.CultureInfo.InvariantCulture));
        var section = Js.Value[jsSection] as JsonObject
            ?? throw new Xunit.Sdk.XunitException($"df.js protocol has no '{jsSection}' object.");
        var client = section.ToDictionary(p => p.Key, p => p.Value?.ToJsonString().Trim('"'));

        var missingInJs = server.Keys.Except(client.Keys).ToList();
        var missingInCs = client.Keys.Except(server.Keys).ToList();
        Assert.True(missingInJs.Count == 0 && missingInCs.Count == 0,
            $"{jsSection}: only in C# [{string.Join(", ", missingInJs)}]; only in df.js [{string.Join(", ", missingInCs)}].");
        foreach (var (name, value) in server)
        {
            Assert.True(value == client[name], $"{jsSection}.{name}: C# says {value}, df.js says {client[name]}.");
        }
    }

    private static string CamelCase(string pascal) => char.ToLowerInvariant(pascal[0]) + pascal[1..];

    private static JsonObject LoadJsProtocol()
    {
        var script = Repository.PathOf("clients/js/src/df.js");
        Assert.True(File.Exists(script), $"The JS client is missing: {script}");
        var start = new ProcessStartInfo("node")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("-e");
        start.ArgumentList.Add(
            "globalThis.window = undefined;" +
            "require('vm').runInThisContext(require('fs').readFileSync(process.argv[1], 'utf8'), { filename: process.argv[1] });" +
            "process.stdout.write(JSON.stringify(globalThis.Switchboard.protocol));");
        start.ArgumentList.Add(script);
        Process node;
        try
        {
            node = Process.Start(start) ?? throw new InvalidOperationException("Process.Start returned null.");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new Xunit.Sdk.XunitException($"ProtocolParityTests need node on the PATH to load clients/js/src/df.js (install Node.js 18+): {e.Message}");
        }
        using (node)
        {
            var stdout = node.StandardOutput.ReadToEndAsync();
            var stderr = node.StandardError.ReadToEndAsync();
            if (!node.WaitForExit(TimeSpan.FromSeconds(30)))
            {
                node.Kill(entireProcessTree: true);
                throw new Xunit.Sdk.XunitException("node did not print df.js's protocol within 30 s.");
            }
            Assert.True(node.ExitCode == 0, $"node failed to load df.js (exit {node.ExitCode}): {stderr.Result}");
            return Assert.IsType<JsonObject>(JsonNode.Parse(stdout.Result));
        }
    }
}
