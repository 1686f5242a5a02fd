/* The MCP App side of the MCP Apps protocol (io.modelcontextprotocol/ui):
   JSON-RPC 2.0 over postMessage with the host window. It sends
   ui/initialize, then ui/notifications/initialized, and renders the card
   from each ui/notifications/tool-result's structuredContent. */
(function () {
  'use strict';
  var PROTOCOL = '2026-01-26';
  var root = document.getElementById('insights');
  var host = window.parent;
  var nextId = 1;
  var pending = {};
  var locale;

  function post(msg) { host.postMessage(msg, '*'); }
  function notify(method, params) { post({ jsonrpc: '2.0', method: method, params: params || {} }); }
  function reply(id, result) { post({ jsonrpc: '2.0', id: id, result: result || {} }); }
  function request(method, params) {
    var id = nextId++;
    post({ jsonrpc: '2.0', id: id, method: method, params: params });
    return new Promise(function (resolve, reject) { pending[id] = { resolve: resolve, reject: reject }; });
  }

  function show(kind, title, detail) {
    while (root.firstChild) { root.removeChild(root.firstChild); }
    root.appendChild(PolarInsightsCard.notice(kind, title, detail));
  }

  function textOf(result) {
    var parts = (result && Array.isArray(result.content) ? result.content : [])
      .filter(function (c) { return c && c.type === 'text' && typeof c.text === 'string'; })
      .map(function (c) { return c.text; });
    return parts.join('\n');
  }

  function onResult(result) {
    if (!result || typeof result !== 'object') { show('error', 'No result', 'The host sent an empty tool result.'); return; }
    if (result.isError) { show('error', 'The lookup failed', textOf(result) || 'The tool reported an error.'); return; }
    var data = result.structuredContent;
    if (!data || typeof data !== 'object') {
      show('error', 'Nothing to show', textOf(result) || 'The result has no structured content.');
      return;
    }
    PolarInsightsCard.render(root, data, { locale: locale });
  }

  function applyContext(ctx) {
    if (!ctx || typeof ctx !== 'object') { return; }
    if (ctx.theme === 'dark' || ctx.theme === 'light') { document.documentElement.setAttribute('data-theme', ctx.theme); }
    if (typeof ctx.locale === 'string' && ctx.locale) { locale = ctx.locale; }
    var vars = ctx.styles && ctx.styles.variables;
    if (vars && typeof vars === 'object') {
      Object.keys(vars).forEach(function (k) {
        if (/^--[a-z0-9-]+$/.test(k) && typeof vars[k] === 'string') { document.documentElement.style.setProperty(k, vars[k]); }
      });
    }
  }

  var ready = false, lastW = 0, lastH = 0, queued = false;
  function reportSize() {
    queued = false;
    if (!ready) { return; }
    var w = Math.ceil(document.documentElement.scrollWidth);
    var h = Math.ceil(document.documentElement.scrollHeight);
    if (w === lastW && h === lastH) { return; }
    lastW = w; lastH = h;
    notify('ui/notifications/size-changed', { width: w, height: h });
  }
  function queueSize() {
    if (!queued) { queued = true; window.requestAnimationFrame(reportSize); }
  }

  function onRequest(m) {
    switch (m.method) {
      case 'ui/resource-teardown':
      case 'ping':
        reply(m.id, {});
        return;
      default:
        post({ jsonrpc: '2.0', id: m.id, error: { code: -32601, message: 'Method not found: ' + String(m.method) } });
    }
  }

  function onNotification(m) {
    var p = m.params || {};
    switch (m.method) {
      case 'ui/notifications/tool-input':
        var email = p.arguments && typeof p.arguments.email === 'string' ? p.arguments.email : '';
        show('loading', 'Looking up the customer…', email);
        return;
      case 'ui/notifications/tool-result':
        onResult(p);
        return;
      case 'ui/notifications/tool-cancelled':
        show('error', 'The lookup was cancelled', typeof p.reason === 'string' ? p.reason : '');
        return;
      case 'ui/notifications/host-context-changed':
        applyContext(p);
        return;
    }
  }

  window.addEventListener('message', function (ev) {
    if (ev.source !== host) { return; }
    var m = ev.data;
    if (!m || typeof m !== 'object' || m.jsonrpc !== '2.0') { return; }
    if (typeof m.method === 'string') {
      if (m.id !== undefined && m.id !== null) { onRequest(m); } else { onNotification(m); }
      return;
    }
    var p = pending[m.id];
    if (!p) { return; }
    delete pending[m.id];
    if (m.error) { p.reject(new Error(m.error.message || 'error')); } else { p.resolve(m.result || {}); }
  });

  /* Links (the Polar dashboard's) open through the host, which may ask
     the user first: a sandboxed app cannot navigate by itself. */
  document.addEventListener('click', function (ev) {
    var a = ev.target && ev.target.closest ? ev.target.closest('a[href]') : null;
    if (!a) { return; }
    ev.preventDefault();
    if (/^https:\/\//.test(a.href)) { request('ui/open-link', { url: a.href }).then(null, function () {}); }
  });

  if (window.ResizeObserver) { new ResizeObserver(queueSize).observe(document.documentElement); }

  request('ui/initialize', {
    appInfo: { name: 'polar-mcp-insights', title: 'Visitor insights', version: '1.0.0' },
    appCapabilities: { availableDisplayModes: ['inline'] },
    protocolVersion: PROTOCOL
  }).then(function (result) {
    applyContext(result.hostContext);
    notify('ui/notifications/initialized', {});
    ready = true;
    queueSize();
  }, function (err) {
    show('error', 'The host did not start the app', err.message);
  });
}());
