using Switchboard.Internal.Protocol;

namespace Switchboard.Internal.Connections;

/// <summary>
/// Replays topic history to a window: at connect (positions from <c>connect.resume</c>) and on a live gap (<c>resume</c>).
/// Replayed frames carry only the replayed topic's position.
/// </summary>
internal sealed class WindowReplay(IBroker broker)
{
    private const int Batch = 256;

    /// <summary>
    /// At connect, with live frames held: replays resumed topics, reads the others' positions, then composes what to
    /// send — replayed frames, hello (with positions the held frames continue from), the held frames still new. With
    /// <paramref name="commands"/>, the window's own topics are replayed first and the changes of topics found in them
    /// applied (joined topics replayed from their join, left ones skipped): see <see cref="CommandReplay"/>.
    /// </summary>
    public async Task<Prepared> PrepareAsync(
        IReadOnlyList<string> topics, IReadOnlyDictionary<string, TopicPosition>? resume, int budget, CancellationToken cancellationToken,
        CommandReplay? commands = null)
    {
        var positions = new Dictionary<string, TopicPosition>(StringComparer.Ordinal);
        var fresh = new HashSet<string>(StringComparer.Ordinal);
        var frames = new List<byte[]>();
        bool? recovered = resume is null ? null : true;
        IReadOnlyList<string> order = commands is null ? topics : [.. topics.Where(commands.IsOwn), .. topics.Where(t => !commands.IsOwn(t))];
        foreach (var topic in order)
        {
            if (commands is not null && (commands.Joined.ContainsKey(topic) || commands.Left.Contains(topic)))
            {
                continue; // a change replayed before decided this topic
            }
            if (resume is not null && resume.TryGetValue(TopicIds.Of(topic), out var from))
            {
                var handler = commands is not null && commands.IsOwn(topic) ? commands.Handle : null;
                if (handler is not null)
                {
                    await commands!.ScanAsync(topic, from);
                }
                var (complete, last) = await ReplayAsync(topic, from, frames, budget, cancellationToken, handler);
                recovered &= complete;
                positions[topic] = last;
            }
            else
            {
                positions[topic] = await broker.GetPositionAsync(topic, cancellationToken);
                fresh.Add(topic);
            }
        }
        if (commands is not null)
        {
            foreach (var (topic, last) in commands.Joined)
            {
                positions[topic] = last;
            }
            recovered &= commands.Complete;
        }
        return new Prepared(frames, positions, fresh, recovered);
    }

    /// <summary>
    /// Appends the frames of <paramref name="topic"/> after <paramref name="from"/>, while <paramref name="frames"/> holds
    /// fewer than <paramref name="budget"/> (the window's send queue must hold them); returns whether nothing was lost
    /// and the last position. A window command in the history (a change made by IWindowControl, whose body names topic
    /// keys) is never sent as it is: <paramref name="onCommand"/> applies it and appends what to send (false: stop, the
    /// window is closing); without one it becomes a <c>topics</c> frame that changes nothing and keeps positions contiguous.
    /// With <paramref name="until"/> (asked after each read), the replay stops after the position it gives (same epoch).
    /// </summary>
    public async Task<(bool Complete, TopicPosition Last)> ReplayAsync(
        string topic, TopicPosition from, List<byte[]> frames, int budget, CancellationToken cancellationToken, CommandHandler? onCommand = null,
        Func<TopicPosition?>? until = null)
    {
        var after = from;
        var complete = true;
        var replayed = false;
        while (true)
        {
            var room = budget - frames.Count;
            if (room <= 0)
            {
                // More missed than a send queue holds: the window resyncs from the head instead.
                var head = await broker.GetPositionAsync(topic, cancellationToken);
                return (false, head);
            }
            var read = await broker.ReadAsync(topic, after, Math.Min(Batch, room), cancellationToken);
            complete &= read.Complete;
            // Asked after the read: a leave delivered before a message it read was published is seen.
            var end = until?.Invoke();
            foreach (var entry in read.Entries)
            {
                if (end is { } stop && entry.Position.Epoch == stop.Epoch && entry.Position.Sequence > stop.Sequence)
                {
                    return (complete, after); // the window leaves the topic there (a joined topic's history up to its leave)
                }
                after = entry.Position;
                replayed = true;
                if (!WindowCommand.IsCommand(entry.Body.Span))
                {
                    frames.Add(FrameWriter.Sequenced(entry.Body.Span, [topic], [entry.Position]));
                    continue;
                }
                var command = WindowCommand.Parse(entry.Body.Span);
                if (onCommand is null)
                {
                    frames.Add(command.NoOpFrame(topic, entry.Position));
                }
                else if (!await onCommand(topic, entry.Position, command, frames))
                {
                    return (complete, after);
                }
            }
            if (read.Entries.Count < Math.Min(Batch, room) || after.Sequence >= read.Head.Sequence)
            {
                return (complete, replayed ? after : complete ? from : read.Head);
            }
        }
    }

    /// <summary>What a connecting window is sent before its live traffic.</summary>
    internal sealed record Prepared(List<byte[]> Frames, Dictionary<string, TopicPosition> Positions, HashSet<string> Fresh, bool? Recovered)
    {
        /// <summary>
        /// Adjusts positions of fresh topics so the held frames continue from them (a message published between
        /// subscribing and reading the position is held, and must still be new), then keeps the held frames that are
        /// new for at least one of the window's topics.
        /// </summary>
        public List<byte[]> KeepNew(IReadOnlyList<byte[]> held)
        {
            var byId = Positions.Keys.ToDictionary(TopicIds.Of, t => t, StringComparer.Ordinal);
            var parsed = held.Select(f => FramePositions.Read(WebSocketFraming.Payload(f))).ToList();
            foreach (var frame in parsed)
            {
                foreach (var (id, position) in frame)
                {
                    if (byId.TryGetValue(id, out var topic) && Fresh.Contains(topic)
                        && position.Epoch == Positions[topic].Epoch && position.Sequence <= Positions[topic].Sequence)
                    {
                        Positions[topic] = position with { Sequence = position.Sequence - 1 };
                    }
                }
            }
            var kept = new List<byte[]>(held.Count);
            for (var i = 0; i < held.Count; i++)
            {
                var mine = parsed[i].Where(p => byId.ContainsKey(p.Id)).ToList();
                if (mine.Count == 0 || mine.Any(p => IsNew(Positions[byId[p.Id]], p.Position)))
                {
                    kept.Add(held[i]);
                }
            }
            return kept;
        }

        private static bool IsNew(TopicPosition current, TopicPosition candidate) =>
            candidate.Epoch != current.Epoch || candidate.Sequence > current.Sequence;
    }
}
