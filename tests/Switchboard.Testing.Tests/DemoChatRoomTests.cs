using System.Net;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Switchboard.Demo;

namespace Switchboard.Testing.Tests;

/// <summary>
/// The demo's chat room is a record (<see cref="ChatRoom"/>): its key comes from the registered serializer, presence is
/// on for rooms whatever that serializer (unless <c>--Demo:Presence=false</c>), and the page carries the room's key for
/// the presence signals.
/// </summary>
public sealed class DemoChatRoomTests
{
    [Fact]
    public void ARoomsKeyPrefixIsReadFromTheSerializer()
    {
        Assert.Equal(DemoRoom.Key("lobby")[..^"lobby\"}".Length], ChatRoom.KeyPrefix(new DefaultTopicSerializer()));
        Assert.Equal("r:", ChatRoom.KeyPrefix(new RenamedTopicSerializer()));
        Assert.Equal("-obj.Switchboard.Demo.ChatRoom{\"Name\":\"", ChatRoom.KeyPrefix(new TenantTopicSerializer()));
        var e = Assert.Throws<InvalidOperationException>(() => ChatRoom.KeyPrefix(new HashingSerializer()));
        Assert.Contains(nameof(HashingSerializer), e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, true)]
    [InlineData("renamed", true)]
    [InlineData("tenant", true)]
    [InlineData(null, false)]
    public async Task RoomsHavePresenceWithAnySerializerAndThePageCarriesTheRoomsKey(string? serializer, bool presence)
    {
        await using var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
        {
            b.UseSetting("Demo:TopicSerializer", serializer ?? "default");
            b.UseSetting("Demo:Presence", presence ? "true" : "false");
        });
        var room = "room-" + Guid.NewGuid().ToString("N")[..8];
        var presenceService = factory.Services.GetRequiredService<IPresence>();

        Assert.Equal(presence, presenceService.IsEnabled(new ChatRoom(room)));
        Assert.False(presenceService.IsEnabled("lobby"));
        Assert.False(presenceService.IsEnabled(new DemoTenant(room)));

        using var client = factory.CreateClient();
        var html = await client.GetStringAsync(new Uri("/chat/" + room, UriKind.Relative));
        var key = serializer == "renamed" ? "r:" + room : DemoRoom.Key(room);
        Assert.Contains($"data-room-topic=\"{WebUtility.HtmlEncode(key)}\"", html, StringComparison.Ordinal);
    }

    /// <summary>A serializer whose keys do not hold the room's name.</summary>
    private sealed class HashingSerializer : ITopicSerializer
    {
        public string? Serialize(WindowInfo? window, object topic) =>
            "h:" + Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(topic.ToString() ?? "")));
    }
}
