namespace Switchboard.ChaosTests;

/// <summary>Where a page goes when its node is down: waits for its slot's node to come back, or switches to the other.</summary>
internal enum ReconnectPolicy
{
    WaitForSameSlot,
    SwitchWhenDown,
}
