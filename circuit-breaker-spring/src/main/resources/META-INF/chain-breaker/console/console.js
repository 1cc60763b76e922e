// Chain Breaker console. Every value from the server is written with textContent: operators'
// reasons, actors and nodes' errors are text, never markup.
'use strict';

(function () {
  const base = document.body.dataset.base;
  const refreshMillis = Number(document.body.dataset.refreshMillis) || 3000;
  let session = null;
  let latest = null;
  let auditToken = null;

  function el(tag, text, className) {
    const e = document.createElement(tag);
    if (text !== undefined && text !== null) {
      e.textContent = String(text);
    }
    if (className) {
      e.className = className;
    }
    return e;
  }

  function cell(row, text, className) {
    const td = el('td', text, className);
    row.appendChild(td);
    return td;
  }

  function problem(text) {
    document.getElementById('error').textContent = text || '';
  }

  async function getJson(path) {
    const response = await fetch(base + path, {
      credentials: 'same-origin', headers: {'Accept': 'application/json'}
    });
    if (response.status === 401 || response.status === 403) {
      throw new Error('not allowed: sign in with a viewer or operator account');
    }
    if (!response.ok) {
      throw new Error('HTTP ' + response.status);
    }
    return response.json();
  }

  function age(seconds) {
    return seconds === null || seconds === undefined ? '' : seconds.toFixed(1) + ' s';
  }

  function renderNetworks(networks) {
    const body = document.querySelector('#networks tbody');
    const rows = networks.map(n => {
      const tr = el('tr');
      tr.dataset.network = n.name;
      cell(tr, n.name);
      cell(tr, n.health, n.health);
      const reason = cell(tr, n.reason);
      reason.appendChild(el('div', n.detail, 'detail'));
      cell(tr, n.since);
      cell(tr, n.head === null ? 'none' : '#' + n.head);
      cell(tr, age(n.headAgeSeconds));
      const endpoints = cell(tr);
      n.endpoints.forEach(e => {
        const line = el('div', e.url + ' ' + e.state + ' #' + (e.head === null ? 'none' : e.head)
            + ' ' + e.requestsPerMinute.toFixed(1) + '/min'
            + ' ' + units(e.costPerDay) + ' ' + e.costUnit + '/day');
        if (e.lastError) {
          line.appendChild(el('div', e.lastError, 'detail'));
        }
        endpoints.appendChild(line);
      });
      return tr;
    });
    body.replaceChildren(...rows);
  }

  function units(n) {
    return Math.round(n).toLocaleString('en-US');
  }

  function renderProviders(providers) {
    const body = document.querySelector('#providers tbody');
    const rows = (providers || []).map(p => {
      const tr = el('tr');
      tr.dataset.provider = p.provider;
      cell(tr, p.provider);
      cell(tr, String(p.endpoints));
      cell(tr, units(p.costPerDay) + ' ' + p.unit, p.overBudget ? 'problem' : undefined);
      cell(tr, p.budgetPerDay === null ? 'none' : units(p.budgetPerDay) + ' ' + p.unit);
      return tr;
    });
    body.replaceChildren(...rows);
  }

  function overrideText(o) {
    if (!o) {
      return '';
    }
    return o.state + ' by ' + o.actor + ': ' + o.note
        + (o.expiresAt ? ' (until ' + o.expiresAt + ')' : ' (until cleared)');
  }

  function renderTokens(tokens) {
    const query = document.getElementById('search').value.trim().toLowerCase();
    const onlyNotAllowed = document.getElementById('only-not-allowed').checked;
    const rows = [];
    tokens.forEach(t => {
      if (query && !t.symbol.toLowerCase().includes(query)
          && !t.network.toLowerCase().includes(query)) {
        return;
      }
      [['deposit', t.deposit], ['withdrawal', t.withdrawal]].forEach(([direction, d]) => {
        if (onlyNotAllowed && d.state === 'ALLOWED') {
          return;
        }
        const tr = el('tr');
        tr.dataset.token = t.symbol;
        tr.dataset.direction = direction;
        tr.dataset.state = d.state;
        cell(tr, t.symbol);
        cell(tr, t.network);
        cell(tr, direction);
        cell(tr, d.state, d.state + ' state');
        const reason = cell(tr, d.reason);
        reason.appendChild(el('div', d.detail, 'detail'));
        cell(tr, d.since);
        cell(tr, overrideText(d.override), 'override');
        const actions = cell(tr);
        const audit = el('button', 'audit');
        audit.type = 'button';
        audit.className = 'audit';
        audit.addEventListener('click', () => showAudit(t.symbol));
        actions.appendChild(audit);
        if (session && session.operator) {
          const pick = el('button', 'override…');
          pick.type = 'button';
          pick.className = 'pick';
          pick.addEventListener('click', () => {
            document.getElementById('ov-token').value = tokenKey(t, tokens);
            document.getElementById('ov-direction').value = direction;
            document.getElementById('ov-note').focus();
          });
          actions.appendChild(pick);
        }
        rows.push(tr);
      });
    });
    document.querySelector('#tokens tbody').replaceChildren(...rows);
  }

  // A token's name in the override form: its symbol, or SYMBOL@network where the asset is on
  // several networks (what the console API takes).
  function tokenKey(t, tokens) {
    const several = tokens.filter(o => o.symbol === t.symbol).length > 1;
    return several ? t.symbol + '@' + t.network : t.symbol;
  }

  function renderTokenChoices(tokens) {
    const select = document.getElementById('ov-token');
    const symbols = tokens.map(t => tokenKey(t, tokens));
    const current = Array.from(select.options).map(o => o.value);
    if (symbols.join(',') === current.join(',')) {
      return; // keep the operator's choice while the page refreshes
    }
    const chosen = select.value;
    select.replaceChildren(...symbols.map(s => {
      const o = el('option', s);
      o.value = s;
      return o;
    }));
    if (symbols.includes(chosen)) {
      select.value = chosen;
    }
  }

  function renderFleet(f) {
    const p = document.getElementById('fleet');
    if (!f || f.role === 'SOLO') {
      p.textContent = '';
      return;
    }
    let text = 'fleet ' + f.fleet + ': this instance (' + f.instance + ') is ' + f.role
        + '; leader ' + (f.leader || 'none') + ', epoch ' + f.epoch
        + '; oldest verdict ' + (f.oldestVerdictMillis / 1000).toFixed(1) + ' s (bound '
        + (f.staleAfterMillis / 1000).toFixed(1) + ' s)';
    if (f.problem) {
      text += '; store: ' + f.problem;
    }
    p.textContent = text;
    p.className = f.problem || f.oldestVerdictMillis > f.staleAfterMillis ? 'problem' : '';
  }

  function renderIncidents(incidents, pending) {
    const p = document.getElementById('incidents');
    if (!incidents) {
      p.textContent = '';
      return;
    }
    const parts = incidents.map(i => i.network + ' ' + i.health + ' since ' + i.openedAt
        + (i.resolvesAt ? ' (resolved message at ' + i.resolvesAt + ' if it stays healthy)' : ''));
    p.textContent = (parts.length ? 'open incidents: ' + parts.join('; ') : 'no open incident')
        + (pending ? '; ' + pending + ' notification(s) waiting for delivery' : '');
  }

  async function refresh() {
    try {
      latest = await getJson('/api/status');
      renderNetworks(latest.networks);
      renderProviders(latest.providers);
      renderTokens(latest.tokens);
      renderTokenChoices(latest.tokens);
      document.getElementById('updated').textContent = 'as of ' + latest.takenAt;
      renderFleet(latest.fleet);
      renderIncidents(latest.incidents, latest.pendingNotifications);
      if (auditToken) {
        await showAudit(auditToken);
      }
      problem('');
    } catch (e) {
      problem(e.message);
    }
  }

  async function showAudit(token) {
    auditToken = token;
    document.getElementById('audit-token').textContent = 'of ' + token;
    const records = await getJson('/api/tokens/' + encodeURIComponent(token) + '/audit');
    const rows = records.slice().reverse().map(r => {
      const tr = el('tr');
      [r.at, r.direction, r.from, r.to, r.reason, r.actor || '', r.detail, r.instance]
          .forEach(v => cell(tr, v));
      return tr;
    });
    document.querySelector('#audit tbody').replaceChildren(...rows);
  }

  async function submitOverride(event) {
    event.preventDefault();
    const result = document.getElementById('ov-result');
    const token = document.getElementById('ov-token').value;
    const direction = document.getElementById('ov-direction').value;
    const headers = {'Content-Type': 'application/json', 'Accept': 'application/json'};
    if (session.csrf) {
      headers[session.csrf.headerName] = session.csrf.token;
    }
    const response = await fetch(base + '/api/tokens/' + encodeURIComponent(token) + '/'
        + encodeURIComponent(direction), {
      method: 'POST', credentials: 'same-origin', headers: headers,
      body: JSON.stringify({
        action: document.getElementById('ov-action').value,
        note: document.getElementById('ov-note').value,
        ttl: document.getElementById('ov-ttl').value
      })
    });
    let body = {};
    try {
      body = await response.json();
    } catch (e) {
      body = {};
    }
    if (response.ok) {
      const d = body[direction];
      result.textContent = token + ' ' + direction + ' is ' + d.state + ' (' + d.reason + ')';
      result.className = 'done';
    } else {
      result.textContent = 'refused (' + response.status + '): ' + (body.error || '');
      result.className = 'problem';
    }
    await refresh();
  }

  async function start() {
    try {
      session = await getJson('/api/session');
    } catch (e) {
      problem(e.message);
      return;
    }
    document.getElementById('user').textContent = 'signed in as ' + session.user
        + (session.operator ? ' (operator)' : ' (viewer)');
    if (session.operator) {
      document.getElementById('override-section').hidden = false;
      document.getElementById('override').addEventListener('submit', submitOverride);
    }
    document.getElementById('search').addEventListener('input',
        () => latest && renderTokens(latest.tokens));
    document.getElementById('only-not-allowed').addEventListener('change',
        () => latest && renderTokens(latest.tokens));
    await refresh();
    setInterval(refresh, refreshMillis);
  }

  start();
})();
