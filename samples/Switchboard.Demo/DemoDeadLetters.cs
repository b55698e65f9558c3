using System.Globalization;

namespace Switchboard.Demo;

/// <summary>
/// <c>worker dead-letters list|requeue|delete</c>: the dead letters of the queues on Redis, from the command line, through
/// <see cref="ISwitchboardQueues"/> (the API a dashboard uses). Runs no workers and exits.
/// <code>
/// worker dead-letters list [--queue Q] [--count N]
/// worker dead-letters requeue --queue Q (--id ID | --all)
/// worker dead-letters delete --queue Q (--id ID | --all)
/// </code>
/// plus <c>--Switchboard:Redis=HOST:PORT</c> (and any other setting) like the other roles. Exit code 0: done; 1: no such
/// dead letter; 2: bad command line.
/// </summary>
internal static class DemoDeadLetters
{
    public const string Usage = """
        usage: worker dead-letters list [--queue Q] [--count N]
               worker dead-letters requeue --queue Q (--id ID | --all)
               worker dead-letters delete --queue Q (--id ID | --all)
        with --Switchboard:Redis=HOST:PORT (the Redis the queues are on).
        """;

    public static async Task<int> RunAsync(string[] args, CancellationToken cancellationToken = default)
    {
        if (!Command.TryParse(args, out var command, out var error))
        {
            await Console.Error.WriteLineAsync(error + "\n" + Usage);
            return 2;
        }
        var builder = Host.CreateApplicationBuilder(command.HostArgs);
        if (string.IsNullOrWhiteSpace(builder.Configuration["Switchboard:Redis"]))
        {
            await Console.Error.WriteLineAsync("dead-letters needs the Redis the queues are on: pass --Switchboard:Redis=HOST:PORT.");
            return 2;
        }
        // The queues are read and changed directly: no worker, no hosted service, nothing started.
        builder.Services.AddDemoSwitchboard(builder.Configuration);
        builder.Services.Configure<SwitchboardOptions>(o => o.Workers.Enabled = false);
        var host = builder.Build();
        try
        {
            var queues = host.Services.GetRequiredService<ISwitchboardQueues>();
            return command.Verb switch
            {
                "list" => await ListAsync(queues, command, cancellationToken),
                "requeue" => await RequeueAsync(queues, command, cancellationToken),
                _ => await DeleteAsync(queues, command, cancellationToken),
            };
        }
        finally
        {
            // The Redis services dispose asynchronously only.
            await ((IAsyncDisposable)host).DisposeAsync();
        }
    }

    private static async Task<int> ListAsync(ISwitchboardQueues queues, Command command, CancellationToken cancellationToken)
    {
        foreach (var queue in command.Queue is { } one ? [one] : queues.QueueNames)
        {
            var stats = await queues.GetQueueAsync(queue, cancellationToken);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"queue {queue}: {stats.DeadLetters} dead letters, {stats.Depth} waiting, {stats.Leased} leased, {stats.Delayed} delayed"));
            if (stats.DeadLetters == 0)
            {
                continue;
            }
            foreach (var letter in await queues.ListDeadLettersAsync(queue, command.Count, cancellationToken))
            {
                var job = letter.Job;
                var what = job is null ? "(unreadable job)" : $"{job.Signal} job {job.Id} attempt {job.Attempt} created {job.CreatedAt:O}";
                Console.WriteLine($"  {letter.Id}  {what}  reason: {OneLine(letter.Reason)}");
            }
        }
        return 0;
    }

    private static async Task<int> RequeueAsync(ISwitchboardQueues queues, Command command, CancellationToken cancellationToken)
    {
        if (command.All)
        {
            var count = await queues.RequeueDeadLettersAsync(command.Queue!, cancellationToken);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"requeued {count} dead letters of queue {command.Queue}"));
            return 0;
        }
        var done = await queues.RequeueDeadLetterAsync(command.Queue!, command.Id!, cancellationToken);
        Console.WriteLine(done ? $"requeued dead letter {command.Id} of queue {command.Queue}" : $"queue {command.Queue} has no dead letter {command.Id}");
        return done ? 0 : 1;
    }

    private static async Task<int> DeleteAsync(ISwitchboardQueues queues, Command command, CancellationToken cancellationToken)
    {
        if (command.All)
        {
            var count = await queues.DeleteDeadLettersAsync(command.Queue!, cancellationToken);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"deleted {count} dead letters of queue {command.Queue}"));
            return 0;
        }
        var done = await queues.DeleteDeadLetterAsync(command.Queue!, command.Id!, cancellationToken);
        Console.WriteLine(done ? $"deleted dead letter {command.Id} of queue {command.Queue}" : $"queue {command.Queue} has no dead letter {command.Id}");
        return done ? 0 : 1;
    }

    private static string OneLine(string text) => text.ReplaceLineEndings(" | ");

    /// <summary>The verb and its options; every other argument goes to the host's configuration.</summary>
    private sealed record Command(string Verb, string? Queue, string? Id, bool All, int Count, string[] HostArgs)
    {
        public static bool TryParse(string[] args, out Command command, out string error)
        {
            command = new Command("", null, null, false, 100, []);
            if (args.Length == 0 || args[0] is not ("list" or "requeue" or "delete"))
            {
                error = $"unknown dead-letters verb '{args.FirstOrDefault()}'";
                return false;
            }
            var (queue, id, all, count, rest) = ((string?)null, (string?)null, false, 100, new List<string>());
            for (var i = 1; i < args.Length; i++)
            {
                switch (args[i])
                {
                    case "--queue" when i + 1 < args.Length:
                        queue = args[++i];
                        break;
                    case "--id" when i + 1 < args.Length:
                        id = args[++i];
                        break;
                    case "--all":
                        all = true;
                        break;
                    case "--count" when i + 1 < args.Length:
                        if (!int.TryParse(args[++i], NumberStyles.None, CultureInfo.InvariantCulture, out count) || count is < 1 or > 10_000)
                        {
                            error = $"--count must be a number from 1 to 10000 (got '{args[i]}')";
                            return false;
                        }
                        break;
                    default:
                        rest.Add(args[i]);
                        break;
                }
            }
            command = new Command(args[0], queue, id, all, count, [.. rest]);
            error = command switch
            {
                { Verb: "list", Id: not null } or { Verb: "list", All: true } => "list takes --queue and --count only",
                { Verb: not "list", Queue: null } => $"{command.Verb} needs --queue",
                { Verb: not "list", Id: null, All: false } or { Verb: not "list", Id: not null, All: true } => $"{command.Verb} needs either --id ID or --all",
                _ => "",
            };
            return error.Length == 0;
        }
    }
}
