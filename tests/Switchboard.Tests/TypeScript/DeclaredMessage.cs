namespace Switchboard.Tests.TypeScript;

/// <summary>Declared twice by attribute, found by AddSignalsFrom (TypeScriptGeneratorTests).</summary>
[BrowserSignal("tests.declared.message")]
[BrowserSignal("tests.declared.other")]
public sealed record DeclaredMessage(string Text, DateTimeOffset At);
