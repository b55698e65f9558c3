using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Switchboard.Internal.Protocol;
using Switchboard.Internal.Registry;
using Switchboard.Internal.TypeScript;

namespace Switchboard;

/// <summary>
/// Generates the TypeScript declarations (<c>.d.ts</c>) of an application's signals from its signal registry: the kwargs
/// of each server signal and remote function a browser may call (from the handlers' C# parameters, optional ones
/// optional), each function's result, and the opts of the browser signals it declared (<see cref="BrowserSignalAttribute"/>,
/// <c>DeclareBrowserSignal</c>). With the client's typings (clients/js/types/df.d.ts), <c>tsc</c> then checks
/// <c>df.call</c>, <c>df.invoke</c> and <c>df.connect</c>. See docs/typescript.md.
/// </summary>
public static class SwitchboardTypeScript
{
    /// <summary>
    /// The <c>.d.ts</c> text for the application whose services are <paramref name="services"/> (e.g. <c>app.Services</c>,
    /// after every handler is registered; the host need not be started). The same registrations give the same text.
    /// </summary>
    /// <exception cref="InvalidOperationException">Switchboard's services are missing, or a handler is invalid (as at startup).</exception>
    public static string Generate(IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(services);
        var registry = services.GetService<SignalRegistry>()
            ?? throw new InvalidOperationException("Switchboard's services are missing: call builder.Services.AddSwitchboard(...) first.");
        var declared = services.GetService<BrowserSignalDeclarations>()?.Items ?? [];
        return new TypeScriptGenerator(registry, declared, SwitchboardJson.Options).Generate();
    }

    /// <summary>
    /// Writes <see cref="Generate"/>'s text to <paramref name="path"/> (UTF-8, folders created) unless the file already
    /// holds it, so watchers and incremental builds see no change when nothing changed.
    /// </summary>
    /// <returns>True when the file was written, false when it was already up to date.</returns>
    public static async Task<bool> WriteAsync(IServiceProvider services, string path, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var text = Generate(services);
        var full = Path.GetFullPath(path);
        if (File.Exists(full) && await File.ReadAllTextAsync(full, cancellationToken) == text)
        {
            return false;
        }
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        await File.WriteAllTextAsync(full, text, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), cancellationToken);
        return true;
    }
}
