namespace Switchboard.Internal.Registry;

internal enum ParameterKind
{
    Window,
    Kwarg,
    CatchAll,
    Service,
    CancellationToken,
}
