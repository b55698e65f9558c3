namespace Switchboard;

/// <summary>Receives a message published to a topic this node subscribed to (by any node, this one included).</summary>
/// <param name="delivery">The message, its topics and positions.</param>
public delegate ValueTask BrokerMessageHandler(BrokerDelivery delivery);
