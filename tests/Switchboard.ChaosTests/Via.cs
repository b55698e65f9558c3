namespace Switchboard.ChaosTests;

/// <summary>
/// How a message reached the page: live; replayed before <c>hello</c> (connect.resume); or, after hello, at or below a
/// position the connection already had — the replay answering a <c>resume</c>, which overlaps live traffic.
/// </summary>
internal enum Via
{
    Live,
    ConnectReplay,
    ResumeReplay,
    Unsequenced,
}
