namespace Switchboard;

/// <summary>Receives a message that another node published to a topic this node subscribed to.</summary>
/// <param name="topic">The serialized topic.</param>
/// <param name="payload">The message bytes, exactly as published.</param>
public delegate ValueTask BrokerMessageHandler(string topic, ReadOnlyMemory<byte> payload);
