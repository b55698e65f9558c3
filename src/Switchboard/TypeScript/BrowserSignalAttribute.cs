namespace Switchboard;

/// <summary>
/// Declares that the server sends the browser signal <see cref="Name"/> with opts of this type (a record or class the
/// serializer writes as a JSON object), so the TypeScript that <see cref="SwitchboardTypeScript"/> generates types its
/// browser handlers: <c>df.connect('demo.chat.message', m => m.text)</c>. Found by
/// <c>ISwitchboardBuilder.AddSignalsFrom(assembly)</c>, like <see cref="SignalAttribute"/>; for a type of another
/// assembly use <c>builder.DeclareBrowserSignal&lt;TOpts&gt;(name)</c>. It only types the client: it changes nothing at
/// run time. See docs/typescript.md.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct, AllowMultiple = true, Inherited = false)]
public sealed class BrowserSignalAttribute : Attribute
{
    /// <summary>Declares the browser signal <paramref name="name"/> with this type as its opts.</summary>
    /// <param name="name">The dotted signal name, matching <c>^[_a-zA-Z]\w*(\.[_a-zA-Z]\w*)*$</c>.</param>
    public BrowserSignalAttribute(string name) => Name = name;

    /// <summary>The browser signal's name.</summary>
    public string Name { get; }
}
