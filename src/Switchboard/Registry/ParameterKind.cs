namespace Switchboard.Registry;

internal enum ParameterKind
{
    Window,
    Kwarg,
    CatchAll,
    Service,
    CancellationToken,
}
