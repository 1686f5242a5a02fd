/* The desk's facts on the card (panel v2), shared by the MCP App and the
   agent panel: customer since, lifetime value, ids, the dashboard link,
   license activations, and numbers in the reader's locale. Loaded before
   card.js, which calls it. DOM from textContent only. */
var PolarCardDesk = (function () {
  'use strict';

  function el(tag, cls, text) {
    var n = document.createElement(tag);
    if (cls) { n.className = cls; }
    if (text !== undefined && text !== null) { n.textContent = String(text); }
    return n;
  }
  function str(v) { return typeof v === 'string' ? v.trim() : (typeof v === 'number' ? String(v) : ''); }

  /* A number in the reader's locale (Intl.NumberFormat), "12,840" in
     en-US; anything but a finite number as given. */
  function num(v, locale) {
    if (typeof v !== 'number' || !isFinite(v)) { return str(v); }
    try { return new Intl.NumberFormat(locale || undefined, { maximumFractionDigits: 2 }).format(v); } catch (e) { return String(v); }
  }

  /* Only Polar's dashboard, on https. */
  function dashboardLink(u) {
    var s = str(u);
    return /^https:\/\/(sandbox\.)?polar\.sh\/dashboard\/[A-Za-z0-9._-]+\/customers\/[A-Za-z0-9-]+$/.test(s) ? s : '';
  }

  function copyable(dd, value, label) {
    dd.setAttribute('data-copy', value);
    dd.setAttribute('data-copy-label', label);
    return dd;
  }

  function row(dl, label, field, node) {
    var wrap = el('div', 'desk-fact');
    wrap.setAttribute('data-field', field);
    wrap.appendChild(el('dt', null, label));
    var dd = el('dd');
    dd.appendChild(node);
    wrap.appendChild(dd);
    dl.appendChild(wrap);
    return dd;
  }

  /* The customer section: since, lifetime value, ids, dashboard link. */
  function facts(d, opts) {
    var k = d.desk && typeof d.desk === 'object' ? d.desk : null;
    if (!k) { return null; }
    opts = opts || {};
    var s = el('section', 'card-section card-desk');
    s.appendChild(el('h3', null, 'Customer'));
    var dl = el('dl', 'desk-facts');
    if (str(k.customer_since)) {
      row(dl, 'Customer since', 'customer_since', opts.time(k.customer_since));
    }
    var lv = k.lifetime_value;
    if (lv && typeof lv === 'object' && Array.isArray(lv.amounts)) {
      var txt = str(lv.total);
      var paid = typeof lv.paid_orders === 'number' ? lv.paid_orders : 0;
      var sub = num(paid, opts.locale) + (paid === 1 ? ' paid order' : ' paid orders') + ', net of refunds' +
        (lv.partial ? ' (first ' + num(lv.orders, opts.locale) + ' orders)' : '');
      var v = el('span', 'desk-value', txt);
      var dd = row(dl, 'Lifetime value', 'lifetime_value', v);
      dd.appendChild(el('span', 'desk-sub', sub));
    }
    if (str(d.email)) { copyable(row(dl, 'Email', 'email', el('span', 'desk-id', str(d.email))), str(d.email), 'email'); }
    if (str(k.customer_id)) { copyable(row(dl, 'Customer id', 'customer_id', el('code', 'desk-id', str(k.customer_id))), str(k.customer_id), 'customer id'); }
    if (str(k.external_id)) { copyable(row(dl, 'External id', 'external_id', el('code', 'desk-id', str(k.external_id))), str(k.external_id), 'external id'); }
    s.appendChild(dl);
    var dash = dashboardLink(k.dashboard_url);
    if (dash) {
      var a = el('a', 'desk-dashboard', 'Open in Polar dashboard');
      a.href = dash;
      a.target = '_blank';
      a.rel = 'noopener noreferrer';
      a.setAttribute('data-field', 'dashboard_url');
      s.appendChild(a);
    }
    return s;
  }

  /* A license key's activations: "2 of 3 activations", device labels. */
  function license(l, locale) {
    if (!l || typeof l !== 'object') { return null; }
    var n = typeof l.activations === 'number' ? l.activations : 0;
    var text = typeof l.activation_limit === 'number' && l.activation_limit > 0 ?
      num(n, locale) + ' of ' + num(l.activation_limit, locale) + ' activations' :
      num(n, locale) + (n === 1 ? ' activation' : ' activations');
    if (str(l.status) && str(l.status) !== 'granted') { text += ' · ' + str(l.status); }
    if (typeof l.usage_limit === 'number' && l.usage_limit > 0) {
      text += ' · usage ' + num(l.usage || 0, locale) + ' of ' + num(l.usage_limit, locale);
    }
    var box = el('span', 'license-activations');
    box.setAttribute('data-field', 'activations');
    box.appendChild(el('span', 'license-used', text));
    var devices = (Array.isArray(l.devices) ? l.devices : []).map(str).filter(Boolean);
    if (devices.length) {
      var ul = el('ul', 'license-devices');
      ul.setAttribute('aria-label', 'Activated devices');
      devices.forEach(function (dv) { ul.appendChild(el('li', null, dv)); });
      box.appendChild(ul);
    }
    return box;
  }

  return { facts: facts, license: license, num: num, dashboardLink: dashboardLink };
}());
