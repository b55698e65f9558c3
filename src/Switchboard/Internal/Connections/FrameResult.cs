namespace Switchboard.Internal.Connections;

/// <summary>One received WebSocket message; <see cref="Payload"/> is only valid until the next receive.</summary>
internal readonly record struct FrameResult(FrameKind Kind, ReadOnlyMemory<byte> Payload);
