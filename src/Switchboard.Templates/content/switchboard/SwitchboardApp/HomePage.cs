using Switchboard;

namespace SwitchboardApp;

/// <summary>The one page: a name, a button that calls <c>app.greet</c>, and where the answer shows.</summary>
internal static class HomePage
{
    public static IResult Render(HttpContext http) => Results.Content($$"""
        <!doctype html>
        <html lang="en">
        <head>
          <meta charset="utf-8">
          <title>SwitchboardApp</title>
          <link rel="icon" href="data:,">
        </head>
        <body>
          <h1>SwitchboardApp</h1>
          <input id="name" value="world" aria-label="Name">
          <button id="greet" type="button">Greet</button>
          <p id="answer"></p>
          {{http.SwitchboardInitHtml()}}
          <script src="/switchboard/df.js"></script>
          <script src="/app.js"></script>
        </body>
        </html>
        """, "text/html; charset=utf-8");
}
