using Switchboard;
using SwitchboardApp;

#if (redis)
// `dotnet run -- worker --Switchboard:Redis=127.0.0.1:6379`: the worker role (no HTTP) runs the jobs that web nodes
// queue in Redis. With Switchboard:Redis set, web nodes run no jobs themselves: start at least one worker.
if (args.FirstOrDefault() == "worker")
{
    return await WorkerRole.RunAsync(args[1..]);
}

#endif
var builder = WebApplication.CreateBuilder(args);
builder.Services.AddAppSwitchboard(builder.Configuration);
#if (razor)
builder.Services.AddRazorPages();
#endif

var app = builder.Build();
app.UseStaticFiles();   // wwwroot/app.js, the page's browser handler
app.UseSwitchboard();   // gives each page request its window, which the page's token names
app.MapSwitchboard();   // the WebSocket (/switchboard/ws) and the browser client (/switchboard/df.js)
#if (razor)
app.MapRazorPages();    // Pages/Index.cshtml
#else
app.MapGet("/", HomePage.Render);
#endif

#if (redis)
await app.RunAsync();
return 0;
#else
app.Run();
#endif

/// <summary>The entry point; public so that the tests' <c>WebApplicationFactory&lt;Program&gt;</c> can start the app.</summary>
public partial class Program;
