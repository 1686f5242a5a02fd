/* The agent panel: looks a customer up with GET api/insights and keeps
   the card live from api/events. The agent's token travels only in the
   Authorization header and stays in sessionStorage (this tab); it is
   never put in a URL or a cookie. URLs are relative, so the page works
   under any prefix (/agent/, /c/{id}/agent/). */
(function () {
  'use strict';
  var KEY = 'polar-mcp.agent-token';
  function byId(id) { return document.getElementById(id); }
  var form = byId('lookup'), tokenIn = byId('token'), emailIn = byId('email');
  var refreshBtn = byId('refresh'), forgetBtn = byId('forget'), live = byId('live'), out = byId('insights');
  var memToken = '';
  var current = null;
  var lookupCtl = null, streamCtl = null, retryTimer = null, retries = 0;

  function store(t) {
    try { if (t) { sessionStorage.setItem(KEY, t); } else { sessionStorage.removeItem(KEY); } } catch (e) { memToken = t; }
  }
  function stored() {
    try { return sessionStorage.getItem(KEY) || ''; } catch (e) { return memToken; }
  }
  function clear() { while (out.firstChild) { out.removeChild(out.firstChild); } }
  function show(kind, title, detail) { clear(); out.appendChild(PolarInsightsCard.notice(kind, title, detail)); }
  function setLive(state, text) { live.setAttribute('data-live', state); live.textContent = text; }
  /* Every API request is a POST whose JSON body carries the email: it
     never goes in a URL, where proxies and access logs would keep it. */
  function auth(accept) {
    return { method: 'POST', body: JSON.stringify({ email: current.email }),
      headers: { Authorization: 'Bearer ' + current.token, Accept: accept, 'Content-Type': 'application/json' },
      cache: 'no-store', credentials: 'omit' };
  }

  function describe(status, body) {
    /* The API's own errors carry message; the token checks' (shared with
       the MCP endpoints) carry OAuth's error_description. */
    var msg = !body ? '' : typeof body.message === 'string' ? body.message :
      typeof body.error_description === 'string' ? body.error_description : '';
    switch (status) {
      case 401: return ['refused', 'Token refused', msg || 'The agent token is missing, invalid or expired. Paste a fresh one and look up again.'];
      case 403: return ['refused', 'Not allowed', msg || 'This token cannot see customer insights: it is not a support agent\'s token.'];
      case 404: return ['notfound', 'No customer found', msg || 'Polar has no customer with that email.'];
      case 400: return ['error', 'Check the email', msg || 'The server did not accept that email address.'];
      case 429: return ['error', 'Too many lookups', msg || 'Wait a moment, then Refresh.'];
      default: return ['error', 'Polar error', msg || 'Polar could not answer (HTTP ' + status + '). Try Refresh in a moment.'];
    }
  }

  function lookup(quiet) {
    if (!current) { return; }
    if (lookupCtl) { lookupCtl.abort(); }
    var ctl = lookupCtl = new AbortController();
    var opts = auth('application/json');
    opts.signal = ctl.signal;
    out.setAttribute('aria-busy', 'true');
    if (!quiet) { show('loading', 'Looking up ' + current.email + '…'); }
    fetch('api/insights', opts).then(function (res) {
      return res.text().then(function (t) {
        var body = null;
        try { body = t ? JSON.parse(t) : null; } catch (e) { body = null; }
        return { status: res.status, body: body };
      });
    }).then(function (r) {
      if (ctl !== lookupCtl) { return; }
      lookupCtl = null;
      out.setAttribute('aria-busy', 'false');
      if (r.status === 200 && r.body && typeof r.body === 'object') {
        PolarInsightsCard.render(out, r.body);
        refreshBtn.disabled = false;
        if (r.body.customer_found === false) { stopEvents(''); } else { startEvents(); }
        return;
      }
      var d = r.status === 200 ? ['error', 'Unexpected answer', 'The server sent no insights.'] : describe(r.status, r.body);
      show(d[0], d[1], d[2]);
      if (r.status === 401 || r.status === 403) {
        stopEvents('');
        refreshBtn.disabled = true;
        tokenIn.focus();
      }
    }, function () {
      if (ctl !== lookupCtl) { return; }
      lookupCtl = null;
      out.setAttribute('aria-busy', 'false');
      show('error', 'Server unreachable', 'The insights server did not answer. Check the connection, then Refresh.');
    });
  }

  function stopEvents(text) {
    if (streamCtl) { streamCtl.abort(); }
    streamCtl = null;
    if (retryTimer) { clearTimeout(retryTimer); retryTimer = null; }
    setLive(text ? 'off' : '', text);
  }

  function parseEvent(block) {
    var ev = { event: 'message', data: '' };
    block.split(/\r?\n/).forEach(function (line) {
      if (!line || line.charAt(0) === ':') { return; }
      var c = line.indexOf(':');
      var field = c < 0 ? line : line.slice(0, c);
      var value = c < 0 ? '' : line.slice(c + 1).replace(/^ /, '');
      if (field === 'event') { ev.event = value; } else if (field === 'data') { ev.data += (ev.data ? '\n' : '') + value; }
    });
    return ev;
  }

  function readStream(reader) {
    var dec = new TextDecoder(), buf = '';
    function pump() {
      return reader.read().then(function (r) {
        if (r.done) { return; }
        buf += dec.decode(r.value, { stream: true });
        var m;
        while ((m = /\r?\n\r?\n/.exec(buf)) !== null) {
          var ev = parseEvent(buf.slice(0, m.index));
          buf = buf.slice(m.index + m[0].length);
          if (ev.event === 'update') { lookup(true); }
        }
        if (buf.length > 65536) { throw new Error('event too large'); }
        return pump();
      });
    }
    return pump();
  }

  function startEvents() {
    var key = current.email + '\n' + current.token;
    if (streamCtl && streamCtl.key === key) { return; }
    stopEvents('');
    var ctl = new AbortController();
    ctl.key = key;
    streamCtl = ctl;
    var reconnect = retries > 0;
    var opts = auth('text/event-stream');
    opts.signal = ctl.signal;
    fetch('api/events', opts).then(function (res) {
      if (!res.ok || !res.body) { return { status: res.status }; }
      if (ctl !== streamCtl) { return {}; }
      setLive('on', 'Live updates on');
      retries = 0;
      if (reconnect) { lookup(true); }
      return readStream(res.body.getReader()).then(function () { return {}; });
    }).then(function (r) { ended(ctl, r.status); }, function () { ended(ctl, 0); });
  }

  function ended(ctl, status) {
    if (ctl !== streamCtl) { return; }
    streamCtl = null;
    if (status === 401 || status === 403) { setLive('off', 'Live updates stopped.'); lookup(true); return; }
    if (status === 501 || (status >= 400 && status < 500) || retries >= 5) { setLive('off', 'Live updates unavailable: use Refresh.'); return; }
    retries++;
    setLive('off', 'Live updates interrupted: reconnecting…');
    retryTimer = setTimeout(function () { retryTimer = null; if (current) { startEvents(); } }, Math.min(30000, 1000 * Math.pow(2, retries)));
  }

  form.setAttribute('novalidate', '');
  form.addEventListener('submit', function (e) {
    e.preventDefault();
    var token = tokenIn.value.trim(), email = emailIn.value.trim();
    if (!token) { show('error', 'Agent token needed', 'Paste your agent token, then look up again.'); tokenIn.focus(); return; }
    if (email.indexOf('@') < 1) { show('error', 'Customer email needed', 'Type the customer\'s email address.'); emailIn.focus(); return; }
    store(token);
    current = { token: token, email: email };
    retries = 0;
    lookup(false);
  });
  refreshBtn.addEventListener('click', function () { lookup(true); });
  forgetBtn.addEventListener('click', function () {
    store('');
    tokenIn.value = '';
    current = null;
    stopEvents('');
    clear();
    refreshBtn.disabled = true;
    tokenIn.focus();
  });

  tokenIn.value = stored();
  (tokenIn.value ? emailIn : tokenIn).focus();
}());
