using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Switchboard.Internal.Protocol;

namespace Switchboard.Internal.Connections;

/// <summary>
/// Applies window commands (IWindowControl: join or leave topics, close) to this node's connections, live and when
/// they are met in a replay (at connect, after a gap). The browser never sees a topic key: it gets a <c>topics</c>
/// frame of topic ids, sequenced at the command's place in the window's (or user's) topic, followed by the history of
/// each joined topic since the join, with its live frames held meanwhile — so nothing is lost between the join and the
/// subscription, and nothing comes twice. A left topic's frames that reach the node after the command are dropped.
/// </summary>
internal sealed partial class WindowMembership(
    LocalTopicRegistry registry,
    WindowReplay replay,
    IBroker broker,
    ITopicStore store,
    IOptions<SwitchboardOptions> options,
    TimeProvider time,
    ILogger<WindowMembership> logger)
{
    private int Budget => options.Value.SendQueueCapacity / 2;

    /// <summary>A command delivered live to a local window of <paramref name="topic"/>: applied in order with its frames.</summary>
    public void Deliver(WindowConnection connection, string topic, TopicPosition? position, WindowCommand command)
    {
        if (!connection.Owns(topic))
        {
            // The window chose another window's or user's topic: the command is not for it; it only moves along the topic.
            connection.TrySend(command.NoOpFrame(topic, position));
            return;
        }
        if (!command.IsClose)
        {
            // Before it waits its turn: a join applied before this leave must not replay the topic past it.
            foreach (var left in command.Remove)
            {
                if (command.Since.TryGetValue(left, out var at) && !connection.IsDefaultTopic(left))
                {
                    connection.MarkLeaving(left, at);
                }
            }
        }
        _ = connection.HoldWhile(async () =>
        {
            var pass = Track(connection);
            var frames = new List<byte[]>();
            await ApplyOrLogAsync(pass, topic, position, command, frames);
            return held => [.. frames, .. Filter(held, pass)];
        });
    }

    /// <summary>The pass of a connecting window's replay: the browser follows the topics of its <c>resume</c>.</summary>
    public CommandReplay ForConnect(WindowConnection connection, IReadOnlyDictionary<string, TopicPosition> resume) =>
        new(connection, connection.Topics.Where(t => resume.ContainsKey(TopicIds.Of(t))).ToHashSet(StringComparer.Ordinal), this, Budget);

    /// <summary>
    /// A <c>resume</c> on a live connection: replays the topics after the given positions, live frames held, applying the
    /// commands met in the window's own topics (the node missed them live), then <c>resumed</c>. Returns the replayed
    /// frame count and whether nothing was lost. <paramref name="counted"/> runs before <c>resumed</c> goes out, so whoever
    /// sees that frame also sees the replay counted.
    /// </summary>
    public async Task<(int Frames, bool Recovered)> ResumeAsync(WindowConnection connection, long id, IReadOnlyDictionary<string, TopicPosition> positions, Action<bool> counted)
    {
        var count = 0;
        var recovered = true;
        await connection.HoldWhile(async () =>
        {
            var pass = Track(connection);
            var frames = new List<byte[]>();
            var topics = connection.Topics;
            List<string> ownFirst = [.. topics.Where(connection.Owns), .. topics.Where(t => !connection.Owns(t))];
            try
            {
                foreach (var topic in ownFirst)
                {
                    if (pass.Left.Contains(topic) || pass.Joined.ContainsKey(topic) || !positions.TryGetValue(TopicIds.Of(topic), out var from))
                    {
                        continue;
                    }
                    if (connection.Owns(topic))
                    {
                        await pass.ScanAsync(topic, from);
                    }
                    var (complete, _) = await replay.ReplayAsync(topic, from, frames, Budget, CancellationToken.None, connection.Owns(topic) ? pass.Handle : null);
                    recovered &= complete;
                }
            }
            catch (Exception e)
            {
                LogChangeFailed(logger, connection.Window.WindowKey ?? "", e);
                throw;
            }
            recovered &= pass.Complete;
            count = frames.Count;
            counted(recovered);
            return held => [.. frames, FrameWriter.Resumed(id, recovered), .. Filter(held, pass)];
        });
        return (count, recovered);
    }

    /// <summary>
    /// Applies <paramref name="command"/>, met at <paramref name="position"/> of the window's own <paramref name="topic"/>:
    /// leaves and joins topics on this node, updates the stored list for a user's command (the caller of a window's
    /// command did), appends the <c>topics</c> frame and the joined topics' history since the join. A close closes the
    /// window with its code after what was queued before, and returns false.
    /// </summary>
    public async ValueTask<bool> ApplyAsync(CommandReplay pass, string topic, TopicPosition? position, WindowCommand command, List<byte[]> frames)
    {
        var connection = pass.Connection;
        if (command.IsClose)
        {
            LogClosing(logger, connection.Window.WindowKey ?? "", command.Code);
            connection.RequestClose(command.Code, command.Reason);
            return false;
        }
        var removeIds = new List<string>();
        var removed = new List<string>();
        foreach (var left in command.Remove)
        {
            if (connection.IsDefaultTopic(left))
            {
                continue;
            }
            removed.Add(left);
            await registry.LeaveTopicAsync(connection, left);
            if (command.Since.TryGetValue(left, out var leftAt))
            {
                connection.ClearLeaving(left, leftAt);
            }
            if (pass.Tracked.Remove(left))
            {
                removeIds.Add(TopicIds.Of(left));
            }
            pass.Left.Add(left);
            pass.Joined.Remove(left);
        }
        var addIds = new Dictionary<string, TopicPosition>(StringComparer.Ordinal);
        var added = new List<string>();
        var history = new List<byte[]>();
        var max = options.Value.MaxTopicsPerWindow;
        foreach (var joined in command.Add)
        {
            if (connection.IsDefaultTopic(joined))
            {
                continue;
            }
            if (!connection.HasTopic(joined))
            {
                if (connection.Topics.Count(t => !connection.IsDefaultTopic(t)) >= max)
                {
                    LogTooManyTopics(logger, connection.Window.WindowKey ?? "", max);
                    continue;
                }
                await registry.JoinTopicAsync(connection, joined, CancellationToken.None);
            }
            added.Add(joined);
            pass.Left.Remove(joined);
            if (!pass.Tracked.Add(joined))
            {
                continue; // the browser follows it already
            }
            var since = command.Since.TryGetValue(joined, out var at) ? at : await broker.GetPositionAsync(joined, CancellationToken.None);
            addIds[TopicIds.Of(joined)] = since;
            var (complete, last) = await replay.ReplayAsync(joined, since, history, Math.Max(1, pass.Budget - frames.Count - 1), CancellationToken.None,
                until: () => pass.LeaveAfter(joined, position));
            pass.Complete &= complete;
            pass.Joined[joined] = last;
        }
        if (added.Count > 0)
        {
            WindowRenewal.KeepStoredTopicsAlive(connection, options.Value, time);
        }
        if (connection.Window.WindowKey is { } key && topic != connection.Own.Window)
        {
            // A user's command: no caller knew this window's key, so the node holding it keeps its stored list current.
            await StoreAsync(key, added, removed);
        }
        frames.Add(command.TopicsFrame(addIds, removeIds, topic, position));
        frames.AddRange(history);
        return true;
    }

    /// <summary>Collects the leaves in <paramref name="topic"/>'s history after <paramref name="from"/> (see <see cref="CommandReplay.LeaveAfter"/>).</summary>
    public async Task ScanAsync(CommandReplay pass, string topic, TopicPosition from)
    {
        var after = from;
        for (var read = 0; read < pass.Budget;)
        {
            var batch = await broker.ReadAsync(topic, after, 256, CancellationToken.None);
            foreach (var entry in batch.Entries)
            {
                after = entry.Position;
                if (!WindowCommand.IsCommand(entry.Body.Span))
                {
                    continue;
                }
                var command = WindowCommand.Parse(entry.Body.Span);
                foreach (var left in command.IsClose ? [] : command.Remove)
                {
                    if (command.Since.TryGetValue(left, out var until))
                    {
                        pass.Leaves.Add((entry.Position, left, until));
                    }
                }
            }
            read += batch.Entries.Count;
            if (batch.Entries.Count < 256)
            {
                return;
            }
        }
    }

    private async Task StoreAsync(string key, List<string> added, List<string> removed)
    {
        if (added.Count == 0 && removed.Count == 0)
        {
            return;
        }
        try
        {
            var ttl = options.Value.TopicsTimeToLive;
            if (await store.ChangeAsync(key, added, removed, ttl, CancellationToken.None) is null && added.Count > 0)
            {
                // The page chose no topics (nothing stored): its joined topics are stored alone (the socket adds its own).
                await store.SetAsync(key, added, ttl, CancellationToken.None);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogStoreFailed(logger, key, e);
        }
    }

    private async Task ApplyOrLogAsync(CommandReplay pass, string topic, TopicPosition? position, WindowCommand command, List<byte[]> frames)
    {
        try
        {
            await ApplyAsync(pass, topic, position, command, frames);
        }
        catch (Exception e)
        {
            LogChangeFailed(logger, pass.Connection.Window.WindowKey ?? "", e);
            throw; // the connection closes with 1011 and reconnects with its stored topics
        }
    }

    /// <summary>A pass over a live connection: the browser follows the window's current topics.</summary>
    private CommandReplay Track(WindowConnection connection) =>
        new(connection, connection.Topics.ToHashSet(StringComparer.Ordinal), this, Budget);

    /// <summary>
    /// The held live frames still to send after a pass: not those only of topics left in it (they reached the node
    /// after the change), nor those of joined topics the pass replayed already.
    /// </summary>
    internal static IReadOnlyList<byte[]> Filter(IReadOnlyList<byte[]> held, CommandReplay pass)
    {
        if (pass.Left.Count == 0 && pass.Joined.Count == 0)
        {
            return held;
        }
        var left = pass.Left.Select(TopicIds.Of).ToHashSet(StringComparer.Ordinal);
        var joined = pass.Joined.ToDictionary(p => TopicIds.Of(p.Key), p => p.Value, StringComparer.Ordinal);
        return [.. held.Where(frame =>
        {
            var entries = FramePositions.Read(WebSocketFraming.Payload(frame));
            return entries.Count == 0 || !entries.TrueForAll(e => left.Contains(e.Id)
                || (joined.TryGetValue(e.Id, out var last) && e.Position.Epoch == last.Epoch && e.Position.Sequence <= last.Sequence));
        })];
    }

    [LoggerMessage(EventId = 1320, EventName = "WindowChangeFailed", Level = LogLevel.Error,
        Message = "Applying a change of window {WindowKey}'s topics failed; the window is closed with 1011 and reconnects with its stored topics.")]
    private static partial void LogChangeFailed(ILogger logger, string windowKey, Exception exception);

    [LoggerMessage(EventId = 1321, EventName = "WindowTooManyTopics", Level = LogLevel.Warning,
        Message = "Window {WindowKey} already has {Max} chosen topics (SwitchboardOptions.MaxTopicsPerWindow): a topic it was told to join was not joined.")]
    private static partial void LogTooManyTopics(ILogger logger, string windowKey, int max);

    [LoggerMessage(EventId = 1322, EventName = "WindowTopicsStoreFailed", Level = LogLevel.Warning,
        Message = "Storing the changed topics of window {WindowKey} failed: its socket has them, a reconnect may not.")]
    private static partial void LogStoreFailed(ILogger logger, string windowKey, Exception exception);

    [LoggerMessage(EventId = 1323, EventName = "WindowClosedByServer", Level = LogLevel.Debug,
        Message = "Window {WindowKey} is closed by server code with {Code}.")]
    private static partial void LogClosing(ILogger logger, string windowKey, int code);
}
