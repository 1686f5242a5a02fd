// Interop check: the official TypeScript MCP client against polar-mcp on
// the demo organization, over stdio, streamable HTTP and legacy SSE.
// Usage: node check.mjs BINARY BASE_URL CUSTOMER_TOKEN AGENT_TOKEN
import assert from "node:assert/strict";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { SSEClientTransport } from "@modelcontextprotocol/sdk/client/sse.js";
import { z } from "zod";

const [binary, base, customerToken, agentToken, teamTokens] = process.argv.slice(2);

function transports(token) {
  const headers = { Authorization: `Bearer ${token}` };
  return {
    "streamable HTTP": () => new StreamableHTTPClientTransport(new URL(base + "/mcp"), { requestInit: { headers } }),
    "SSE": () => new SSEClientTransport(new URL(base + "/sse"), {
      requestInit: { headers },
      eventSourceInit: { fetch: (u, i) => fetch(u, { ...i, headers: { ...(i?.headers ?? {}), ...headers } }) },
    }),
  };
}

async function session(makeTransport, fn) {
  const client = new Client({ name: "polar-mcp-interop", version: "1" });
  await client.connect(makeTransport());
  try { await fn(client); } finally { await client.close(); }
}

const text = (res) => res.content.map((c) => c.text ?? "").join("");
let passed = 0, failed = 0;
async function check(name, fn) {
  try { await fn(); passed++; console.log(`ok   ${name}`); }
  catch (e) { failed++; console.log(`FAIL ${name}: ${e.message}`); }
}

async function customerChecks(client, label) {
  const names = (await client.listTools()).tools.map((t) => t.name);
  assert.ok(!names.includes("get_visitor_insights"), `${label}: customer sees insights`);
  assert.equal(names.length, 6, `${label}: ${names}`);
  // The client validates structuredContent against each tool's outputSchema.
  const own = await client.callTool({ name: "get_subscription_status", arguments: {} });
  assert.ok(!own.isError && text(own).includes("$490.00 / year"), text(own));
  const other = await client.callTool({ name: "get_order_history", arguments: { email: "alice@example.com" } });
  assert.ok(other.isError && !text(other).includes("€"), text(other));
}

await check("stdio customer", () => session(
  () => new StdioClientTransport({ command: binary, args: ["stdio", "--demo"], env: { ...process.env, POLAR_MCP_CUSTOMER_EMAIL: "bob@example.com" }, stderr: "ignore" }),
  (c) => customerChecks(c, "stdio")));

for (const [label, make] of Object.entries(transports(customerToken))) {
  await check(`${label} customer`, () => session(make, (c) => customerChecks(c, label)));
}
for (const [label, make] of Object.entries(transports(agentToken))) {
  await check(`${label} agent insights`, () => session(make, async (c) => {
    const res = await c.callTool({ name: "get_visitor_insights", arguments: { email: "carol@example.com" } });
    assert.ok(!res.isError && text(res).includes("paused"), text(res));
  }));
}
// Team accounts: each role and seat state, with the answers Polar's own
// portal would give, and never another member's key, device or email.
const keys = ["A001", "3C7D", "E41B", "9A4F"].map((k) => "PRO-****-****-" + k);
const mine = { owner: "A001", claimed: "3C7D", both: "E41B" };
const team = {
  owner: { status: ["where you are the owner", "Seats: 12 in total"], orders: "NWC-0008", benefits: "PRO-****-****-A001", manages: true },
  billing: { status: ["where you are a billing manager", "You hold no seat"], orders: "NWC-0008", benefits: "Team workspaces", manages: true },
  claimed: { status: ["Your seat is active", "seats go from 12 to 15"], orders: "Only the team's owner or a billing manager", benefits: "PRO-****-****-3C7D" },
  pending: { status: ["accept the invitation email"], orders: "Only the team's owner or a billing manager", benefits: "no active benefits" },
  revoked: { status: ["Your seat was revoked on 22 Nov 2026"], orders: "Only the team's owner or a billing manager", benefits: "no active benefits" },
  both: { status: ["has no subscriptions", "You are also a member of the team account Acme Robotics"], orders: "no orders", benefits: "PRO-****-****-E41B", manages: true },
};
const emails = ["team@acme.example", "billing@acme.example", "ken@acme.example", "lena@acme.example", "max@acme.example"];
for (const [who, want] of Object.entries(team)) {
  const token = JSON.parse(teamTokens ?? "{}")[who];
  if (!token) continue;
  await check(`streamable HTTP team ${who}`, () => session(transports(token)["streamable HTTP"], async (c) => {
    const call = async (name, args = {}) => {
      const res = await c.callTool({ name, arguments: args });
      assert.ok(!res.isError, `${name}: ${text(res)}`);
      const shown = text(res) + JSON.stringify(res.structuredContent ?? {});
      // Another member's key, and any member's email but the caller's own.
      for (const k of keys) assert.ok(k.endsWith(mine[who] ?? "none") || !shown.includes(k), `${who} ${name} shows ${k}`);
      const self = res.structuredContent?.email;
      for (const e of emails) assert.ok(e === self || !shown.includes(e), `${who} ${name} shows ${e}`);
      return text(res);
    };
    const status = await call("get_subscription_status");
    for (const w of want.status) assert.ok(status.includes(w), `status lacks ${w}: ${status}`);
    assert.ok((await call("get_order_history")).includes(want.orders), "orders");
    assert.ok((await call("get_benefits")).includes(want.benefits), "benefits");
    assert.ok((await call("get_customer_portal_link")).includes("customer_session_token="), "portal");
    const manage = await call("manage_subscription", { action: "cancel" });
    assert.ok(want.manages ? manage.includes("customer_session_token=") : manage.includes("Only the team's owner or a billing manager can cancel"), manage);
  }));
}
if (teamTokens) {
  await check("stdio team member by external ids", () => session(
    () => new StdioClientTransport({ command: binary, args: ["stdio", "--demo"], env: { ...process.env, POLAR_MCP_CUSTOMER_EXTERNAL_ID: "org_acme", POLAR_MCP_MEMBER_EXTERNAL_ID: "usr_acme_ken" }, stderr: "ignore" }),
    async (c) => {
      const res = await c.callTool({ name: "get_benefits", arguments: {} });
      assert.ok(!res.isError && text(res).includes("PRO-****-****-3C7D") && !text(res).includes("A001"), text(res));
    }));
  for (const [label, make] of Object.entries(transports(agentToken))) {
    await check(`${label} agent member view`, () => session(make, async (c) => {
      const res = await c.callTool({ name: "get_visitor_insights", arguments: { email: "lena@acme.example" } });
      assert.ok(!res.isError && text(res).includes("seat pending") && res.structuredContent.teams?.[0]?.seat?.status === "pending", text(res));
    }));
  }
}

await check("bad token refused", async () => {
  await assert.rejects(session(transports(customerToken + "x")["streamable HTTP"], async () => {}));
});

// The specification's error codes, on every transport.
const codeOf = async (promise) => {
  try { await promise; } catch (e) { return e.code; }
  return "no error";
};
const stdioAs = (env) => () => new StdioClientTransport({ command: binary, args: ["stdio", "--demo"], env: { ...process.env, ...env }, stderr: "ignore" });
const agents = { stdio: stdioAs({}), ...transports(agentToken) };
const customers = { stdio: stdioAs({ POLAR_MCP_CUSTOMER_EMAIL: "bob@example.com" }), ...transports(customerToken) };
for (const [label, make] of Object.entries(agents)) {
  await check(`${label} error codes and logging`, () => session(make, async (c) => {
    assert.equal(await codeOf(c.getPrompt({ name: "support_reply", arguments: { email: "bob@example.com" } })), -32602, "support_reply without question");
    assert.equal(await codeOf(c.getPrompt({ name: "cancellation_help", arguments: { email: "not an email" } })), -32602, "invalid email");
    assert.equal(await codeOf(c.request({ method: "resources/read", params: {} }, z.any())), -32602, "resources/read without uri");
    assert.equal(await codeOf(c.request({ method: "tools/call", params: { name: "get_visitor_insights", arguments: "x" } }, z.any())), -32602, "arguments \"x\"");
    const ok = await c.getPrompt({ name: "support_reply", arguments: { email: "bob@example.com", question: "Why was I charged?" } });
    assert.ok(ok.messages[0].content.text.includes("Why was I charged?"));
    assert.ok(c.getServerCapabilities().logging, "no logging capability");
    await c.setLoggingLevel("info");
    // The prompts' email argument completes from this session's lookups.
    const looked = await c.callTool({ name: "get_visitor_insights", arguments: { email: "carol@example.com" } });
    assert.ok(!looked.isError, text(looked));
    const done = await c.complete({ ref: { type: "ref/prompt", name: "support_reply" }, argument: { name: "email", value: "ca" } });
    assert.deepEqual(done.completion.values, ["carol@example.com"]);
  }));
}
for (const [label, make] of Object.entries(customers)) {
  await check(`${label} customer reading the agents' resource`, () => session(make, async (c) => {
    assert.equal(await codeOf(c.readResource({ uri: "ui://polar-mcp/insights.html" })), -32002);
  }));
}

// A session ended with DELETE is gone: its id answers 404.
await check("streamable HTTP DELETE ends the session", async () => {
  const client = new Client({ name: "polar-mcp-interop", version: "1" });
  const t = transports(customerToken)["streamable HTTP"]();
  await client.connect(t);
  const sid = t.sessionId;
  assert.ok(sid, "no session id");
  await t.terminateSession();
  await client.close();
  const res = await fetch(base + "/mcp", {
    method: "POST",
    headers: { Authorization: `Bearer ${customerToken}`, "Content-Type": "application/json", Accept: "application/json, text/event-stream", "Mcp-Session-Id": sid, "MCP-Protocol-Version": "2025-11-25" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "ping" }),
  });
  assert.equal(res.status, 404, await res.text());
});

// A 401 says why, in WWW-Authenticate and in its body.
await check("401 names the metadata and the reason", async () => {
  const res = await fetch(base + "/mcp", { method: "POST", headers: { "Content-Type": "application/json", Accept: "application/json, text/event-stream" }, body: "{}" });
  const challenge = res.headers.get("www-authenticate") ?? "";
  assert.equal(res.status, 401);
  assert.match(challenge, /resource_metadata="[^"]+oauth-protected-resource"/);
  assert.match(challenge, /error_description="[^"]*bearer token/);
  assert.match((await res.json()).error_description, /Authorization: Bearer/);
});

console.log(`interop: ${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
