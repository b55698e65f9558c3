namespace Switchboard.ChaosTests;

/// <summary>The web nodes pages may connect to: slot 0 (A, later A'), slot 1 (B). Null while the slot's node is down.</summary>
internal sealed class NodeDirectory
{
    private readonly Uri?[] _nodes = new Uri?[2];

    public Uri? this[int slot]
    {
        get => Volatile.Read(ref _nodes[slot]);
        set => Volatile.Write(ref _nodes[slot], value);
    }
}
