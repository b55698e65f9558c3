using System.Text;
using Microsoft.Extensions.Time.Testing;
using Switchboard.Internal.InMemory;

namespace Switchboard.Tests.InMemory;

/// <summary>One topic's sequence and ring of history in memory: positions, trimming by count and age, reads.</summary>
public sealed class TopicLogTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero));

    private static HistoryOptions History(int maxLength = 1000, int maxAgeSeconds = 300) =>
        new() { MaxLength = maxLength, MaxAge = TimeSpan.FromSeconds(maxAgeSeconds) };

    private TopicPosition Append(TopicLog log, HistoryOptions options, string body) =>
        log.Append(Encoding.UTF8.GetBytes(body), _time.GetUtcNow(), options);

    private HistoryRead Read(TopicLog log, HistoryOptions options, TopicPosition after, int max = 1000) =>
        log.Read(after, max, _time.GetUtcNow(), options);

    private static string[] Bodies(HistoryRead read) => [.. read.Entries.Select(e => Encoding.UTF8.GetString(e.Body.Span))];

    [Fact]
    public void NewLogIsAtSequenceZeroOfItsEpoch()
    {
        var log = new TopicLog("e1", _time.GetUtcNow());

        Assert.Equal(new TopicPosition(0, "e1"), log.Head);
        var read = Read(log, History(), log.Head);
        Assert.True(read.Complete);
        Assert.Empty(read.Entries);
    }

    [Fact]
    public void AppendGivesConsecutivePositionsInTheLogsEpoch()
    {
        var log = new TopicLog("e1", _time.GetUtcNow());
        var options = History();

        var positions = Enumerable.Range(1, 5).Select(i => Append(log, options, "m" + i)).ToList();

        Assert.Equal(Enumerable.Range(1, 5).Select(i => new TopicPosition(i, "e1")), positions);
        Assert.Equal(new TopicPosition(5, "e1"), log.Head);
    }

    [Fact]
    public void ReadReturnsWhatFollowsThePositionInOrderUpToMaxCount()
    {
        var log = new TopicLog("e1", _time.GetUtcNow());
        var options = History();
        for (var i = 1; i <= 10; i++)
        {
            Append(log, options, "m" + i);
        }

        var all = Read(log, options, new TopicPosition(3, "e1"));
        var some = Read(log, options, new TopicPosition(3, "e1"), max: 4);

        Assert.True(all.Complete);
        Assert.Equal(["m4", "m5", "m6", "m7", "m8", "m9", "m10"], Bodies(all));
        Assert.Equal([4L, 5, 6, 7], some.Entries.Select(e => e.Position.Sequence));
        Assert.Equal(new TopicPosition(10, "e1"), some.Head);
    }

    [Fact]
    public void MaxLengthKeepsTheLastMessagesAndAReadFromBeforeThemIsIncomplete()
    {
        var log = new TopicLog("e1", _time.GetUtcNow());
        var options = History(maxLength: 3);
        for (var i = 1; i <= 10; i++)
        {
            Append(log, options, "m" + i);
        }

        var fromStart = Read(log, options, new TopicPosition(0, "e1"));
        var fromJustBefore = Read(log, options, new TopicPosition(7, "e1"));
        var fromOneTooFar = Read(log, options, new TopicPosition(6, "e1"));

        Assert.False(fromStart.Complete);
        Assert.Equal(["m8", "m9", "m10"], Bodies(fromStart));
        Assert.True(fromJustBefore.Complete);
        Assert.Equal(["m8", "m9", "m10"], Bodies(fromJustBefore));
        Assert.False(fromOneTooFar.Complete);
    }

    [Fact]
    public void MaxAgeDropsOlderMessagesOnRead()
    {
        var log = new TopicLog("e1", _time.GetUtcNow());
        var options = History(maxAgeSeconds: 60);
        Append(log, options, "old1");
        Append(log, options, "old2");
        _time.Advance(TimeSpan.FromSeconds(30));
        Append(log, options, "young");

        _time.Advance(TimeSpan.FromSeconds(30));
        var atTheLimit = Read(log, options, new TopicPosition(0, "e1"));
        _time.Advance(TimeSpan.FromTicks(1));
        var pastIt = Read(log, options, new TopicPosition(0, "e1"));
        var afterTheOldOnes = Read(log, options, new TopicPosition(2, "e1"));

        Assert.True(atTheLimit.Complete);
        Assert.Equal(["old1", "old2", "young"], Bodies(atTheLimit));
        Assert.False(pastIt.Complete);
        Assert.Equal(["young"], Bodies(pastIt));
        Assert.True(afterTheOldOnes.Complete);
    }

    [Fact]
    public void EverythingAgedOutLeavesAnEmptyHistoryThatIsCompleteOnlyAtTheHead()
    {
        var log = new TopicLog("e1", _time.GetUtcNow());
        var options = History(maxAgeSeconds: 10);
        Append(log, options, "a");
        Append(log, options, "b");
        _time.Advance(TimeSpan.FromMinutes(1));

        Assert.True(Read(log, options, new TopicPosition(2, "e1")).Complete);
        var behind = Read(log, options, new TopicPosition(1, "e1"));
        Assert.False(behind.Complete);
        Assert.Empty(behind.Entries);
        Assert.Equal(new TopicPosition(2, "e1"), behind.Head);
    }

    [Fact]
    public void AnotherEpochIsIncompleteAndReadsTheWholeHistory()
    {
        var log = new TopicLog("e2", _time.GetUtcNow());
        var options = History();
        Append(log, options, "a");
        Append(log, options, "b");

        var read = Read(log, options, new TopicPosition(1, "e1"));

        Assert.False(read.Complete);
        Assert.Equal(["a", "b"], Bodies(read));
    }

    [Fact]
    public void PositionAheadOfTheHeadIsIncompleteAndReadsNothing()
    {
        var log = new TopicLog("e1", _time.GetUtcNow());
        var options = History();
        Append(log, options, "a");

        var read = Read(log, options, new TopicPosition(5, "e1"));

        Assert.False(read.Complete);
        Assert.Empty(read.Entries);
    }

    [Fact]
    public void MaxLengthZeroKeepsNoHistoryButStillSequences()
    {
        var log = new TopicLog("e1", _time.GetUtcNow());
        var options = History(maxLength: 0);

        Append(log, options, "a");
        var second = Append(log, options, "b");

        Assert.Equal(new TopicPosition(2, "e1"), second);
        Assert.True(Read(log, options, second).Complete);
        Assert.False(Read(log, options, new TopicPosition(1, "e1")).Complete);
        Assert.Empty(Read(log, options, new TopicPosition(0, "e1")).Entries);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(17)]
    [InlineData(64)]
    public void RingMatchesAPlainListOverGrowthWrapAndAgeTrimming(int maxLength)
    {
        // A seeded run of appends, clock steps and reads, checked against the obvious model.
        var random = new Random(maxLength);
        var log = new TopicLog("e1", _time.GetUtcNow());
        var options = History(maxLength, maxAgeSeconds: 50);
        var model = new List<(long Seq, DateTimeOffset At)>();
        long seq = 0;
        for (var step = 0; step < 2000; step++)
        {
            if (random.Next(3) > 0)
            {
                var position = Append(log, options, "m" + (seq + 1));
                Assert.Equal(++seq, position.Sequence);
                model.Add((seq, _time.GetUtcNow()));
            }
            else
            {
                _time.Advance(TimeSpan.FromSeconds(random.Next(0, 8)));
            }
            var now = _time.GetUtcNow();
            var kept = model.Where(m => now - m.At <= options.MaxAge).TakeLast(maxLength).ToList();
            var after = Math.Max(0, seq - random.Next(0, maxLength + 5));
            var read = Read(log, options, new TopicPosition(after, "e1"));

            Assert.Equal(kept.Where(m => m.Seq > after).Select(m => m.Seq), read.Entries.Select(e => e.Position.Sequence));
            Assert.Equal(after == seq || (kept.Count > 0 && kept[0].Seq <= after + 1), read.Complete);
            Assert.All(read.Entries, e => Assert.Equal("m" + e.Position.Sequence, Encoding.UTF8.GetString(e.Body.Span)));
        }
    }
}
