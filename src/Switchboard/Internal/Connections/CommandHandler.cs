using Switchboard.Internal.Protocol;

namespace Switchboard.Internal.Connections;

/// <summary>
/// Applies a window command met in <paramref name="topic"/> (live or in a replay) at <paramref name="position"/> and
/// appends what the window is sent for it to <paramref name="frames"/>; false when the window is closing.
/// </summary>
internal delegate ValueTask<bool> CommandHandler(string topic, TopicPosition? position, WindowCommand command, List<byte[]> frames);
