// Interop check: the official TypeScript MCP client against polar-mcp on
// the demo organization, over stdio, streamable HTTP and legacy SSE.
// Usage: node check.mjs BINARY BASE_URL CUSTOMER_TOKEN AGENT_TOKEN
import assert from "node:assert/strict";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { SSEClientTransport } from "@modelcontextprotocol/sdk/client/sse.js";

const [binary, base, customerToken, agentToken] = process.argv.slice(2);

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
await check("bad token refused", async () => {
  await assert.rejects(session(transports(customerToken + "x")["streamable HTTP"], async () => {}));
});

console.log(`interop: ${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
