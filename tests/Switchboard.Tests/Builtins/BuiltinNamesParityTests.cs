using System.Diagnostics;
using System.Text.Json;
using Switchboard.Tests.TestSupport;

namespace Switchboard.Tests.Builtins;

/// <summary>
/// The built-in signal names are defined once per side: <see cref="BuiltinSignals.All"/> in C#, and
/// <c>Switchboard.protocol.builtinSignals</c> in clients/js/src/df-protocol.js, whose handlers df-builtins.js registers
/// (the JS client loaded as a page gets it, by clients/js/testing/load-parts.cjs).
/// </summary>
public sealed class BuiltinNamesParityTests
{
    [Fact]
    public void The_csharp_names_the_js_protocol_list_and_the_registered_js_handlers_agree()
    {
        var loader = Repository.PathOf("clients/js/testing/load-parts.cjs");
        var script = $$"""
            require({{JsonSerializer.Serialize(loader)}});
            const client = Switchboard.createClient({ autoConnect: false, builtins: false });
            const registered = Switchboard.registerBuiltins(client, null);
            process.stdout.write(JSON.stringify({ protocol: Switchboard.protocol.builtinSignals, registered }));
            """;
        using var node = Process.Start(new ProcessStartInfo("node", ["-e", script]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var output = node.StandardOutput.ReadToEnd();
        var error = node.StandardError.ReadToEnd();
        Assert.True(node.WaitForExit(30_000), "node did not exit");
        Assert.True(node.ExitCode == 0, error);
        using var json = JsonDocument.Parse(output);
        var protocol = json.RootElement.GetProperty("protocol").EnumerateArray().Select(e => e.GetString()!).ToArray();
        var registered = json.RootElement.GetProperty("registered").EnumerateArray().Select(e => e.GetString()!).ToArray();
        Assert.Equal(BuiltinSignals.All, protocol);
        Assert.Equal(BuiltinSignals.All.Order(), registered.Order());
    }

    [Fact]
    public void Every_name_is_a_valid_signal_name_and_is_a_constant()
    {
        var constants = typeof(BuiltinSignals).GetFields().Where(f => f.IsLiteral).Select(f => (string)f.GetRawConstantValue()!).ToArray();
        Assert.Equal(constants.Order(), BuiltinSignals.All.Order());
        Assert.All(BuiltinSignals.All, name => Assert.True(Switchboard.Internal.Registry.SignalNames.IsValid(name), name));
    }
}
