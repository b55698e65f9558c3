using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.Repositories;
using StackExchange.Redis;

namespace Switchboard.Redis.Internal;

/// <summary>
/// Keeps the ASP.NET Core Data Protection key ring in Redis, so every node can read the window tokens (and auth
/// cookies) another node issued.
/// </summary>
internal sealed class RedisXmlRepository(RedisConnection connection) : IXmlRepository
{
    public IReadOnlyCollection<XElement> GetAllElements()
    {
        // Data Protection's repository API is synchronous; key reads are rare (cached by the key ring).
        var db = ConnectedDatabase();
        return db.ListRange(connection.Names.DataProtectionKeys).Select(v => XElement.Parse((string)v!)).ToList();
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        var db = ConnectedDatabase();
        db.ListRightPush(connection.Names.DataProtectionKeys, element.ToString(SaveOptions.DisableFormatting));
    }

    /// <summary>
    /// Fails at once while Redis is unreachable instead of blocking the (synchronous) caller for the command timeout:
    /// Data Protection loads the key ring in a hosted service at startup, which would otherwise hold the host's start
    /// for several timeouts; it logs the failure, keeps a key ring it already has, and reads again later.
    /// </summary>
    private IDatabase ConnectedDatabase()
    {
        var multiplexer = connection.GetAsync().GetAwaiter().GetResult();
        if (!multiplexer.IsConnected)
        {
            throw new InvalidOperationException(
                $"Redis ({connection.Description}) is not reachable: the shared Data Protection key ring cannot be read or written now.");
        }
        return multiplexer.GetDatabase();
    }
}
