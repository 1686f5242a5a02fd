// A small HTTP proxy for the MCP conformance suite, which cannot send
// headers: it adds "Authorization: Bearer <token>" to every request and
// passes everything else through unchanged, the Host header included (the
// DNS-rebinding scenario sends a foreign Host that polar-mcp must refuse),
// streaming both ways (SSE).
// Usage: node proxy.mjs <listen port> <upstream port> <token>
import http from 'node:http';

const [listenPort, upstreamPort, token] = process.argv.slice(2);
if (!listenPort || !upstreamPort || !token) {
  console.error('usage: node proxy.mjs <listen port> <upstream port> <token>');
  process.exit(2);
}

http.createServer((req, res) => {
  const headers = { ...req.headers, authorization: `Bearer ${token}` };
  const up = http.request(
    { host: '127.0.0.1', port: upstreamPort, method: req.method, path: req.url, headers },
    (upRes) => {
      res.writeHead(upRes.statusCode, upRes.headers);
      upRes.pipe(res);
    },
  );
  up.on('error', (err) => {
    if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
    res.end(`proxy: ${err.message}`);
  });
  res.on('close', () => up.destroy());
  req.pipe(up);
}).listen(Number(listenPort), '127.0.0.1');
