/* The agent's desk around the card (panel v2): the search box finds
   customers by name, part of an email or an id (POST api/search) and a
   pick looks them up; the card gets copy buttons, a "Portal link" button
   (POST api/portal-link) and an "Invoice links" button (POST
   api/invoices); the last lookups of this tab are kept in sessionStorage
   for one click; "/" focuses the search. Loaded before panel.js, whose
   lookup it starts by submitting the form with an email. Requests carry
   the token in the Authorization header only, the email or query in a
   JSON body, never in a URL. */
(function () {
  'use strict';
  var RECENT = 'polar-mcp.recent-lookups', TOKEN = 'polar-mcp.agent-token', MAX_RECENT = 8;
  function byId(id) { return document.getElementById(id); }
  var form = byId('lookup'), tokenIn = byId('token'), queryIn = byId('email');
  var results = byId('results'), recent = byId('recent'), out = byId('insights');
  var searchCtl = null, links = {};

  function el(tag, cls, text) {
    var n = document.createElement(tag);
    if (cls) { n.className = cls; }
    if (text !== undefined && text !== null) { n.textContent = String(text); }
    return n;
  }
  function str(v) { return typeof v === 'string' ? v.trim() : ''; }
  function clear(n) { while (n.firstChild) { n.removeChild(n.firstChild); } }
  function token() {
    var t = tokenIn.value.trim();
    if (t) { return t; }
    try { return sessionStorage.getItem(TOKEN) || ''; } catch (e) { return ''; }
  }
  function isEmail(q) { return /^[^\s@]+@[^\s@]+$/.test(q); }

  /* POST api/<action> with {field: value}; resolves {status, body}. */
  function post(action, field, value, signal) {
    var body = {};
    body[field] = value;
    return fetch('api/' + action, {
      method: 'POST', cache: 'no-store', credentials: 'omit', signal: signal,
      headers: { Authorization: 'Bearer ' + token(), Accept: 'application/json', 'Content-Type': 'application/json' },
      body: JSON.stringify(body)
    }).then(function (res) {
      return res.text().then(function (t) {
        var b = null;
        try { b = t ? JSON.parse(t) : null; } catch (e) { b = null; }
        return { status: res.status, body: b };
      });
    });
  }
  function problem(r) {
    var b = r.body || {};
    var msg = typeof b.message === 'string' ? b.message : typeof b.error_description === 'string' ? b.error_description : '';
    switch (r.status) {
      case 401: return 'Token refused. ' + (msg || 'Paste a fresh agent token.');
      case 403: return 'Not allowed. ' + msg;
      case 429: return 'Too many requests: wait a moment. ' + msg;
      case 501: return msg || 'Not available on this server.';
      default: return msg || 'Polar could not answer (HTTP ' + r.status + ').';
    }
  }

  /* Search. */
  function showResults(nodes, label) {
    clear(results);
    if (label) { results.appendChild(el('p', 'results-label', label)); }
    nodes.forEach(function (n) { results.appendChild(n); });
    results.hidden = nodes.length === 0 && !label;
  }
  function pick(email) {
    queryIn.value = email;
    showResults([], '');
    if (form.requestSubmit) { form.requestSubmit(); } else { form.dispatchEvent(new Event('submit', { cancelable: true })); }
  }
  /* A match's plan: read in the search's one request ("polar"), kept by
     the server from an earlier read ("kept"), or not read (shown once
     the customer is looked up). */
  function planLabel(m) {
    var src = str(m.plan_source), status = str(m.status).replace(/_/g, ' ');
    if (!src) { return 'plan shown on lookup'; }
    if (!status) { return 'no active plan'; }
    var what = str(m.plan) || ('a plan at ' + (str(m.price) || 'an unknown price'));
    return what + ' (' + status + (src === 'kept' ? ', as last read' : '') + ')';
  }
  /* A bare id that is no customer's may be an order's or an external
     id: one button per reading, each one more search. */
  function otherReadings(q) {
    if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(q)) { return []; }
    return [['Search it as an order id', 'order ' + q], ['as an external id', 'external:' + q]].map(function (r) {
      var b = el('button', 'also-try', r[0]);
      b.type = 'button';
      b.setAttribute('data-query', r[1]);
      b.addEventListener('click', function () { queryIn.value = r[1]; search(r[1]); });
      return b;
    });
  }
  function matchNode(m) {
    var b = el('button', 'result');
    b.type = 'button';
    b.setAttribute('data-email', str(m.email));
    b.appendChild(el('span', 'result-name', str(m.name) || str(m.email)));
    var meta = [str(m.email), str(m.customer_type) === 'team' ? 'Team' : 'Individual'];
    meta.push(planLabel(m));
    if (str(m.order_id)) { meta.push('order ' + str(m.order_id)); }
    b.appendChild(el('span', 'result-meta', meta.join(' · ')));
    b.addEventListener('click', function () { pick(str(m.email)); });
    var li = el('li');
    li.appendChild(b);
    return li;
  }
  function search(q) {
    if (searchCtl) { searchCtl.abort(); }
    var ctl = searchCtl = new AbortController();
    showResults([], 'Searching for “' + q + '”…');
    post('search', 'query', q, ctl.signal).then(function (r) {
      if (ctl !== searchCtl) { return; }
      searchCtl = null;
      if (r.status !== 200 || !r.body) { showResults([], problem(r)); return; }
      var ms = Array.isArray(r.body.customers) ? r.body.customers.filter(function (m) { return m && str(m.email); }) : [];
      if (!ms.length) { showResults(otherReadings(q), 'No customer matches “' + q + '”.'); return; }
      var ul = el('ul', 'result-list');
      ul.setAttribute('aria-label', 'Customers matching ' + q);
      ms.forEach(function (m) { ul.appendChild(matchNode(m)); });
      showResults([ul], ms.length === 1 ? '1 customer matches:' : ms.length + ' customers match, best first:');
      var first = ul.querySelector('button');
      if (first) { first.focus(); }
    }, function () {
      if (ctl === searchCtl) { searchCtl = null; showResults([], 'The server did not answer the search.'); }
    });
  }

  /* Recent lookups of this tab. */
  function recents() {
    try { var v = JSON.parse(sessionStorage.getItem(RECENT) || '[]'); return Array.isArray(v) ? v : []; } catch (e) { return []; }
  }
  function remember(email, name) {
    var list = recents().filter(function (r) { return r && r.email !== email; });
    list.unshift({ email: email, name: name });
    try { sessionStorage.setItem(RECENT, JSON.stringify(list.slice(0, MAX_RECENT))); } catch (e) { /* private mode */ }
    drawRecent();
  }
  function drawRecent() {
    var list = recents();
    clear(recent);
    recent.hidden = list.length === 0;
    if (!list.length) { return; }
    recent.appendChild(el('span', 'recent-label', 'Recent:'));
    list.forEach(function (r) {
      var b = el('button', 'recent-item', str(r.name) || str(r.email));
      b.type = 'button';
      b.title = str(r.email);
      b.setAttribute('data-email', str(r.email));
      b.addEventListener('click', function () { pick(str(r.email)); });
      recent.appendChild(b);
    });
  }

  /* Copy buttons. */
  function copy(text, btn) {
    function done(ok) {
      btn.textContent = ok ? 'Copied' : 'Press Ctrl+C';
      btn.setAttribute('data-copied', ok ? 'true' : 'false');
      setTimeout(function () { btn.textContent = 'Copy'; btn.removeAttribute('data-copied'); }, 2000);
    }
    function fallback() {
      var ta = el('textarea');
      ta.value = text;
      ta.setAttribute('readonly', '');
      ta.className = 'copy-buffer';
      document.body.appendChild(ta);
      ta.select();
      var ok = false;
      try { ok = document.execCommand('copy'); } catch (e) { ok = false; }
      document.body.removeChild(ta);
      done(ok);
    }
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(text).then(function () { done(true); }, fallback);
    } else { fallback(); }
  }
  function copyButton(text, label) {
    var b = el('button', 'copy', 'Copy');
    b.type = 'button';
    b.setAttribute('aria-label', 'Copy ' + label);
    b.setAttribute('data-copy-text', text);
    b.addEventListener('click', function () { copy(text, b); });
    return b;
  }

  /* The portal link and invoice actions of a card. */
  function showLink(box, link) {
    clear(box);
    var a = el('a', 'portal-url', link.url);
    a.href = link.url;
    a.target = '_blank';
    a.rel = 'noopener noreferrer';
    box.appendChild(a);
    box.appendChild(copyButton(link.url, 'portal link'));
    var exp = new Date(link.expires);
    if (!isNaN(exp.getTime())) {
      var mins = Math.max(0, Math.round((exp.getTime() - Date.now()) / 60000));
      var t = el('time', 'portal-expiry', 'Expires ' + exp.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' }) +
        ' (in ' + new Intl.NumberFormat().format(mins) + ' min)');
      t.setAttribute('datetime', link.expires);
      box.appendChild(t);
    }
    if (link.team) {
      box.appendChild(el('span', 'portal-as', 'Opens ' + link.team.team + '’s portal as this ' +
        link.team.role.replace(/_/g, ' ') + ', with what that role allows.'));
    }
  }
  /* The team a portal link opens, when the session is a member's. */
  function answeredTeam(body) {
    var ts = body && Array.isArray(body.teams) ? body.teams : [];
    for (var i = 0; i < ts.length; i++) {
      if (ts[i] && ts[i].answered && str(ts[i].team) && str(ts[i].role)) { return { team: str(ts[i].team), role: str(ts[i].role) }; }
    }
    return null;
  }
  function portal(email, box, btn) {
    btn.disabled = true;
    clear(box);
    box.appendChild(el('span', 'desk-note', 'Creating a portal link…'));
    post('portal-link', 'email', email).then(function (r) {
      btn.disabled = false;
      var url = r.body && str(r.body.portal_url);
      if (r.status !== 200 || !/^https:\/\//.test(url)) {
        clear(box);
        box.appendChild(el('span', 'desk-note desk-error', r.status === 200 ? 'No portal link: ' + ((r.body && r.body.customer_found === false) ? 'no such customer.' : 'Polar sent none.') : problem(r)));
        return;
      }
      links[email] = { url: url, expires: str(r.body.expires_at), team: answeredTeam(r.body) };
      showLink(box, links[email]);
    }, function () { btn.disabled = false; clear(box); box.appendChild(el('span', 'desk-note desk-error', 'The server did not answer.')); });
  }
  function invoices(email, card, btn, note) {
    btn.disabled = true;
    note.textContent = 'Fetching invoice links…';
    post('invoices', 'email', email).then(function (r) {
      btn.disabled = false;
      var orders = r.body && Array.isArray(r.body.orders) ? r.body.orders : null;
      if (r.status !== 200 || !orders) { note.textContent = problem(r); return; }
      var n = 0;
      orders.forEach(function (o) {
        var num = o && str(o.invoice_number), url = o && str(o.invoice_url);
        if (!num || !/^https:\/\//.test(url)) { return; }
        card.querySelectorAll('li[data-invoice]').forEach(function (li) {
          if (li.getAttribute('data-invoice') !== num || li.querySelector('a.invoice-link')) { return; }
          var a = el('a', 'invoice-link', 'Invoice');
          a.href = url;
          a.target = '_blank';
          a.rel = 'noopener noreferrer';
          a.setAttribute('aria-label', 'Invoice ' + num);
          li.appendChild(a);
          n++;
        });
      });
      note.textContent = n ? 'Invoice links are valid for a short time.' : 'No invoice has been generated for these orders yet.';
    }, function () { btn.disabled = false; note.textContent = 'The server did not answer.'; });
  }

  function enhance(card) {
    if (card.getAttribute('data-desk') === 'on') { return; }
    card.setAttribute('data-desk', 'on');
    var email = card.getAttribute('data-email') || '';
    card.querySelectorAll('[data-copy]').forEach(function (dd) {
      dd.appendChild(copyButton(dd.getAttribute('data-copy'), dd.getAttribute('data-copy-label') || 'value'));
    });
    if (!email) { return; }
    var name = card.querySelector('[data-field=name]');
    remember(email, name ? name.textContent : email);
    var bar = el('div', 'desk-actions');
    var pb = el('button', 'secondary', 'Portal link');
    pb.type = 'button';
    pb.id = 'portal-link';
    var box = el('div', 'portal-box');
    box.setAttribute('aria-live', 'polite');
    pb.addEventListener('click', function () { portal(email, box, pb); });
    bar.appendChild(pb);
    var head = card.querySelector('.card-head');
    card.insertBefore(bar, head ? head.nextSibling : card.firstChild);
    card.insertBefore(box, bar.nextSibling);
    var last = links[email];
    if (last && new Date(last.expires).getTime() > Date.now()) { showLink(box, last); }
    var ordersSec = card.querySelector('.card-orders');
    if (ordersSec && ordersSec.querySelector('li[data-invoice]')) {
      var ib = el('button', 'secondary small', 'Invoice links');
      ib.type = 'button';
      ib.id = 'invoice-links';
      var note = el('span', 'desk-note');
      note.setAttribute('aria-live', 'polite');
      ib.addEventListener('click', function () { invoices(email, card, ib, note); });
      ordersSec.appendChild(ib);
      ordersSec.appendChild(note);
    }
  }

  new MutationObserver(function () {
    var card = out.querySelector('article.card');
    if (card) { enhance(card); }
  }).observe(out, { childList: true });

  /* The search box: an email looks up at once (panel.js); anything else
     is a search. Registered before panel.js's handler. */
  form.addEventListener('submit', function (e) {
    var q = queryIn.value.trim();
    if (!q || isEmail(q) || !token()) { showResults([], ''); return; }
    e.preventDefault();
    e.stopImmediatePropagation();
    try { sessionStorage.setItem(TOKEN, tokenIn.value.trim()); } catch (err) { /* private mode */ }
    search(q);
  });

  document.addEventListener('keydown', function (e) {
    if (e.key !== '/' || e.ctrlKey || e.metaKey || e.altKey) { return; }
    var t = e.target;
    if (t && (t.tagName === 'INPUT' || t.tagName === 'TEXTAREA' || t.tagName === 'SELECT' || t.isContentEditable)) { return; }
    e.preventDefault();
    queryIn.focus();
    queryIn.select();
  });

  drawRecent();
}());
