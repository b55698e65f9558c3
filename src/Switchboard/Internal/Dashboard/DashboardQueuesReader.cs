using System.Text.Json.Nodes;

namespace Switchboard.Internal.Dashboard;

/// <summary>
/// The queues part of the dashboard, read from <see cref="ISwitchboardQueues"/> (on Redis: every process's jobs):
/// per queue its statistics and its oldest dead letters with their error.
/// </summary>
internal sealed class DashboardQueuesReader(ISwitchboardQueues queues, TimeProvider time)
{
    public async Task<JsonObject> ReadAsync(int deadLettersShown, CancellationToken cancellationToken)
    {
        var list = new JsonArray();
        foreach (var stats in await queues.GetQueuesAsync(cancellationToken))
        {
            var letters = new JsonArray();
            if (stats.DeadLetters > 0)
            {
                foreach (var letter in await queues.ListDeadLettersAsync(stats.Queue, deadLettersShown, cancellationToken))
                {
                    letters.Add(new JsonObject
                    {
                        ["id"] = letter.Id,
                        ["signal"] = letter.Job?.Signal,
                        ["job"] = letter.Job?.Id,
                        ["attempt"] = letter.Job?.Attempt,
                        ["createdAt"] = letter.Job?.CreatedAt,
                        ["reason"] = letter.Reason,
                    });
                }
            }
            list.Add(new JsonObject
            {
                ["name"] = stats.Queue,
                ["depth"] = stats.Depth,
                ["leased"] = stats.Leased,
                ["delayed"] = stats.Delayed,
                ["deadLetters"] = stats.DeadLetters,
                ["oldestJobAgeSeconds"] = stats.OldestJobAge?.TotalSeconds,
                ["deadLetterList"] = letters,
            });
        }
        return new JsonObject { ["at"] = time.GetUtcNow(), ["queues"] = list };
    }
}
