// Package testkit holds the helpers polar-mcp's tests share: the database
// backends a store test runs on (EachBackend), the text of an MCP tool
// result (Text, CallTool), a real MCP client over HTTP (MCPClient) and a
// fake clock (Clock).
//
// Only _test.go files import it; TestOnlyTestsImportTestkit checks that.
package testkit
