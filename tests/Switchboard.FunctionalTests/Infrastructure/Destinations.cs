namespace Switchboard.FunctionalTests.Infrastructure;

/// <summary>Destinations as tests write them in kwargs.</summary>
internal static class Destinations
{
    public static object Parse(string name) => name switch
    {
        "WINDOW" => Destination.Window,
        "USER" => Destination.User,
        "BROADCAST" => Destination.Broadcast,
        "SERVER" => Destination.Server,
        _ => name,
    };
}
