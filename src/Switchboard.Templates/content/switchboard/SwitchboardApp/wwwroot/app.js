// The page's browser code. /switchboard/df.js (served by the app) defines `df` and connects it with the page's token.
const answer = document.getElementById('answer');

// The browser handler: the server calls `app.greeted` on this window (GreetingSignals.cs).
df.connect('app.greeted', (opts) => {
  answer.textContent = opts.text;
});

// A handler that failed on the server (a refused name, say) reports it to the calling window.
df.onerror((error) => {
  answer.textContent = `Error: ${error.message}`;
});
//#if (!razor)

// The button calls the server signal. The promise settles once the server has accepted the call (it rejects when the
// call is refused); the answer itself comes later, as the `app.greeted` signal above, once a worker ran the handler.
document.getElementById('greet').addEventListener('click', () => {
  const name = document.getElementById('name').value;
  df.call('app.greet', { name }).catch((error) => {
    answer.textContent = `Refused: ${error.message}`;
  });
});
//#else

// The button of Pages/Index.cshtml calls `app.greet` through its df-signal binding: no code needed here.
//#endif
