// The policy administration page: everything it shows and does goes through the GraphQL admin
// API with the officer's token, so the page itself holds no data and no privileges.
"use strict";

const state = { token: sessionStorage.getItem("returncases.token"), policy: null, matrix: null,
                pending: new Map(), preview: null };

const $ = (id) => document.getElementById(id);

function element(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes)) {
    if (key === "class") node.className = value;
    else if (key.startsWith("data-")) node.setAttribute(key, value);
    else node[key] = value;
  }
  for (const child of children) node.append(child);
  return node;
}

function status(message, error = false) {
  $("status").textContent = message;
  $("status").className = error ? "error" : "";
}

async function graphql(query, variables = {}) {
  const response = await fetch("/graphql", {
    method: "POST",
    headers: { "Content-Type": "application/json", "Authorization": `Bearer ${state.token}`,
               "X-Purpose": "POLICY_ADMIN" },
    body: JSON.stringify({ query, variables }),
  });
  const body = await response.json();
  if (response.status === 401) throw new Error("The token was refused: sign in again.");
  if (body.errors && body.errors.length) {
    const error = body.errors[0];
    const findings = (error.extensions && error.extensions.findings) || [];
    const detail = findings.map((f) => `${f.rule}: ${f.problem}`).join("; ");
    throw new Error(`${error.extensions ? error.extensions.code + ": " : ""}${error.message}` +
                    (detail ? ` (${detail})` : ""));
  }
  return body.data;
}

const LOAD = `query($action: MatrixAction!) {
  policy { version { version digest author reason createdAt } running
           rules { role agency object action purpose condition effect } }
  policyMatrix(action: $action) { version columns { agency role purpose }
    rows { coordinate typeName sensitivity cells } }
  policyHistory(first: 50) { version kind basedOn author reason createdAt approvedBy emergency
                             reviewPending }
}`;

async function load() {
  status("Loading…");
  const data = await graphql(LOAD, { action: $("action").value });
  state.policy = data.policy;
  state.matrix = data.policyMatrix;
  const v = data.policy.version;
  $("version").textContent = `Version ${v.version} (${v.digest}), by ${v.author}: ${v.reason}`;
  renderMatrix();
  renderHistory(data.policyHistory);
  await loadProposals();
  $("signin").hidden = true;
  $("workspace").hidden = false;
  status(`Policy version ${v.version} loaded.`);
}

function cellKey(column, coordinate) { return `${column}|${coordinate}`; }

function renderMatrix() {
  const { columns, rows } = state.matrix;
  const filter = $("search").value.trim().toLowerCase();
  const head = element("tr", {}, element("th", {}, "Coordinate"), element("th", {}, "Class"));
  columns.forEach((c) => head.append(element("th", { class: "role", title: c.purpose },
                                             `${c.role} (${c.agency})`)));
  $("matrix").tHead.replaceChildren(head);
  const by = $("group").value;
  const group = (row) => row[by] || "unclassified";
  const ordered = by === "typeName" ? rows : [...rows].sort((a, b) =>
    group(a).localeCompare(group(b)) || a.coordinate.localeCompare(b.coordinate));
  const body = [];
  let current = null;
  for (const row of ordered) {
    if (filter && !row.coordinate.toLowerCase().includes(filter)) continue;
    if (group(row) !== current) {
      current = group(row);
      body.push(element("tr", { class: "type" },
                        element("th", { colSpan: columns.length + 2 }, current)));
    }
    const line = element("tr", {}, element("td", {}, row.coordinate),
      element("td", {}, row.sensitivity ? element("span", { class: `class ${row.sensitivity}` },
                                                  row.sensitivity) : ""));
    row.cells.forEach((decision, index) => {
      const key = cellKey(index, row.coordinate);
      const pending = state.pending.has(key);
      const shown = pending ? state.pending.get(key).to : decision;
      const button = element("span", {
        class: `cell ${shown}${pending ? " pending" : ""}`, role: "button", tabIndex: 0,
        title: `${columns[index].role} (${columns[index].agency}) · ${row.coordinate}`,
        "data-coordinate": row.coordinate, "data-role": columns[index].role,
        "data-agency": columns[index].agency,
      }, shown);
      button.addEventListener("click", () => toggle(index, row.coordinate, decision));
      button.addEventListener("keydown", (e) => { if (e.key === "Enter") button.click(); });
      line.append(element("td", {}, button));
    });
    body.push(line);
  }
  $("matrix").tBodies[0].replaceChildren(...body);
}

function toggle(index, coordinate, decision) {
  const key = cellKey(index, coordinate);
  if (state.pending.has(key)) state.pending.delete(key);
  else {
    const column = state.matrix.columns[index];
    state.pending.set(key, { column, coordinate, from: decision,
                             to: decision === "deny" ? "allow" : "deny" });
  }
  state.preview = null;
  renderPending();
  renderMatrix();
}

function renderPending() {
  const items = [...state.pending.values()];
  $("pending").replaceChildren(...items.map((p) => element("li", {},
    `${p.to === "deny" ? "Withhold" : "Grant"} ${p.coordinate} (${actionName()}) ` +
    `${p.to === "deny" ? "from" : "to"} ${p.column.role} (${p.column.agency})`)));
  $("pending-summary").textContent = items.length ? `${items.length} selected change(s):`
    : "Select cells in the matrix to change them.";
  $("preview").disabled = $("clear").disabled = !items.length;
  $("diff").hidden = true;
  $("apply-form").hidden = true;
}

function actionName() { return $("action").value.toLowerCase(); }

// Rules that carry out the selected changes: drop exact rules that decide the cell the other
// way, and add an explicit rule where a wildcard (Type.*) or nothing decides it.
function ruleChange() {
  const add = [], remove = [];
  const action = actionName();
  for (const p of state.pending.values()) {
    const { role, agency } = p.column;
    const mine = state.policy.rules.filter((r) => r.role === role && r.action === action &&
      (r.agency === agency || r.agency === "*") && r.condition === "*");
    const wanted = p.to === "deny" ? "deny" : "allow";
    const against = mine.filter((r) => r.object === p.coordinate && r.effect !== wanted);
    against.forEach((r) => remove.push(r));
    const type = p.coordinate.split(".")[0];
    const wildcardAgainst = mine.some((r) => r.object === `${type}.*` && r.effect !== wanted);
    const granted = mine.some((r) => r.effect === "allow" &&
      (r.object === p.coordinate || r.object === `${type}.*`) && !against.includes(r));
    if (wanted === "deny" ? granted || wildcardAgainst : !granted || wildcardAgainst) {
      add.push({ role, agency, object: p.coordinate, action, purpose: "*", condition: "*",
                 effect: wanted });
    }
  }
  const strip = (r) => ({ role: r.role, agency: r.agency, object: r.object, action: r.action,
                          purpose: r.purpose, condition: r.condition, effect: r.effect });
  return { add, remove: remove.map(strip) };
}

const PREVIEW = `query($add: [PolicyRuleInput!], $remove: [PolicyRuleInput!]) {
  previewPolicyChange(add: $add, remove: $remove) {
    baseVersion locksOut dutyBreaches requiredApprovals appliesAtOnce findings { rule problem }
    changes { agency role purposes casesIn casesOut
              gained { action coordinate } lost { action coordinate } }
  }
}`;

async function preview() {
  const change = ruleChange();
  status("Previewing…");
  const data = await graphql(PREVIEW, change);
  const result = data.previewPolicyChange;
  state.preview = { ...change, baseVersion: result.baseVersion };
  const diff = $("diff");
  const parts = [element("h3", {}, `Effect on version ${result.baseVersion}`)];
  if (!result.changes.length) parts.push(element("p", {}, "No role's access changes."));
  for (const c of result.changes) {
    const list = element("ul", { class: "role-diff", "data-role": c.role });
    c.lost.forEach((g) => list.append(element("li", { class: "lost" },
                                              `loses ${g.action} ${g.coordinate}`)));
    c.gained.forEach((g) => list.append(element("li", { class: "gained" },
                                                `gains ${g.action} ${g.coordinate}`)));
    if (c.casesIn || c.casesOut) list.append(element("li", {},
      `${c.casesIn} case(s) enter and ${c.casesOut} leave the row scope`));
    parts.push(element("h4", {}, `${c.role} (${c.agency}), purposes ${c.purposes.join(", ")}`),
               list);
  }
  if (result.findings.length) {
    parts.push(element("h4", {}, "Lint findings (apply will refuse)"));
    parts.push(element("ul", {}, ...result.findings.map((f) =>
      element("li", { class: "lost" }, `${f.rule}: ${f.problem}`))));
  }
  if (result.locksOut) parts.push(element("p", { class: "lost" },
    "Some agency's security officers could no longer edit the policy: it will be refused."));
  if (result.dutyBreaches.length) {
    parts.push(element("h4", {}, "Separation of duties (it will be refused)"));
    parts.push(element("ul", {}, ...result.dutyBreaches.map((b) =>
      element("li", { class: "lost" }, b))));
  }
  parts.push(element("p", { id: "required" },
    `Needs the approval of: ${result.requiredApprovals.join(", ")}` +
    (result.appliesAtOnce ? " (or apply now as an emergency narrowing, reviewed afterwards)"
      : "")));
  diff.replaceChildren(...parts);
  diff.hidden = false;
  const refused = Boolean(result.findings.length || result.locksOut ||
                          result.dutyBreaches.length);
  $("apply-form").hidden = refused;
  $("apply").hidden = !result.appliesAtOnce;
  status("Preview ready: give a reason and propose it, or change the selection.");
}

const APPLY = `mutation($v: Int!, $reason: String!, $add: [PolicyRuleInput!],
                        $remove: [PolicyRuleInput!]) {
  applyPolicyChange(expectedVersion: $v, reason: $reason, add: $add, remove: $remove) {
    version }
}`;

async function apply() {
  const { add, remove, baseVersion } = state.preview;
  const data = await graphql(APPLY, { v: baseVersion, reason: $("reason").value, add, remove });
  state.pending.clear();
  $("reason").value = "";
  renderPending();
  await load();
  status(`Applied as version ${data.applyPolicyChange.version} (emergency, flagged for ` +
         "review); every worker runs it within a second.");
}

function renderHistory(versions) {
  const current = state.policy.version.version;
  $("history").tBodies[0].replaceChildren(...versions.map((v) => {
    const action = element("td");
    if (v.version !== current) {
      const button = element("button", { type: "button", "data-version": v.version },
                             `Propose rolling back to ${v.version}`);
      button.addEventListener("click", () => run(async () => {
        const reason = prompt(`Why roll back to version ${v.version}?`);
        if (!reason) return;
        const data = await graphql(PROPOSE_ROLLBACK, { to: v.version, v: current, reason });
        await load();
        status(`Proposed as #${data.proposePolicyRollback.id}: rolling back to version ` +
               `${v.version}, for approval.`);
      }));
      action.append(button);
    }
    return element("tr", { "data-version": v.version }, element("td", {}, String(v.version)),
      element("td", {}, v.kind + (v.basedOn && v.kind === "rollback" ? ` of ${v.basedOn}` : "")),
      element("td", {}, v.author),
      element("td", {}, v.approvedBy.join(", ") + (v.reviewPending ? " (review pending)" : "")),
      element("td", {}, v.reason),
      element("td", {}, new Date(v.createdAt).toLocaleString()), action);
  }));
}

function run(work) {
  return work().catch((error) => status(error.message, true));
}

document.addEventListener("DOMContentLoaded", () => {
  $("token-form").addEventListener("submit", (event) => run(async () => {
    event.preventDefault();
    state.token = $("token").value.trim();
    sessionStorage.setItem("returncases.token", state.token);
    await load();
  }));
  $("action").addEventListener("change", () => run(async () => {
    state.pending.clear();
    renderPending();
    await load();
  }));
  $("search").addEventListener("input", () => renderMatrix());
  $("group").addEventListener("change", () => renderMatrix());
  $("preview").addEventListener("click", () => run(preview));
  $("clear").addEventListener("click", () => { state.pending.clear(); renderPending();
                                               renderMatrix(); });
  $("apply-form").addEventListener("submit", (event) => { event.preventDefault();
                                                           run(propose); });
  $("apply").addEventListener("click", () => run(apply));
  if (state.token) run(load);
});
