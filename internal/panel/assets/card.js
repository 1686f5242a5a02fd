/* The Visitor Insights card, shared by the MCP App and the agent panel.
   PolarInsightsCard.render(container, data, opts) replaces container's
   children with the card for data (get_visitor_insights's structuredContent).
   It builds DOM nodes with textContent only, never HTML from data, and
   leaves out what data lacks. */
var PolarInsightsCard = (function () {
  'use strict';

  var STATUS = {
    active: 'Active', trialing: 'Trial', past_due: 'Past due', paused: 'Paused',
    canceled: 'Canceled', unpaid: 'Unpaid', incomplete: 'Incomplete',
    incomplete_expired: 'Expired', paid: 'Paid', pending: 'Pending',
    refunded: 'Refunded', partially_refunded: 'Partly refunded', draft: 'Draft', void: 'Void'
  };

  function el(tag, cls, text) {
    var n = document.createElement(tag);
    if (cls) { n.className = cls; }
    if (text !== undefined && text !== null) { n.textContent = String(text); }
    return n;
  }

  function str(v) {
    if (v === undefined || v === null) { return ''; }
    if (typeof v === 'string') { return v.trim(); }
    if (typeof v === 'number' || typeof v === 'boolean') { return String(v); }
    return '';
  }

  function statusLabel(s) {
    s = str(s);
    if (!s) { return ''; }
    return STATUS[s] || (s.charAt(0).toUpperCase() + s.slice(1)).replace(/_/g, ' ');
  }

  function statusClass(s) {
    return 'status-' + str(s).toLowerCase().replace(/[^a-z_]/g, '');
  }

  /* A date as "10 Jan 2027" (UTC), or the text as given when it is not
     an ISO/RFC 3339 date. */
  function fmtDate(v, locale) {
    var s = str(v);
    if (!/^\d{4}-\d{2}-\d{2}/.test(s)) { return s; }
    var d = new Date(s.length === 10 ? s + 'T00:00:00Z' : s);
    if (isNaN(d.getTime())) { return s; }
    try {
      return d.toLocaleDateString(locale || 'en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
    } catch (e) {
      return d.toISOString().slice(0, 10);
    }
  }

  function timeNode(v, locale) {
    var t = el('time', null, fmtDate(v, locale));
    if (/^\d{4}-\d{2}-\d{2}/.test(str(v))) { t.setAttribute('datetime', str(v)); }
    return t;
  }

  function list(v) { return Array.isArray(v) ? v : []; }

  function section(title, cls) {
    var s = el('section', 'card-section ' + cls);
    s.appendChild(el('h3', null, title));
    return s;
  }

  function header(d) {
    var h = el('header', 'card-head');
    var name = str(d.name) || str(d.email) || 'Customer';
    var title = el('h2', 'card-name', name);
    title.setAttribute('data-field', 'name');
    h.appendChild(title);
    var meta = [];
    if (str(d.name) && str(d.email)) { meta.push(str(d.email)); }
    if (str(d.customer_type)) { meta.push(str(d.customer_type) === 'team' ? 'Team' : 'Individual'); }
    if (meta.length) { h.appendChild(el('p', 'card-meta', meta.join(' · '))); }
    return h;
  }

  function dates(d, locale) {
    var rows = [
      ['Trial ends', d.trial_ends_at || d.trial_end, 'trial_ends_at'],
      ['Next billing', d.next_billing_at || d.next_billing_date, 'next_billing_at'],
      ['Cancels', d.cancels_at || d.ends_at, 'cancels_at'],
      ['Paused since', d.paused_at, 'paused_at'],
      ['Resumes', d.resumes_at, 'resumes_at']
    ];
    var dl = el('dl', 'card-dates');
    rows.forEach(function (r) {
      if (!str(r[1])) { return; }
      var wrap = el('div', 'card-date');
      wrap.setAttribute('data-field', r[2]);
      wrap.appendChild(el('dt', null, r[0]));
      var dd = el('dd');
      dd.appendChild(timeNode(r[1], locale));
      wrap.appendChild(dd);
      dl.appendChild(wrap);
    });
    return dl.childNodes.length ? dl : null;
  }

  function plan(d, locale) {
    var s = el('section', 'card-section card-plan');
    s.setAttribute('aria-label', 'Plan');
    if (!str(d.plan) && !str(d.status)) {
      s.appendChild(el('p', 'card-empty', 'No subscription'));
      return s;
    }
    var row = el('p', 'plan-row');
    row.appendChild(el('span', 'plan-name', str(d.plan) || 'Plan')).setAttribute('data-field', 'plan');
    if (str(d.status)) {
      var b = el('span', 'badge ' + statusClass(d.status), statusLabel(d.status));
      b.setAttribute('data-field', 'status');
      row.appendChild(b);
    }
    if (d.cancel_at_period_end === true || (str(d.cancels_at) && str(d.status) !== 'canceled')) {
      row.appendChild(el('span', 'badge status-canceling', 'Canceling'));
    }
    s.appendChild(row);
    var price = [str(d.price), d.seats > 0 ? d.seats + (d.seats === 1 ? ' seat' : ' seats') : ''].filter(Boolean);
    if (price.length) { s.appendChild(el('p', 'plan-price', price.join(' · '))).setAttribute('data-field', 'price'); }
    var disc = typeof d.discount === 'object' && d.discount ? str(d.discount.name || d.discount.description) : str(d.discount);
    if (disc) { s.appendChild(el('p', 'plan-discount', 'Discount: ' + disc)).setAttribute('data-field', 'discount'); }
    var dl = dates(d, locale);
    if (dl) { s.appendChild(dl); }
    return s;
  }

  function changes(d, locale) {
    var items = list(d.scheduled_changes);
    if (!items.length && d.scheduled_change) { items = [d.scheduled_change]; }
    items = items.filter(function (c) { return str(c) || (c && str(c.description)); });
    if (!items.length) { return null; }
    var s = section('Scheduled', 'card-changes');
    var ul = el('ul', 'card-list');
    items.forEach(function (c) {
      var li = el('li', null, typeof c === 'string' ? c : str(c.description));
      if (c && str(c.at)) { li.appendChild(document.createTextNode(' on ')); li.appendChild(timeNode(c.at, locale)); }
      ul.appendChild(li);
    });
    s.appendChild(ul);
    return s;
  }

  /* A count in the reader's locale (card-desk.js), as given without it. */
  function num(v, locale) {
    return typeof PolarCardDesk === 'object' ? PolarCardDesk.num(v, locale) : String(v);
  }

  function meters(d, locale) {
    var items = list(d.meters).filter(function (m) { return m && str(m.name); });
    if (!items.length) { return null; }
    var s = section('Usage', 'card-meters');
    var ul = el('ul', 'card-list');
    items.forEach(function (m) {
      var parts = [];
      if (typeof m.consumed === 'number') { parts.push(num(m.consumed, locale) + ' used'); }
      if (typeof m.credited === 'number' && m.credited) { parts.push(num(m.credited, locale) + ' credited'); }
      if (typeof m.balance === 'number') { parts.push(num(m.balance, locale) + ' left'); }
      ul.appendChild(el('li', null, str(m.name) + (parts.length ? ': ' + parts.join(', ') : '')));
    });
    s.appendChild(ul);
    return s;
  }

  function orders(d, locale) {
    var s = section('Recent orders', 'card-orders');
    var items = list(d.recent_orders);
    if (!items.length) { s.appendChild(el('p', 'card-empty', 'No orders yet')); return s; }
    var ul = el('ul', 'card-list');
    items.forEach(function (o) {
      var li = el('li', 'order');
      if (typeof o === 'string') { li.textContent = o; ul.appendChild(li); return; }
      if (!o || typeof o !== 'object') { return; }
      var main = el('span', 'order-main');
      if (str(o.date || o.created_at)) { main.appendChild(timeNode(o.date || o.created_at, locale)); main.appendChild(document.createTextNode(' ')); }
      main.appendChild(el('span', 'order-item', str(o.item || o.product) || 'Order'));
      li.appendChild(main);
      if (str(o.invoice_number)) {
        li.setAttribute('data-invoice', str(o.invoice_number));
        li.appendChild(el('span', 'order-invoice', str(o.invoice_number)));
      }
      if (str(o.total)) { li.appendChild(el('span', 'order-total', str(o.total))); }
      if (str(o.status)) { li.appendChild(el('span', 'badge ' + statusClass(o.status), statusLabel(o.status))); }
      ul.appendChild(li);
    });
    s.appendChild(ul);
    return s;
  }

  function benefits(d, locale) {
    var s = section('Active benefits', 'card-benefits');
    var items = list(d.active_benefits);
    if (!items.length) { s.appendChild(el('p', 'card-empty', 'None')); return s; }
    var ul = el('ul', 'card-list');
    items.forEach(function (b) {
      if (typeof b === 'string') { ul.appendChild(el('li', 'benefit', b)); return; }
      if (!b || typeof b !== 'object') { return; }
      var li = el('li', 'benefit');
      li.appendChild(el('span', 'benefit-name', str(b.name) || 'Benefit'));
      if (str(b.license_key)) {
        li.appendChild(document.createTextNode(' '));
        li.appendChild(el('code', 'license-key', str(b.license_key))).setAttribute('aria-label', 'masked license key ' + str(b.license_key));
      } else if (str(b.detail)) {
        li.appendChild(el('span', 'benefit-detail', str(b.detail)));
      }
      var act = b.license && typeof PolarCardDesk === 'object' ? PolarCardDesk.license(b.license, locale) : null;
      if (act) { li.appendChild(act); }
      ul.appendChild(li);
    });
    s.appendChild(ul);
    return s;
  }

  function others(d) {
    var subs = list(d.subscriptions).map(str).filter(Boolean);
    if (subs.length < 2) { return null; }
    var s = section('All subscriptions', 'card-subs');
    var ul = el('ul', 'card-list');
    subs.forEach(function (t) { ul.appendChild(el('li', null, t)); });
    s.appendChild(ul);
    return s;
  }

  function notice(kind, title, detail) {
    var box = el('div', 'notice notice-' + kind);
    box.setAttribute('data-state', kind);
    box.setAttribute('role', kind === 'loading' || kind === 'notfound' ? 'status' : 'alert');
    box.appendChild(el('p', 'notice-title', title));
    if (detail) { box.appendChild(el('p', 'notice-detail', detail)); }
    return box;
  }

  function render(container, data, opts) {
    opts = opts || {};
    var d = data && typeof data === 'object' ? data : {};
    while (container.firstChild) { container.removeChild(container.firstChild); }
    if (d.customer_found === false) {
      container.appendChild(notice('notfound', 'No customer found',
        str(d.email) ? 'Polar has no customer with the email ' + str(d.email) + '.' : 'Polar has no customer with that email.'));
      return;
    }
    var card = el('article', 'card');
    card.setAttribute('data-state', 'card');
    card.setAttribute('aria-label', 'Insights for ' + (str(d.name) || str(d.email) || 'the customer'));
    if (str(d.email)) { card.setAttribute('data-email', str(d.email)); }
    var desk = typeof PolarCardDesk === 'object' ?
      PolarCardDesk.facts(d, { locale: opts.locale, time: function (v) { return timeNode(v, opts.locale); } }) : null;
    [header(d), plan(d, opts.locale), desk, changes(d, opts.locale), meters(d, opts.locale), orders(d, opts.locale), benefits(d, opts.locale), others(d)]
      .forEach(function (n) { if (n) { card.appendChild(n); } });
    container.appendChild(card);
  }

  return { render: render, notice: notice, formatDate: fmtDate };
}());
