// Runs graphql-http's server audits against URL with a bearer token; prints JSON results.
const { serverAudits } = require('graphql-http');

(async () => {
  const [url, token] = process.argv.slice(2);
  const fetchFn = (input, init = {}) =>
    fetch(input, { ...init, headers: { ...(init.headers || {}), authorization: `Bearer ${token}` } });
  const results = [];
  for (const audit of serverAudits({ url, fetchFn })) {
    const result = await audit.fn();
    results.push({ id: audit.id, name: audit.name, status: result.status, reason: result.reason });
  }
  console.log(JSON.stringify(results));
})();
