// Four eyes on the policy page: propose the previewed change, approve or reject another
// officer's proposal with a reason, apply an approved one. Uses page.js's helpers.
"use strict";

const PROPOSAL_FIELDS = `id kind baseVersion rollbackTo status emergency reviewPending author
  authorAgency reason added removed missing appliedVersion
  required { agency reasons approvedBy } decisions { subject agency decision reason }
  preview { agency role gained { action coordinate } lost { action coordinate } }`;

const PROPOSE = `mutation($v: Int!, $reason: String!, $add: [PolicyRuleInput!],
                          $remove: [PolicyRuleInput!]) {
  proposePolicyChange(expectedVersion: $v, reason: $reason, add: $add, remove: $remove) {
    id missing }
}`;
const PROPOSE_ROLLBACK = `mutation($to: Int!, $v: Int!, $reason: String!) {
  proposePolicyRollback(toVersion: $to, expectedVersion: $v, reason: $reason) { id missing }
}`;
const PROPOSALS = `{ policyProposals(first: 20) { ${PROPOSAL_FIELDS} } }`;
const DECIDE = {
  approve: `mutation($id: Int!, $reason: String!) {
    approvePolicyProposal(id: $id, reason: $reason) { id status missing } }`,
  reject: `mutation($id: Int!, $reason: String!) {
    rejectPolicyProposal(id: $id, reason: $reason) { id status } }`,
};
const APPLY_PROPOSAL = `mutation($id: Int!) { applyPolicyProposal(id: $id) { version } }`;

async function propose() {
  const { add, remove, baseVersion } = state.preview;
  const data = await graphql(PROPOSE, { v: baseVersion, reason: $("reason").value, add, remove });
  state.pending.clear();
  $("reason").value = "";
  renderPending();
  await load();
  const p = data.proposePolicyChange;
  status(`Proposed as #${p.id}; it needs the approval of ${p.missing.join(", ")}.`);
}

async function loadProposals() {
  const data = await graphql(PROPOSALS);
  $("proposals").replaceChildren(...data.policyProposals.map(renderProposal));
}

function effectLines(p) {
  const lines = [];
  for (const c of p.preview) {
    c.lost.forEach((g) => lines.push(element("li", { class: "lost" },
      `${c.role} (${c.agency}) loses ${g.action} ${g.coordinate}`)));
    c.gained.forEach((g) => lines.push(element("li", { class: "gained" },
      `${c.role} (${c.agency}) gains ${g.action} ${g.coordinate}`)));
  }
  if (!lines.length) lines.push(element("li", {}, "No role's access changes."));
  return element("ul", { class: "effect" }, ...lines);
}

function renderProposal(p) {
  const title = p.kind === "rollback" ? `roll back to version ${p.rollbackTo}` : "change";
  const item = element("li", { class: `proposal ${p.status}`, "data-proposal": p.id });
  item.append(element("h3", {}, `#${p.id} ${title} of version ${p.baseVersion}: ` +
    `${p.status}${p.emergency ? " (emergency)" : ""}${p.reviewPending ? ", review pending" : ""}`));
  item.append(element("p", {}, `Proposed by ${p.author} (${p.authorAgency}): ${p.reason}`));
  item.append(effectLines(p));
  item.append(element("ul", { class: "required" }, ...p.required.map((r) => element("li",
    { "data-agency": r.agency }, `${r.agency}: ${r.approvedBy ? "approved by " + r.approvedBy
      : "approval needed"} (${r.reasons.join("; ")})`))));
  p.decisions.filter((d) => d.decision === "reject").forEach((d) => item.append(
    element("p", { class: "lost" }, `Rejected by ${d.subject} (${d.agency}): ${d.reason}`)));
  const open = p.status === "pending" || p.status === "approved" || p.reviewPending;
  if (open) {
    const reason = element("input", { class: "decision-reason", placeholder: "Reason",
                                      maxLength: 1000 });
    item.append(reason);
    for (const decision of p.status === "applied" ? ["approve"] : ["approve", "reject"]) {
      const button = element("button", { type: "button", class: decision },
                             decision === "approve" ? "Approve" : "Reject");
      button.addEventListener("click", () => run(async () => {
        if (!reason.value.trim()) throw new Error("Give a reason for your decision.");
        const data = await graphql(DECIDE[decision], { id: p.id, reason: reason.value });
        await load();
        status(decision === "approve" ? `Approved #${p.id}.` : `Rejected #${p.id}.`);
        return data;
      }));
      item.append(button);
    }
  }
  if (p.status === "approved") {
    const button = element("button", { type: "button", class: "apply-proposal" }, "Apply");
    button.addEventListener("click", () => run(async () => {
      const data = await graphql(APPLY_PROPOSAL, { id: p.id });
      await load();
      status(`Applied as version ${data.applyPolicyProposal.version}; every worker runs it ` +
             "within a second.");
    }));
    item.append(button);
  }
  return item;
}
