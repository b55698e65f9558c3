namespace Switchboard;

/// <summary>A claim of the window's user, carried in <see cref="WindowInfo"/> so workers can evaluate policies.</summary>
/// <param name="Type">The claim type.</param>
/// <param name="Value">The claim value.</param>
public sealed record WindowClaim(string Type, string Value);
