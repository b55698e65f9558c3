namespace Switchboard.ChaosTests;

/// <summary>One connection of the page: connect (with its positions), then the server's frames as they come.</summary>
internal sealed partial class ChaosPage
{
    /// <summary>One connection: connect (with resume positions after the first hello), then its frames until it ends. True when hello came.</summary>
    private async Task<bool> SessionAsync(TestWindow window, int connection, Uri node)
    {
        var resume = _cursors.Count > 0 ? _cursors.ToDictionary(c => c.Key, c => c.Value.Last, StringComparer.Ordinal) : null;
        Pos? roomFrom = resume is not null && resume.TryGetValue(RoomId, out var from) ? from : null;
        var check = new ConnectionCheck(connection, roomFrom);
        (long Id, Dictionary<string, Pos> From)? asked = null;
        await window.SendConnectAsync(_page.Token, resume, _stop.Token);
        using var helloTimeout = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
        helloTimeout.CancelAfter(HelloTimeout);
        try
        {
            await foreach (var frame in window.ReadAllAsync(cancellationToken: helloTimeout.Token))
            {
                switch (frame.Type())
                {
                    case "hello":
                        OnHello(frame, check, node, connection);
                        helloTimeout.CancelAfter(Timeout.InfiniteTimeSpan);
                        break;
                    case "signal":
                        OnSignal(frame, check, connection);
                        break;
                    case "error":
                        // Errors of a call's handlers are sequenced in the window's topic: its cursor follows them too.
                        ErrorFrames++;
                        Follow(frame.Pos(), check);
                        break;
                    case "resumed" when asked is { } request && frame.Id() == request.Id:
                        OnResumed(frame.Recovered() == true, request.From);
                        asked = null;
                        break;
                }
                Publish(check);
                if (_reloadRequested)
                {
                    return true;
                }
                // One resume at a time, for every topic with a gap; another once it is answered, if one remains.
                if (check.Live && asked is null && _cursors.Where(c => c.Value.HasGap).ToDictionary(c => c.Key, c => c.Value.Last, StringComparer.Ordinal) is { Count: > 0 } gaps)
                {
                    if (gaps.TryGetValue(RoomId, out var roomLast))
                    {
                        check.Asked(roomLast);
                    }
                    asked = (await window.SendResumeAsync(gaps, cancellationToken: _stop.Token), gaps);
                    ResumesSent++;
                }
            }
        }
        catch (OperationCanceledException) when (!_stop.IsCancellationRequested)
        {
            HelloTimeouts++;
        }
        return check.Live;
    }

    private void OnHello(JsonElement frame, ConnectionCheck check, Uri node, int connection)
    {
        var recovered = frame.Recovered();
        var pos = frame.Pos();
        Pos? room = pos.TryGetValue(RoomId, out var r) ? r : null;
        check.Hello(room, recovered);
        HelloNotRecovered += recovered == false ? 1 : 0;
        foreach (var (id, p) in pos.Where(e => e.Value.Epoch.Length == 0))
        {
            // An epoch the server never started: the topic's first message would look like an epoch change.
            Problem($"hello {HelloCount + 1} gives topic {id} the position {p} without an epoch");
        }
        var before = _cursors.GetValueOrDefault(RoomId)?.Last;
        if (recovered == false && before is { } lost && room is null)
        {
            // The server no longer has this window's room topic (its topic list was lost): only a reload brings it back.
            _reloadRequested = true;
            _reloadedFrom = lost;
        }
        else if (recovered == false && before is { } from && room is { } to && from != to)
        {
            AddLoss(new LossReport("hello.recovered false", from, to));
        }
        if (_reloadedFrom is { } reloadedFrom && room is { } start)
        {
            AddLoss(new LossReport(ReloadReason, reloadedFrom, start));
            _reloadedFrom = null;
        }
        _cursors = pos.ToDictionary(e => e.Key, e => new TopicCursor(e.Value), StringComparer.Ordinal);
        lock (_gate)
        {
            _hellos.Add(new HelloRecord(connection, node, recovered, room?.Seq ?? -1, room?.Epoch ?? "", check.ReplayedBeforeHello));
            _live = !_reloadRequested;
        }
    }

    private void OnSignal(JsonElement frame, ConnectionCheck check, int connection)
    {
        var pos = frame.Pos();
        var via = Via.Unsequenced;
        Pos? room = null;
        if (pos.TryGetValue(RoomId, out var p))
        {
            room = p;
            via = check.Frame(p);
        }
        Follow(pos, check);
        var opts = frame.Opts();
        if (frame.Str("signal") == ChatSignal && opts.Str("b") is { } batch && opts.TryGetProperty("n", out var n) && n.TryGetInt32(out var number))
        {
            lock (_gate)
            {
                _deliveries.Add(new Delivery(batch, number, room?.Seq ?? -1, room?.Epoch, frame.Str("signal_id"), via, connection));
            }
        }
    }

    private void Follow(IReadOnlyDictionary<string, Pos> pos, ConnectionCheck check)
    {
        if (check.Live)
        {
            foreach (var (id, position) in pos)
            {
                _cursors.GetValueOrDefault(id)?.Deliver(position);
            }
        }
    }

    private void OnResumed(bool recovered, Dictionary<string, Pos> asked)
    {
        ResumedFalse += recovered ? 0 : 1;
        foreach (var (id, from) in asked)
        {
            if (_cursors.GetValueOrDefault(id) is not { HasGap: true } cursor)
            {
                continue;
            }
            if (recovered && cursor.Last != from)
            {
                continue; // the replay filled what was asked; a gap after it gets a resume of its own
            }
            if (recovered)
            {
                Problem($"resumed true, but topic {id} is still missing what follows {from}");
            }
            var to = cursor.Jump();
            if (id == RoomId)
            {
                AddLoss(new LossReport(recovered ? "resumed true without the missing messages" : "resumed false", from, to));
            }
        }
    }
}
