using System.Diagnostics;
using System.Reflection;
using System.Text.Json.Nodes;
using Switchboard.Internal.Protocol;
using Switchboard.Tests.TestSupport;

namespace Switchboard.Tests.Protocol;

/// <summary>
/// The protocol constants are defined once per side: <see cref="ProtocolNames"/> here and <c>protocol</c> in
/// clients/js/src/df-protocol.js. This loads the JS client in node as a page gets it (clients/js/testing/load-parts.cjs
/// runs the parts of parts.json in order) and checks both sides name the same things the same way.
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
            ?? throw new Xunit.Sdk.XunitException($"The JS protocol has no '{jsSection}' object.");
        var client = section.ToDictionary(p => p.Key, p => p.Value?.ToJsonString().Trim('"'));

        var missingInJs = server.Keys.Except(client.Keys).ToList();
        var missingInCs = client.Keys.Except(server.Keys).ToList();
        Assert.True(missingInJs.Count == 0 && missingInCs.Count == 0,
            $"{jsSection}: only in C# [{string.Join(", ", missingInJs)}]; only in JS [{string.Join(", ", missingInCs)}].");
        foreach (var (name, value) in server)
        {
            Assert.True(value == client[name], $"{jsSection}.{name}: C# says {value}, JS says {client[name]}.");
        }
    }

    private static string CamelCase(string pascal) => char.ToLowerInvariant(pascal[0]) + pascal[1..];

    private static JsonObject LoadJsProtocol()
    {
        var loader = Repository.PathOf("clients/js/testing/load-parts.cjs");
        Assert.True(File.Exists(loader), $"The JS client's loader is missing: {loader}");
        var start = new ProcessStartInfo("node")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("-e");
        start.ArgumentList.Add(
            "globalThis.window = undefined;" +
            "require(process.argv[1]);" +
            "process.stdout.write(JSON.stringify(globalThis.Switchboard.protocol));");
        start.ArgumentList.Add(loader);
        Process node;
        try
        {
            node = Process.Start(start) ?? throw new InvalidOperationException("Process.Start returned null.");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new Xunit.Sdk.XunitException($"ProtocolParityTests need node on the PATH to load the JS client (install Node.js 18+): {e.Message}");
        }
        using (node)
        {
            var stdout = node.StandardOutput.ReadToEndAsync();
            var stderr = node.StandardError.ReadToEndAsync();
            if (!node.WaitForExit(TimeSpan.FromSeconds(30)))
            {
                node.Kill(entireProcessTree: true);
                throw new Xunit.Sdk.XunitException("node did not print the JS protocol within 30 s.");
            }
            Assert.True(node.ExitCode == 0, $"node failed to load the JS client (exit {node.ExitCode}): {stderr.Result}");
            return Assert.IsType<JsonObject>(JsonNode.Parse(stdout.Result));
        }
    }
}
