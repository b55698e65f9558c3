namespace Switchboard.Testing;

/// <summary>
/// Sees each message the server sends, as the UTF-8 bytes received, before <see cref="TestWindow"/> parses it; returns
/// true when it consumed the frame, which is then neither parsed nor kept (<see cref="TestWindow.Received"/>). Runs on
/// the window's receive loop: it must be quick and must not block. The bytes are only valid during the call.
/// </summary>
/// <param name="frame">The frame's bytes (text frames are UTF-8 JSON; nothing is checked).</param>
/// <returns>True to drop the frame, false to let the window parse and keep it.</returns>
public delegate bool RawFrameHandler(ReadOnlySpan<byte> frame);
