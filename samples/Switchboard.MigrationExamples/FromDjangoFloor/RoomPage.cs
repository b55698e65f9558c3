using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Switchboard.MigrationExamples.FromDjangoFloor;

/// <summary>The DjangoFloor view and template of docs/from-djangofloor.md, ported: a page that chooses its topics.</summary>
public static class RoomPage
{
    public static IEndpointRouteBuilder MapRoomPage(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/rooms/{room}", (HttpContext http, string room) =>
        {
            http.SetWebSocketTopics("room:" + room);             // set_websocket_topics(request, 'room:' + room)
            return Results.Content(Html(http, room), "text/html");
        });
        // A view calling a signal: scall(request, 'room.closed', to=['room:' + room], room=room)
        endpoints.MapPost("/rooms/{room}/close", (HttpContext http, ISignals signals, string room) =>
            signals.TriggerAsync(http, "room.closed", new { room }, to: ["room:" + room], http.RequestAborted));
        return endpoints;
    }

    private static string Html(HttpContext http, string room) => $$"""
        <!doctype html>
        <html><head><script src="/switchboard/df.js"></script></head>
        <body data-room="{{HtmlEncoder.Default.Encode(room)}}">
        {{http.SwitchboardInitHtml()}}
        <ul id="log"></ul><p id="progress"></p>
        <script type="module">
          const room = document.body.dataset.room;
          df.connect('room.message', ({ from, text }) => {
            const li = document.createElement('li');
            li.textContent = `${from}: ${text}`;
            document.querySelector('#log').append(li);
          });
          await df.ready;
          await df.call('room.post', { room, text: 'hello' });       // $.df.call(...), now a Promise
          await df.call('room.report', { steps: 3 });
          console.log(await df.fn.room.words({ text: 'one two' }));  // $.dfws.room.words(...): 2
        </script>
        </body></html>
        """;
}
