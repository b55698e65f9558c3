using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Switchboard.Internal.Connections;
using Switchboard.Internal.Protocol;

namespace Switchboard.Tests.Connections;

/// <summary>
/// The two wires of a window over a real loopback TCP connection, read by a client <see cref="WebSocket"/> (which checks
/// RFC 6455 framing): frames from many threads arrive whole and in each sender's order, the socket's own pongs never land
/// inside a batch, and the close frame follows everything queued before it.
/// </summary>
public sealed class WindowWireTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task FramesFromManyThreadsArriveWholeAndInEachSendersOrderBesidePongs(bool framed)
    {
        await using var pair = await Pair.OpenAsync(framed, capacity: 1_000_000, clientPings: true);
        const int Senders = 4;
        const int AtLeast = 5000;
        var sent = new int[Senders];

        var reading = pair.ReadTextAsync(int.MaxValue, until: "end");
        await Task.WhenAll(Enumerable.Range(0, Senders).Select(s => Task.Run(async () =>
        {
            // Keep sending until the client's pings were answered a few times, so pongs really meet batches.
            for (var i = 0; i < AtLeast || (framed && pair.Checked!.Pongs < 3 && i < 200_000); i++)
            {
                Assert.True(pair.Window.TrySend(Frame(new { s, i, pad = new string('x', i % 300) }), fanOut: i % 3 == 0));
                sent[s]++;
                if (i % 1000 == 999)
                {
                    await Task.Yield();
                }
            }
        })));
        Assert.True(pair.Window.TrySend(Frame("end")));
        var received = await reading.WaitAsync(Timeout);

        if (framed)
        {
            // The socket answered the client's pings through the window's writer turn, never beside a write of frames.
            Assert.True(pair.Checked!.Pongs > 0, "the client's pings were answered");
            Assert.False(pair.Checked.Overlapped, "a pong was written while frames were being written");
        }
        var next = new int[Senders];
        foreach (var text in received)
        {
            using var json = JsonDocument.Parse(text);
            var s = json.RootElement.GetProperty("s").GetInt32();
            Assert.Equal(next[s]++, json.RootElement.GetProperty("i").GetInt32());
        }
        Assert.Equal(sent, next);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task TheCloseFrameFollowsEverythingQueuedBeforeIt(bool framed)
    {
        await using var pair = await Pair.OpenAsync(framed, capacity: 1000, clientPings: false);
        var reading = pair.ReadTextAsync(int.MaxValue);

        for (var i = 0; i < 500; i++)
        {
            Assert.True(pair.Window.TrySend(Frame(new { i })));
        }
        pair.Window.RequestClose(4101, "send queue full");
        Assert.False(pair.Window.TrySend(Frame(new { i = -1 })));
        await pair.Window.WhenClosedAsync().WaitAsync(Timeout);

        var received = await reading.WaitAsync(Timeout);
        Assert.Equal(Enumerable.Range(0, 500).Select(i => $"{{\"i\":{i}}}"), received);
        Assert.Equal((WebSocketCloseStatus)4101, pair.Client.CloseStatus);
        Assert.Equal("send queue full", pair.Client.CloseStatusDescription);
    }

    [Fact]
    public void CloseReasonsAreCutToWhatAControlFrameHoldsWithoutSplittingACharacter()
    {
        var frame = WebSocketFraming.Close(4000, new string('é', 100));

        Assert.Equal(0x88, frame[0]);
        Assert.True(frame[1] <= 125);
        Assert.Equal(frame.Length - 2, frame[1]);
        Assert.Equal(new string('é', 61), Encoding.UTF8.GetString(frame.AsSpan(4)));
    }

    [Theory]
    [InlineData(0, 2)]
    [InlineData(125, 2)]
    [InlineData(126, 4)]
    [InlineData(65535, 4)]
    [InlineData(65536, 10)]
    public void TextFramesCarryTheHeaderTheirLengthNeeds(int length, int header)
    {
        var frame = WebSocketFraming.Text(new byte[length]);

        Assert.Equal(header + length, frame.Length);
        Assert.Equal(0x81, frame[0]);
        Assert.Equal(length, WebSocketFraming.Payload(frame).Length);
    }

    private static byte[] Frame(object value) => WebSocketFraming.Text(JsonSerializer.SerializeToUtf8Bytes(value));

    /// <summary>A window's server side and a client WebSocket over a loopback TCP connection.</summary>
    private sealed class Pair : IAsyncDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private Task _serverReceive = Task.CompletedTask;

        public required WindowConnection Window { get; init; }
        public required WebSocket Client { get; init; }
        public required WebSocket Server { get; init; }
        public OverlapCheckingStream? Checked { get; init; }

        public static async Task<Pair> OpenAsync(bool framed, int capacity, bool clientPings)
        {
            using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            listener.Listen(1);
            var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            await client.ConnectAsync(listener.LocalEndPoint!);
            var server = await listener.AcceptAsync();
            var network = new NetworkStream(server, ownsSocket: true);
            var serverStream = new OverlapCheckingStream(network);
            var shared = new SharedWriteStream(serverStream);
            var serverSocket = WebSocket.CreateFromStream(framed ? shared : network, new WebSocketCreationOptions { IsServer = true, KeepAliveInterval = TimeSpan.Zero });
            WindowWire wire = framed ? new FramedStreamWire(serverStream) : new WebSocketWire(serverSocket);
            var window = new WindowConnection(serverSocket, wire, new WindowInfo { WindowKey = "w" }, new(DefaultTopicSerializer.BroadcastTopic, DefaultTopicSerializer.WindowTopic("w"), null), ["-broadcast"], capacity, 0);
            shared.Owner = window;
            var clientSocket = WebSocket.CreateFromStream(new NetworkStream(client, ownsSocket: true), new WebSocketCreationOptions
            {
                IsServer = false,
                // The client pings every few milliseconds and aborts if a pong does not come back in time.
                KeepAliveInterval = clientPings ? TimeSpan.FromMilliseconds(2) : TimeSpan.Zero,
                KeepAliveTimeout = clientPings ? TimeSpan.FromSeconds(20) : System.Threading.Timeout.InfiniteTimeSpan,
            });
            var pair = new Pair { Window = window, Client = clientSocket, Server = serverSocket, Checked = framed ? serverStream : null };
            pair._serverReceive = pair.ServerReceiveAsync();
            return pair;
        }

        /// <summary>The server side reads (and so answers pings) until the client's close.</summary>
        private async Task ServerReceiveAsync()
        {
            var buffer = new byte[256];
            try
            {
                while (!(await Server.ReceiveAsync(buffer, _stop.Token)).MessageType.Equals(WebSocketMessageType.Close))
                {
                }
            }
            catch (Exception e) when (e is OperationCanceledException or WebSocketException or IOException)
            {
            }
        }

        /// <summary>Reads text messages until <paramref name="count"/>, the JSON string <paramref name="until"/> or the server's close.</summary>
        public async Task<List<string>> ReadTextAsync(int count, string? until = null)
        {
            var messages = new List<string>();
            var buffer = new byte[64 * 1024];
            while (messages.Count < count)
            {
                var total = 0;
                ValueWebSocketReceiveResult result;
                do
                {
                    result = await Client.ReceiveAsync(buffer.AsMemory(total), _stop.Token);
                    total += result.Count;
                }
                while (!result.EndOfMessage);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }
                var text = Encoding.UTF8.GetString(buffer, 0, total);
                if (until is not null && text == "\"" + until + "\"")
                {
                    break;
                }
                messages.Add(text);
            }
            return messages;
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            Client.Abort();
            Server.Abort();
            await _serverReceive;
            Client.Dispose();
            Server.Dispose();
            _stop.Dispose();
        }
    }

    /// <summary>Flags two writes in progress at once (Kestrel's output is not thread-safe) and counts pong frames.</summary>
    private sealed class OverlapCheckingStream(Stream inner) : Stream
    {
        private int _writing;

        public bool Overlapped { get; private set; }

        private int _pongs;

        public int Pongs => Volatile.Read(ref _pongs);

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (Interlocked.Increment(ref _writing) > 1)
            {
                Overlapped = true;
            }
            if (buffer.Length > 0 && buffer.Span[0] == 0x8A)
            {
                Interlocked.Increment(ref _pongs);
            }
            await Task.Delay(1, cancellationToken); // widen the window a concurrent write would have to overlap
            await inner.WriteAsync(buffer, cancellationToken);
            Interlocked.Decrement(ref _writing);
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => inner.ReadAsync(buffer, cancellationToken);

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => inner.ReadAsync(buffer, offset, count, cancellationToken);

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }
            base.Dispose(disposing);
        }
    }
}
