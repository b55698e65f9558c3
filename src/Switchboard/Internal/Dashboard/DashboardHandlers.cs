using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Switchboard.Internal.Windows;

namespace Switchboard.Internal.Dashboard;

/// <summary>
/// The dashboard's endpoints for one <c>MapSwitchboardDashboard</c>. Authorization is the endpoints' metadata (the
/// routing pipeline refuses before any of this runs); the actions also need the page's antiforgery token, so another
/// site cannot make a signed-in operator's browser requeue or delete.
/// </summary>
internal sealed partial class DashboardHandlers(SwitchboardDashboardOptions options)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task PageAsync(HttpContext context)
    {
        var services = context.RequestServices;
        var feature = WindowTopicsWriter.RequireFeature(context);
        var topics = WindowTopicsWriter.Compute(context, feature, []);
        topics.Add(services.GetRequiredService<DashboardTopics>().Page);
        feature.PendingTopics = topics;
        await WindowTopicsWriter.WriteAsync(context, feature.WindowKey, topics, context.RequestAborted);
        var tokens = services.GetRequiredService<IAntiforgery>().GetAndStoreTokens(context);
        var basePath = context.Request.PathBase.Add(context.Request.Path).Value!.TrimEnd('/');
        var html = DashboardAssets.Render(
            HtmlEncoder.Default.Encode(basePath),
            HtmlEncoder.Default.Encode(context.Request.PathBase + services.GetRequiredService<IOptions<SwitchboardOptions>>().Value.PathPrefix + "/df.js"),
            HtmlEncoder.Default.Encode(tokens.RequestToken ?? ""),
            context.SwitchboardInitHtml());
        context.Response.ContentType = "text/html; charset=utf-8";
        context.Response.Headers.CacheControl = "no-store";
        context.Response.Headers.XContentTypeOptions = "nosniff";
        context.Response.Headers["X-Frame-Options"] = "DENY";
        await context.Response.WriteAsync(html, context.RequestAborted);
    }

    public async Task StateAsync(HttpContext context)
    {
        var services = context.RequestServices;
        var state = await services.GetRequiredService<DashboardQueuesReader>().ReadAsync(options.DeadLettersShown, context.RequestAborted);
        state["nodes"] = new JsonArray(await services.GetRequiredService<NodeSnapshotCollector>().CollectAsync(context.RequestAborted));
        context.Response.Headers.CacheControl = "no-store";
        await context.Response.WriteAsJsonAsync(state, context.RequestAborted);
    }

    public Task RequeueAsync(HttpContext context) => ActAsync(context, requeue: true);

    public Task DeleteAsync(HttpContext context) => ActAsync(context, requeue: false);

    private static async Task ActAsync(HttpContext context, bool requeue)
    {
        var services = context.RequestServices;
        try
        {
            await services.GetRequiredService<IAntiforgery>().ValidateRequestAsync(context);
        }
        catch (AntiforgeryValidationException)
        {
            await ProblemAsync(context, StatusCodes.Status400BadRequest, "The request has no valid antiforgery token: reload the dashboard.");
            return;
        }
        DeadLetterAction? action;
        try
        {
            action = await context.Request.ReadFromJsonAsync<DeadLetterAction>(Json, context.RequestAborted);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            action = null;
        }
        if (action is not { Queue.Length: > 0 } || (action.Id is null) != action.All)
        {
            await ProblemAsync(context, StatusCodes.Status400BadRequest, "Expected a JSON body {\"queue\": name, \"id\": dead letter id} or {\"queue\": name, \"all\": true}.");
            return;
        }
        var queues = services.GetRequiredService<ISwitchboardQueues>();
        var logger = services.GetRequiredService<ILogger<DashboardHandlers>>();
        var user = context.User.Identity?.Name ?? "?";
        long count;
        if (action.Id is { } id)
        {
            var done = requeue
                ? await queues.RequeueDeadLetterAsync(action.Queue, id, context.RequestAborted)
                : await queues.DeleteDeadLetterAsync(action.Queue, id, context.RequestAborted);
            if (!done)
            {
                await ProblemAsync(context, StatusCodes.Status404NotFound, $"Queue {action.Queue} has no dead letter {id} (already requeued or deleted?).");
                return;
            }
            count = 1;
        }
        else
        {
            count = requeue
                ? await queues.RequeueDeadLettersAsync(action.Queue, context.RequestAborted)
                : await queues.DeleteDeadLettersAsync(action.Queue, context.RequestAborted);
        }
        LogAction(logger, user, requeue ? "requeued" : "deleted", count, action.Queue);
        await context.Response.WriteAsJsonAsync(new JsonObject { [requeue ? "requeued" : "deleted"] = count }, context.RequestAborted);
    }

    private static Task ProblemAsync(HttpContext context, int status, string detail)
    {
        context.Response.StatusCode = status;
        return context.Response.WriteAsJsonAsync(new JsonObject { ["error"] = detail }, context.RequestAborted);
    }

    [LoggerMessage(EventId = 2701, EventName = "DashboardDeadLetterAction", Level = LogLevel.Information, Message = "Dashboard: {User} {Action} {Count} dead letter(s) of queue {Queue}.")]
    private static partial void LogAction(ILogger logger, string user, string action, long count, string queue);

    private sealed record DeadLetterAction(string? Queue, string? Id, bool All);
}
