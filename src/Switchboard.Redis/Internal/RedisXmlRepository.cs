using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.Repositories;

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
        var db = connection.DatabaseAsync().GetAwaiter().GetResult();
        return db.ListRange(connection.Names.DataProtectionKeys).Select(v => XElement.Parse((string)v!)).ToList();
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        var db = connection.DatabaseAsync().GetAwaiter().GetResult();
        db.ListRightPush(connection.Names.DataProtectionKeys, element.ToString(SaveOptions.DisableFormatting));
    }
}
