using Microsoft.AspNetCore.Http;

namespace Switchboard.Internal.Windows;

/// <summary>A window info extension given as a delegate (<c>AddWindowInfoExtension((http, bag) => …)</c>).</summary>
internal sealed class DelegateWindowInfoExtension(Action<HttpContext, WindowExtensionBag> extend) : IWindowInfoExtension
{
    /// <summary>How error messages name it: the delegate's method, as its declaring type and name.</summary>
    public string Name { get; } = $"delegate {extend.Method.DeclaringType?.Name}.{extend.Method.Name}";

    public void Extend(HttpContext context, WindowExtensionBag extensions) => extend(context, extensions);
}
