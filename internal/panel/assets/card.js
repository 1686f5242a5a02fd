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
    refunded: 'Refunded', partially_refunded: 'Partly refunded', draft: 'Draft', void: 'Void',
    errored: 'Failed', revoked: 'Revoked', granted: 'Granted', needs_response: 'Needs response',
    under_review: 'Under review', early_warning: 'Early warning', won: 'Won', lost: 'Lost'
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

  function num(v, locale) {
    try { return Number(v).toLocaleString(locale || 'en-GB', { maximumFractionDigits: 2 }); } catch (e) { return String(v); }
  }

  /* Minor units of a currency as money ("£27.84", "¥4,180"). */
  function money(minor, cur, locale) {
    cur = str(cur).toUpperCase();
    if (typeof minor !== 'number' || !cur) { return ''; }
    try {
      var f = new Intl.NumberFormat(locale || 'en-GB', { style: 'currency', currency: cur });
      return f.format(minor / Math.pow(10, f.resolvedOptions().maximumFractionDigits));
    } catch (e) {
      return cur + ' ' + (minor / 100).toFixed(2);
    }
  }

  /* A meter's use against its credits, as the tools write it. */
  function usage(m, locale) {
    if (str(m.usage)) { return str(m.usage); }
    if (typeof m.consumed !== 'number') { return ''; }
    var s = num(m.consumed, locale) + ' used';
    if (typeof m.credited === 'number' && m.credited > 0) {
      s += ' of ' + num(m.credited, locale) + ' credited';
      if (m.consumed > m.credited) { s += ' (' + num(m.consumed - m.credited, locale) + ' over)'; }
      else if (m.consumed < m.credited) { s += ' (' + num(m.credited - m.consumed, locale) + ' left)'; }
    }
    return s;
  }

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
    var due = d.payment_due && typeof d.payment_due === 'object' ? d.payment_due : {};
    var rows = [
      ['Past due since', due.past_due_since, 'past_due_since'],
      ['Payment retry', due.payment_retry_at, 'payment_retry_at'],
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
    var due = d.payment_due && typeof d.payment_due === 'object' ? d.payment_due : null;
    var owed = due ? (str(due.outstanding) || money(due.amount_outstanding, due.currency, locale)) : '';
    if (owed) { s.appendChild(el('p', 'plan-due', owed + ' outstanding')).setAttribute('data-field', 'outstanding'); }
    var c = d.cancellation && typeof d.cancellation === 'object' ? d.cancellation : null;
    if (c && str(c.reason)) {
      var why = 'Cancellation reason: ' + str(c.reason).replace(/_/g, ' ') + (str(c.comment) ? ' (“' + str(c.comment) + '”)' : '');
      s.appendChild(el('p', 'plan-cancellation', why)).setAttribute('data-field', 'cancellation');
    }
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

  function meters(d, locale) {
    var items = list(d.meters).filter(function (m) { return m && str(m.name); });
    if (!items.length) { return null; }
    var s = section('Usage', 'card-meters');
    var ul = el('ul', 'card-list');
    items.forEach(function (m) {
      var u = usage(m, locale);
      var li = el('li', null, str(m.name) + (u ? ': ' + u : ''));
      li.setAttribute('data-field', 'usage');
      ul.appendChild(li);
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
      var notes = orderNotes(o, locale);
      if (notes) { li.appendChild(el('span', 'order-note', notes)).setAttribute('data-field', 'order_note'); }
      var dp = o.dispute && typeof o.dispute === 'object' ? o.dispute : null;
      if (dp && str(dp.status)) {
        var b = el('span', 'badge status-disputed', dp.closed ? 'Dispute ' + statusLabel(dp.status).toLowerCase() : 'Disputed');
        b.setAttribute('data-field', 'dispute');
        li.appendChild(b);
        var dd = [statusLabel(dp.status)];
        if (str(dp.reason)) { dd.push(str(dp.reason).replace(/_/g, ' ')); }
        if (str(dp.response_due_at) && !dp.closed) { dd.push('response due ' + fmtDate(dp.response_due_at, locale)); }
        li.appendChild(el('span', 'order-note', dd.join(' · '))).setAttribute('data-field', 'dispute_detail');
      }
      ul.appendChild(li);
    });
    s.appendChild(ul);
    return s;
  }

  /* What makes an order read otherwise than charged as listed. */
  function orderNotes(o, locale) {
    var n = [];
    if (o.seats > 0) { n.push(o.seats + (o.seats === 1 ? ' seat' : ' seats')); }
    if (o.amount === 0 && o.discount_amount > 0) { n.push('no charge: ' + (str(o.discount) || 'discount') + ' covered it'); }
    else if (o.applied_balance > 0) { n.push((typeof o.amount !== 'number' || o.applied_balance >= o.amount) ? 'paid from balance' : money(o.applied_balance, o.currency, locale) + ' from balance'); }
    if (o.amount_due > 0) { n.push(money(o.amount_due, o.currency, locale) + ' due'); }
    if (str(o.payment_retry_at)) { n.push('retry ' + fmtDate(o.payment_retry_at, locale)); }
    return n.join(' · ');
  }

  function inactive(d) {
    var items = list(d.inactive_benefits).filter(function (b) { return b && typeof b === 'object'; });
    if (!items.length) { return null; }
    var s = section('Not active', 'card-inactive');
    var ul = el('ul', 'card-list');
    items.forEach(function (b) {
      var li = el('li', 'benefit');
      li.appendChild(el('span', 'benefit-name', str(b.name) || 'Benefit'));
      if (str(b.status)) { li.appendChild(el('span', 'badge status-' + str(b.status).replace(/[^a-z_]/g, ''), statusLabel(b.status))).setAttribute('data-field', 'grant_status'); }
      if (str(b.detail)) { li.appendChild(el('span', 'benefit-detail', str(b.detail))); }
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

  function teams(d, locale) {
    var items = list(d.teams).filter(function (t) { return t && str(t.role); });
    if (!items.length) { return null; }
    var roles = { owner: 'Owner', billing_manager: 'Billing manager', member: 'Member' };
    var s = section('Team', 'card-teams');
    var ul = el('ul', 'card-list');
    items.forEach(function (t) {
      var li = el('li');
      li.setAttribute('data-field', 'team');
      li.appendChild(el('span', 'team-name', str(t.team) || 'Team'));
      li.appendChild(document.createTextNode(' · ' + (roles[str(t.role)] || str(t.role))));
      var seat = t.seat && typeof t.seat === 'object' ? t.seat : null;
      if (!seat) {
        li.appendChild(document.createTextNode(' · no seat'));
      } else {
        li.appendChild(document.createTextNode(' · seat ' + str(seat.status)));
        var when = str(seat.status) === 'pending' ? seat.invitation_expires_at : (str(seat.status) === 'revoked' ? seat.revoked_at : seat.claimed_at);
        if (str(when)) {
          li.appendChild(document.createTextNode(str(seat.status) === 'pending' ? ', invitation expires ' : ' '));
          li.appendChild(timeNode(when, locale));
        }
      }
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
    [header(d), teams(d, opts.locale), plan(d, opts.locale), desk, changes(d, opts.locale), meters(d, opts.locale), orders(d, opts.locale), benefits(d, opts.locale), inactive(d), others(d)]
      .forEach(function (n) { if (n) { card.appendChild(n); } });
    container.appendChild(card);
  }

  return { render: render, notice: notice, formatDate: fmtDate };
}());
