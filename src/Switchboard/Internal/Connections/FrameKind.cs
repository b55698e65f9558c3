namespace Switchboard.Internal.Connections;

internal enum FrameKind
{
    Text,
    Binary,
    Close,
    TooLarge,
}
