namespace Switchboard.Demo;

/// <summary>
/// A window extension (docs/choices.md, WindowInfo extensions): the theme a page was rendered with (<c>?theme=dark</c>,
/// else <c>light</c>) is recorded in its WindowInfo, signed into its token, and read by <c>demo.theme</c> on a worker.
/// </summary>
public sealed class DemoTheme : IWindowInfoExtension
{
    public const string Name = "theme";

    public void Extend(HttpContext context, WindowExtensionBag extensions) =>
        extensions.Set(Name, context.Request.Query["theme"] == "dark" ? "dark" : "light");

    /// <summary>Answers with the theme the calling page was rendered with, as the handler (on any worker) reads it.</summary>
    [Signal("demo.theme", IsAllowedTo = typeof(Everyone))]
    public static Task Theme(WindowInfo window, ISignals signals) =>
        signals.NotifyAsync(window, $"This page was rendered with the {window.GetExtension<string>(Name)} theme.", title: "demo.theme");
}
