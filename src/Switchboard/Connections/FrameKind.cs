namespace Switchboard.Connections;

internal enum FrameKind
{
    Text,
    Binary,
    Close,
    TooLarge,
}
