// The callrouter web console: plain JavaScript, no build step, no outside requests.
// Every piece of data comes from the admin API (/v1) with the operator's bearer token, which is
// kept in sessionStorage (this tab only) and sent on every request. The page never writes API
// text as HTML: everything goes through textContent.
'use strict';

(function () {
  const TOKEN_KEY = 'callrouter.token';
  const POLL_MS = 2000;
  const PAGES = ['login', 'live', 'calls', 'call', 'explain', 'pools', 'reports', 'leads', 'lead', 'numbers',
    'callbacks'];
  const FIGURES = ['calls', 'answered', 'converted', 'revenue', 'payout', 'sales_count', 'sales_amount',
    'conversion_rate', 'avg_talk_seconds'];
  let pollTimer = null;

  const $ = (id) => document.getElementById(id);

  class ApiError extends Error {
    constructor(status, message) {
      super(message);
      this.status = status;
    }
  }

  function token() {
    return sessionStorage.getItem(TOKEN_KEY);
  }

  /**
   * One API request, with an optional JSON body and an optional If-Match; resolves with the JSON
   * answer and the ETag, rejects with an ApiError carrying the API's reason.
   */
  async function send(method, path, json, ifMatch) {
    const headers = { 'Authorization': 'Bearer ' + (token() || '') };
    if (json !== undefined) {
      headers['Content-Type'] = 'application/json';
    }
    if (ifMatch) {
      headers['If-Match'] = ifMatch;
    }
    const response = await fetch(path, {
      method: method,
      headers: headers,
      body: json === undefined ? undefined : JSON.stringify(json),
      cache: 'no-store'
    });
    let body = null;
    try {
      body = await response.json();
    } catch (e) {
      body = null;
    }
    if (!response.ok) {
      const reason = body && body.error && body.error.message ? body.error.message : 'HTTP ' + response.status;
      const details = body && Array.isArray(body.errors) ? ': ' + body.errors.join('; ') : '';
      throw new ApiError(response.status, reason + details);
    }
    return { body: body, etag: response.headers.get('ETag') };
  }

  /** {@link send}'s answer alone. */
  async function api(method, path, json, ifMatch) {
    return (await send(method, path, json, ifMatch)).body;
  }

  /**
   * The ETag of the resource an action changes, read as its confirmation is shown: the action
   * then sends it as If-Match, so that what the operator confirmed is what gets changed.
   */
  async function versionOf(path) {
    return (await send('GET', path)).etag;
  }

  /**
   * Reads the ETag of `path`, then asks `question`: `{ version }` to send as If-Match when the
   * operator agrees, null when the read failed (shown) or the operator declined.
   */
  async function confirmVersion(path, question) {
    let version;
    try {
      version = await versionOf(path);
    } catch (e) {
      failed(e);
      return null;
    }
    return confirm(question) ? { version } : null;
  }

  /**
   * After an action: a 412 means the thing changed between the confirmation and the action, and
   * nothing was done; the page is drawn again as it is now and the operator told so. Any other
   * failure is shown as it came.
   */
  async function actionFailed(error, what, redraw) {
    if (!(error instanceof ApiError) || error.status !== 412) {
      failed(error);
      return;
    }
    try {
      await redraw();
    } catch (e) {
      failed(e);
      return;
    }
    show(what + ' changed after you were asked to confirm, so nothing was done. The page now shows it as it is: '
      + 'look again and retry if still needed.');
  }

  /**
   * The "More" button under a paged list: shown while the list's answer has a next_cursor, it
   * asks for the next page and adds its rows below the ones shown.
   */
  function more(id, cursor, next) {
    const button = $(id);
    button.hidden = !cursor;
    button.onclick = cursor ? () => next(cursor).catch(failed) : null;
  }

  function show(message, kind) {
    const el = $('message');
    el.textContent = message;
    el.className = 'message ' + (kind || 'error');
    el.hidden = !message;
  }

  /** An API failure: a refused token sends the operator back to the login page with the API's reason. */
  function failed(error) {
    if (error instanceof ApiError && error.status === 401) {
      sessionStorage.removeItem(TOKEN_KEY);
      location.hash = '#login';
      route();
    }
    show(error instanceof ApiError ? error.status + ': ' + error.message : 'the router did not answer: ' + error.message);
  }

  /** The query of a filter form: its non-empty fields among `names`, and the page cursor when given. */
  function formQuery(form, names, cursor) {
    const query = new URLSearchParams();
    for (const name of names) {
      const value = form.elements[name].value.trim();
      if (value) {
        query.set(name, value);
      }
    }
    if (cursor) {
      query.set('cursor', cursor);
    }
    return query;
  }

  function element(tag, text, className) {
    const el = document.createElement(tag);
    if (text !== undefined && text !== null) {
      el.textContent = String(text);
    }
    if (className) {
      el.className = className;
    }
    return el;
  }

  function row(tbody, cells) {
    const tr = document.createElement('tr');
    for (const cell of cells) {
      const td = document.createElement('td');
      if (cell instanceof Node) {
        td.appendChild(cell);
      } else {
        td.textContent = cell === null || cell === undefined ? '' : String(cell);
      }
      tr.appendChild(td);
    }
    tbody.appendChild(tr);
    return tr;
  }

  function percent(rate) {
    return rate === null || rate === undefined ? '–' : (rate * 100).toFixed(0) + ' %';
  }

  function time(iso) {
    if (!iso) {
      return '';
    }
    const d = new Date(iso);
    return isNaN(d) ? iso : d.toLocaleString();
  }

  function definitions(dl, pairs) {
    dl.replaceChildren();
    for (const [name, value] of pairs) {
      if (value === null || value === undefined || value === '') {
        continue;
      }
      dl.appendChild(element('dt', name));
      dl.appendChild(element('dd', value));
    }
  }

  // ---- pages -------------------------------------------------------------------------------

  async function live() {
    const data = await api('GET', '/v1/live');
    $('live-at').textContent = 'at ' + time(data.at);
    $('live-up').textContent = data.calls_up;
    $('live-window').textContent = data.window_seconds;
    $('live-cps').textContent = data.calls_per_second.toFixed(2);
    $('live-asr').textContent = percent(data.answer_rate);
    const tbody = $('live-campaigns').tBodies[0];
    tbody.replaceChildren();
    for (const c of data.campaigns) {
      row(tbody, [c.campaign === '' ? '(untracked)' : c.campaign, c.calls_up, c.calls_per_second.toFixed(2),
        c.ended, c.answered, percent(c.answer_rate)]).dataset.campaign = c.campaign;
    }
    const cards = $('live-handlers');
    cards.replaceChildren();
    for (const h of data.handlers) {
      cards.appendChild(handlerCard(h));
    }
  }

  function handlerCard(h) {
    const card = element('article', null, 'card ' + (h.healthy ? 'healthy' : 'unhealthy'));
    card.dataset.handler = h.handler;
    const title = element('h3', h.handler);
    title.appendChild(element('span', h.healthy ? 'healthy' : 'unhealthy', 'badge'));
    card.appendChild(title);
    card.appendChild(element('p', 'Calls up: ' + (h.calls_up === undefined ? 0 : h.calls_up), 'calls-up'));
    if (h.health) {
      card.appendChild(element('p', h.health, 'why'));
    }
    if (h.unreachable) {
      card.appendChild(element('p', h.unreachable, 'why'));
    }
    for (const cap of h.caps) {
      if (cap.limit === null) {
        continue;
      }
      const line = element('div', null, 'cap');
      line.dataset.cap = cap.cap;
      line.appendChild(element('span', cap.cap + ' ' + cap.used + ' / ' + cap.limit, 'cap-label'));
      const bar = element('div', null, 'bar');
      const fill = element('div', null, 'fill');
      const share = cap.limit === 0 ? 1 : Math.min(1, cap.used / cap.limit);
      fill.style.width = (share * 100).toFixed(1) + '%';
      if (share >= 0.9) {
        fill.classList.add('full');
      }
      bar.appendChild(fill);
      line.appendChild(bar);
      if (cap.cap !== 'concurrency') {
        const reset = element('button', 'Reset', 'small');
        reset.type = 'button';
        reset.addEventListener('click', () => resetCap(h.handler, cap.cap));
        line.appendChild(reset);
      }
      card.appendChild(line);
    }
    return card;
  }

  async function resetCap(handler, window) {
    const path = '/v1/caps/' + encodeURIComponent(handler);
    const asked = await confirmVersion(path, 'Reset the ' + window + ' count of handler ' + handler + ' to zero?');
    if (!asked) {
      return;
    }
    try {
      await api('POST', path + '/reset?window=' + encodeURIComponent(window), undefined, asked.version);
      show('The ' + window + ' cap of ' + handler + ' was reset.', 'ok');
      await live();
    } catch (e) {
      await actionFailed(e, 'The caps of ' + handler, live);
    }
  }

  async function reload() {
    if (!confirm('Reload the configuration file now? Live calls are not touched.')) {
      return;
    }
    try {
      const answer = await api('POST', '/v1/reload');
      show('Reloaded ' + answer.file + ': ' + answer.campaigns + ' campaigns, ' + answer.handlers + ' handlers.', 'ok');
    } catch (e) {
      failed(e);
    }
  }

  /** The calls the form asks for; with a cursor, the next page added below the rows shown. */
  async function calls(cursor) {
    const form = $('calls-form');
    const query = formQuery(form, ['campaign', 'source', 'handler', 'status', 'caller', 'since', 'limit'], cursor);
    const data = await api('GET', '/v1/calls?' + query.toString());
    const tbody = $('calls-table').tBodies[0];
    if (!cursor) {
      tbody.replaceChildren();
    }
    for (const c of data.calls) {
      const link = element('a', time(c.received_at));
      link.href = '#call/' + encodeURIComponent(c.id);
      const skipped = (c.skipped || []).map((s) => s.handler + ': ' + s.reason).join('; ');
      row(tbody, [link, c.campaign, c.source, c.caller, c.status, c.handler, c.talk_seconds + ' s', skipped])
        .dataset.id = c.id;
    }
    $('calls-count').textContent = tbody.rows.length + ' calls received since ' + time(data.since)
      + (data.next_cursor ? ' shown (there are more)' : '');
    more('calls-more', data.next_cursor, calls);
  }

  async function call(id) {
    const c = await api('GET', '/v1/calls/' + encodeURIComponent(id));
    $('call-id').textContent = c.id;
    definitions($('call-summary'), [
      ['Status', c.status + (c.sip_status ? ' (' + c.sip_status + ')' : '')],
      ['Reason', c.reason],
      ['Campaign', c.campaign],
      ['Source', c.source],
      ['Caller', c.caller],
      ['Dialed', c.dialed],
      ['Answered by', c.handler],
      ['Ring', c.ring_seconds + ' s'],
      ['Talk', c.talk_seconds + ' s'],
      ['Routing decision', c.routing_seconds === null ? null : (c.routing_seconds * 1e6).toFixed(0) + ' µs'],
      ['Session', c.session],
      ['Pages', c.page_path ? c.page_path.join(' → ') : null]
    ]);
    const story = $('call-story');
    story.replaceChildren();
    const step = (when, text, className) => {
      const li = element('li', null, className);
      li.appendChild(element('time', time(when)));
      li.appendChild(element('span', text));
      story.appendChild(li);
    };
    step(c.received_at, 'Received from ' + (c.caller || 'an anonymous caller') + ' for ' + c.dialed);
    for (const s of c.skipped || []) {
      step(c.received_at, 'Skipped ' + s.handler + ': ' + s.reason, 'skip');
    }
    for (const a of c.attempts || []) {
      step(a.started_at, 'Rang ' + a.handler);
      step(a.ended_at, a.handler + ': ' + (a.result || 'no result') + (a.sip_status ? ' (' + a.sip_status + ')' : ''),
        a.result === 'answered' ? 'ok' : 'fail');
    }
    if (c.answered_at) {
      step(c.answered_at, 'Answered by ' + c.handler, 'ok');
    }
    if (c.ended_at) {
      step(c.ended_at, 'Ended: ' + c.status + (c.reason ? ' (' + c.reason + ')' : ''));
    }
    if (c.converted_at) {
      step(c.converted_at, 'Converted by postback', 'ok');
    }
    for (const w of c.webhooks || []) {
      const outcome = w.state === 'delivered' ? 'delivered' : w.state === 'dead' ? 'given up' : 'retrying';
      const tries = w.tries + (w.tries === 1 ? ' try' : ' tries');
      const status = w.http_status ? ', HTTP ' + w.http_status : '';
      const error = w.error && w.state !== 'delivered' && w.error !== 'HTTP ' + w.http_status ? ': ' + w.error : '';
      step(w.last_at, 'Webhook ' + w.event + ' to ' + w.url + ' ' + outcome + ' (' + tries + status + ')' + error,
        w.state === 'delivered' ? 'ok webhook' : w.state === 'dead' ? 'fail webhook' : 'skip webhook');
    }
    const conversion = c.conversion || {};
    const side = (s) => s ? s.status + (s.amount ? ' ' + s.amount : '') + (s.reason ? ' (' + s.reason + ')' : '') : null;
    definitions($('call-conversion'), [
      ['Converted', c.converted ? 'yes' : 'no'],
      ['Source side (payout)', side(conversion.source)],
      ['Handler side (revenue)', side(conversion.handler)],
      ['Payout', c.payout],
      ['Revenue', c.revenue]
    ]);
    definitions($('call-tags'), Object.entries(c.tags || {}));
  }

  async function explain() {
    const form = $('explain-form');
    const query = formQuery(form, ['number', 'caller', 'at']);
    const plan = await api('GET', '/v1/explain?' + query.toString());
    $('explain-result').hidden = false;
    definitions($('explain-summary'), [
      ['Number', plan.number],
      ['Campaign', plan.campaign],
      ['Source', plan.source],
      ['At', query.get('at') || 'now'],
      ['Rejected', plan.rejected],
      ['Outcome', plan.candidates.length === 0 ? 'refused: no handler can take it'
        : plan.candidates.length + (plan.candidates.length === 1 ? ' candidate' : ' candidates')]
    ]);
    const candidates = $('explain-candidates').tBodies[0];
    candidates.replaceChildren();
    plan.candidates.forEach((c, i) => row(candidates, [i + 1, c.handler, c.priority, c.weight, c.unreachable || '']));
    const skipped = $('explain-skipped').tBodies[0];
    skipped.replaceChildren();
    for (const s of plan.skipped) {
      row(skipped, [s.handler, s.reason + (s.health ? ' (' + s.health + ')' : '')]);
    }
  }

  async function pools() {
    const data = await api('GET', '/v1/pools');
    const tbody = $('pools-table').tBodies[0];
    tbody.replaceChildren();
    $('pools-empty').hidden = data.pools.length > 0;
    for (const p of data.pools) {
      const bar = element('div', null, 'bar');
      const fill = element('div', null, 'fill');
      const share = p.size === 0 ? 0 : p.held / p.size;
      fill.style.width = (share * 100).toFixed(1) + '%';
      if (share >= 0.9) {
        fill.classList.add('full');
      }
      bar.appendChild(fill);
      row(tbody, [p.pool, p.campaign, bar, p.held, p.free, p.size, p.sessions_created, p.renewals, p.exhausted,
        p.attribution_hits, p.attribution_misses]);
    }
  }

  async function reports() {
    const form = $('reports-form');
    const query = formQuery(form, ['from', 'to', 'zone', 'credit']);
    const groups = Array.from(form.querySelectorAll('input[name=group_by]:checked')).map((box) => box.value);
    if (groups.length > 0) {
      query.set('group_by', groups.join(','));
    }
    const data = await api('GET', '/v1/reports?' + query.toString());
    $('reports-range').textContent = 'From ' + time(data.from) + ' to ' + time(data.to) + ' (' + data.zone + '), sales '
      + 'credited by ' + data.credit.replace('_', ' ') + '.';
    const table = $('reports-table');
    const head = document.createElement('tr');
    for (const name of data.group_by.concat(FIGURES)) {
      head.appendChild(element('th', name.replace(/_/g, ' ')));
    }
    table.tHead.replaceChildren(head);
    const tbody = table.tBodies[0];
    tbody.replaceChildren();
    for (const r of data.rows) {
      const keys = data.group_by.map((d) => r.key[d] === null ? '(none)' : r.key[d]);
      row(tbody, keys.concat([r.calls, r.answered, r.converted, r.revenue, r.payout, r.sales_count, r.sales_amount,
        percent(r.conversion_rate), r.avg_talk_seconds.toFixed(1) + ' s'])).dataset.key = keys.join('|');
    }
  }

  async function findLead() {
    const kind = $('leads-form-kind').value;
    const value = $('leads-form-value').value.trim();
    const lead = kind === 'lead' ? await api('GET', '/v1/leads/' + encodeURIComponent(value))
      : await api('GET', '/v1/leads?' + new URLSearchParams([[kind, value]]).toString());
    location.hash = '#lead/' + encodeURIComponent(lead.id);
  }

  function touchPairs(t) {
    if (!t) {
      return [['Session', 'none: the lead has no session (unattributed)']];
    }
    return [['Session', t.kind + ' ' + t.session], ['Started', time(t.started_at)], ['Campaign', t.campaign],
      ['Source', t.source]].concat(Object.entries(t.tracking || {}));
  }

  function identityText(i) {
    return i ? i.kind + ' ' + i.value : '';
  }

  function tracking(t) {
    return Object.entries(t || {}).map(([k, v]) => k + '=' + v).join(', ');
  }

  async function lead(id) {
    const l = await api('GET', '/v1/leads/' + encodeURIComponent(id));
    $('lead-id').textContent = l.id;
    definitions($('lead-summary'), [
      ['Created', time(l.created_at)],
      ['Merged into', l.merged_into],
      ['Attribution', l.unattributed ? 'unattributed (no session)' : 'attributed'],
      ['Sessions', l.sessions.length],
      ['Sales', l.sales.length]
    ]);
    const identities = $('lead-identities').tBodies[0];
    identities.replaceChildren();
    for (const i of l.identities) {
      row(identities, [i.kind, i.value, time(i.linked_at)]);
    }
    definitions($('lead-origin'), touchPairs(l.origin));
    definitions($('lead-last-touch'), touchPairs(l.last_touch));
    const sessions = $('lead-sessions').tBodies[0];
    sessions.replaceChildren();
    for (const s of l.sessions) {
      let started = time(s.started_at);
      if (s.kind === 'call') {
        started = element('a', started);
        started.href = '#call/' + encodeURIComponent(s.id);
      }
      row(sessions, [started, s.kind, s.status, s.campaign, s.source, identityText(s.via), tracking(s.tracking)])
        .dataset.id = s.id;
    }
    const sales = $('lead-sales').tBodies[0];
    sales.replaceChildren();
    for (const s of l.sales) {
      const credited = s.credited ? s.credited.kind + ' ' + (s.credited.campaign || '') + ' '
        + tracking(s.credited.tracking) : 'unattributed';
      row(sales, [time(s.sold_at), s.amount + ' ' + s.currency, s.order_id, identityText(s.via), credited])
        .dataset.id = s.id;
    }
  }

  /** A small button that runs {@code action} when clicked. */
  function button(text, action) {
    const b = element('button', text, 'small');
    b.type = 'button';
    b.addEventListener('click', action);
    return b;
  }

  async function numbers() {
    const [quarantine, health] = await Promise.all([api('GET', '/v1/numbers/quarantine'),
      api('GET', '/v1/numbers/health')]);
    quarantined(quarantine, false);
    $('numbers-policy').textContent = 'A removed number stays out for ' + quarantine.quarantine_days
      + ' days, and until it had no call for ' + quarantine.quiet_days + ' days.';
    $('numbers-health-policy').textContent = 'Marks of the last ' + health.window_days + ' days; a number is flagged '
      + 'at a share of ' + percent(health.threshold) + ' over at least ' + health.min_calls
      + (health.min_calls === 1 ? ' call.' : ' calls.');
    const marks = $('numbers-health').tBodies[0];
    marks.replaceChildren();
    $('numbers-health-empty').hidden = health.numbers.length > 0;
    const flaggedFirst = health.numbers.slice().sort((a, b) => Number(b.flagged) - Number(a.flagged));
    for (const n of flaggedFirst) {
      const tr = row(marks, [n.number, n.calls, n.spam, n.misdirected, percent(n.share), n.flagged ? 'flagged' : '']);
      tr.dataset.number = n.number;
      tr.classList.toggle('flagged', n.flagged);
    }
  }

  /** A page of the quarantine list, in place of the rows shown or (more) below them. */
  function quarantined(page, below) {
    const tbody = $('numbers-quarantine').tBodies[0];
    if (!below) {
      tbody.replaceChildren();
    }
    for (const q of page.numbers) {
      const release = button(q.releasable ? 'Release' : 'Release early', () => releaseNumber(q.number));
      row(tbody, [q.number, q.campaign, time(q.removed_at), time(q.until), q.calls, time(q.last_call_at), release])
        .dataset.number = q.number;
    }
    $('numbers-quarantine-empty').hidden = tbody.rows.length > 0;
    more('numbers-quarantine-more', page.next_cursor, async (cursor) =>
      quarantined(await api('GET', '/v1/numbers/quarantine?cursor=' + encodeURIComponent(cursor)), true));
  }

  /**
   * Releases a quarantined number after a confirmation; when the API refuses because its time has
   * not come (409), the operator is told why and may force it.
   */
  async function releaseNumber(number) {
    const entry = '/v1/numbers/quarantine/' + encodeURIComponent(number);
    const asked = await confirmVersion(entry, 'Release ' + number + ' from quarantine? It can then be tracked again.');
    if (!asked) {
      return;
    }
    const path = entry + '/release';
    try {
      let answer;
      try {
        answer = await api('POST', path, {}, asked.version);
      } catch (e) {
        if (!(e instanceof ApiError) || e.status !== 409
          || !confirm('The router refused: ' + e.message + '\n\nForce the release now?')) {
          throw e;
        }
        answer = await api('POST', path, { force: true }, asked.version);
      }
      show(number + (answer.forced ? ' was released early (forced).' : ' was released.'), 'ok');
      await numbers();
    } catch (e) {
      await actionFailed(e, 'Quarantined number ' + number, numbers);
    }
  }

  /** The callbacks the form asks for; with a cursor, the next page added below the rows shown. */
  async function callbacks(cursor) {
    const form = $('callbacks-form');
    const query = formQuery(form, ['state', 'campaign'], cursor);
    const data = await api('GET', '/v1/callbacks?' + query.toString());
    const tbody = $('callbacks-table').tBodies[0];
    if (!cursor) {
      tbody.replaceChildren();
    }
    for (const c of data.callbacks) {
      const lost = element('a', c.lost_call_id);
      lost.href = '#call/' + encodeURIComponent(c.lost_call_id);
      const cancel = c.state === 'pending' ? button('Cancel', () => cancelCallback(c)) : '';
      row(tbody, [time(c.created_at), c.campaign, c.customer, c.state, cancel, c.tries, time(c.next_try_at), c.trigger,
        c.reason, c.dialed, lost]).dataset.id = c.id;
    }
    $('callbacks-count').textContent = tbody.rows.length + ' shown' + (data.next_cursor ? ' (there are more)' : '')
      + '; ' + data.live + ' pending or being dialed.';
    more('callbacks-more', data.next_cursor, callbacks);
  }

  async function cancelCallback(c) {
    const path = '/v1/callbacks/' + encodeURIComponent(c.id);
    const asked = await confirmVersion(path, 'Cancel the callback to ' + c.customer + ' (campaign ' + c.campaign + ')?');
    if (!asked) {
      return;
    }
    try {
      await api('DELETE', path, undefined, asked.version);
      show('The callback to ' + c.customer + ' was cancelled.', 'ok');
      await callbacks();
    } catch (e) {
      await actionFailed(e, 'The callback to ' + c.customer, callbacks);
    }
  }

  // ---- navigation --------------------------------------------------------------------------

  function stopPolling() {
    if (pollTimer !== null) {
      clearInterval(pollTimer);
      pollTimer = null;
    }
  }

  function showPage(name) {
    for (const page of PAGES) {
      $('page-' + page).hidden = page !== name;
    }
    for (const link of document.querySelectorAll('nav a')) {
      const nav = name === 'call' ? 'calls' : name === 'lead' ? 'leads' : name;
      link.classList.toggle('current', link.id === 'nav-' + nav);
    }
    $('nav').hidden = name === 'login';
  }

  /** Shows the page the location's hash names; every page but login needs a token. */
  function route() {
    stopPolling();
    const hash = location.hash.replace(/^#/, '');
    if (!token()) {
      showPage('login');
      return;
    }
    show('');
    if (hash.startsWith('call/')) {
      showPage('call');
      call(decodeURIComponent(hash.substring(5))).catch(failed);
    } else if (hash === 'calls') {
      showPage('calls');
      calls().catch(failed);
    } else if (hash === 'explain') {
      showPage('explain');
    } else if (hash.startsWith('lead/')) {
      showPage('lead');
      lead(decodeURIComponent(hash.substring(5))).catch(failed);
    } else if (hash === 'leads') {
      showPage('leads');
    } else if (hash === 'reports') {
      showPage('reports');
      reports().catch(failed);
    } else if (hash === 'numbers') {
      showPage('numbers');
      numbers().catch(failed);
    } else if (hash === 'callbacks') {
      showPage('callbacks');
      callbacks().catch(failed);
    } else if (hash === 'pools') {
      showPage('pools');
      pools().catch(failed);
    } else {
      showPage('live');
      live().catch(failed);
      pollTimer = setInterval(() => live().catch(failed), POLL_MS);
    }
  }

  async function login(event) {
    event.preventDefault();
    const value = $('token').value.trim();
    sessionStorage.setItem(TOKEN_KEY, value);
    try {
      await api('GET', '/v1/live');
    } catch (e) {
      sessionStorage.removeItem(TOKEN_KEY);
      show(e instanceof ApiError ? 'Refused: ' + e.status + ': ' + e.message : 'the router did not answer: ' + e.message);
      return;
    }
    $('token').value = '';
    if (location.hash === '' || location.hash === '#login') {
      location.hash = '#live';
    } else {
      route();
    }
  }

  document.addEventListener('DOMContentLoaded', () => {
    $('login-form').addEventListener('submit', login);
    $('logout').addEventListener('click', () => {
      sessionStorage.removeItem(TOKEN_KEY);
      location.hash = '#login';
    });
    $('reload').addEventListener('click', reload);
    $('calls-form').addEventListener('submit', (event) => {
      event.preventDefault();
      show('');
      calls().catch(failed);
    });
    $('callbacks-form').addEventListener('submit', (event) => {
      event.preventDefault();
      show('');
      callbacks().catch(failed);
    });
    $('explain-form').addEventListener('submit', (event) => {
      event.preventDefault();
      explain().catch(failed);
    });
    $('reports-form').addEventListener('submit', (event) => {
      event.preventDefault();
      show('');
      reports().catch(failed);
    });
    $('leads-form').addEventListener('submit', (event) => {
      event.preventDefault();
      show('');
      findLead().catch(failed);
    });
    window.addEventListener('hashchange', route);
    route();
  });
}());
