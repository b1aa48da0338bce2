// Starts GraphiQL from the service's own copies of its files (no CDN), from a file rather than an
// inline script, so the page's Content-Security-Policy can forbid inline code. Queries and
// mutations go over HTTP with the headers typed in the Headers tab; subscriptions go over the
// WebSocket at the same address, and GraphiQL sends those same headers as the connection_init
// payload, so the one token authenticates both. Headers are not persisted in the browser.
(function () {
  "use strict";
  const url = new URL("/graphql", window.location.href);
  const subscriptionUrl = new URL(url);
  subscriptionUrl.protocol = url.protocol === "https:" ? "wss:" : "ws:";

  const defaultQuery = [
    "# Paste a token into the Headers tab below, e.g. one printed by `returncases serve --demo`:",
    '#   {"Authorization": "Bearer eyJ…"}',
    "# then press the run button (Ctrl-Enter). Subscriptions use the same headers.",
    "",
    "query FirstCases {",
    "  cases(first: 5) { totalCount edges { node { id caseNumber state } } }",
    "}",
    "",
  ].join("\n");

  const fetcher = GraphiQL.createFetcher({
    url: url.href,
    subscriptionUrl: subscriptionUrl.href,
  });
  const root = ReactDOM.createRoot(document.getElementById("graphiql"));
  root.render(
    React.createElement(GraphiQL, {
      fetcher: fetcher,
      defaultQuery: defaultQuery,
      defaultHeaders: '{"Authorization": "Bearer "}',
      defaultEditorToolsVisibility: "headers",
      isHeadersEditorEnabled: true,
      shouldPersistHeaders: false,
    }),
  );
})();
