/* callrouter.js: dynamic number insertion (README: "Dynamic number insertion"). Attributes:
 * data-pool, data-number, data-endpoint, data-sales-code, data-ref1..3, data-tag-NAME, data-release. */
(function (w, d) {
  'use strict';
  const noop = () => {};
  const guard = (f) => function () { try { return f.apply(this, arguments); } catch (e) { /* never into the page */ } };
  guard(() => {
    const s = d.currentScript || d.querySelector('script[data-pool]');
    const at = (n) => (s && s.getAttribute('data-' + n)) || '';
    const pool = at('pool');
    if (!pool || !w.fetch || !w.URLSearchParams) return;
    const base = (at('endpoint') || new URL(s.src, location.href).origin).replace(/\/+$/, '');
    const own = at('number').replace(/\D/g, '');
    const cookieName = 'callrouter_' + pool;
    const KEYS = 'utm_source utm_medium utm_campaign utm_term utm_content gclid gbraid wbraid fbclid msclkid'.split(' ');
    let sid = null, shown = null, current = null, display = '', renewMs = 15000, nextMs = 0, timer = 0;
    let froms = own ? [own] : [];
    let watching = false;

    const prev = w.callrouter;
    w.callrouter = { number: (p) => (p && p !== pool && prev ? prev.number(p) : current) };

    // Length of the country code of E.164 digits: 1 for +1 and +7, 2 for these, else 3.
    const CC2 = '20 27 30 31 32 33 34 36 39 40 41 43 44 45 46 47 48 49 51 52 53 54 55 56 57 58 ' +
      '60 61 62 63 64 65 66 81 82 84 86 90 91 92 93 94 95 98';
    const ccLen = (n) => (/^[17]/.test(n) ? 1 : CC2.indexOf(n.slice(0, 2)) >= 0 ? 2 : 3);
    const SEP = '[\\s.\\-()\\u00a0]{0,3}';
    const patterns = {};
    // Any form of the number: [+CC or 0] then the national digits, separators between them.
    const pattern = (n) => patterns[n] || (patterns[n] = new RegExp('(?:\\+?' + n.slice(0, ccLen(n)) + SEP +
      '|0' + SEP + ')?' + n.slice(ccLen(n)).split('').join(SEP), 'g'));

    // Writes the new digits over the old ones from the right, so each occurrence keeps its format.
    const rewrite = (m, from, to) => {
      const k = m.replace(/\D/g, '').length;
      if (to.length !== from.length || ccLen(to) !== ccLen(from)) return display || '+' + to;
      const src = k >= from.length ? to : to.slice(ccLen(to));
      let out = '', j = src.length;
      for (let i = m.length - 1; i >= 0; i--) out = (/\d/.test(m[i]) && j > 0 ? src[--j] : m[i]) + out;
      return out;
    };
    const swap = (str) => {
      let out = str;
      for (const from of froms) {
        const re = pattern(from);
        let res = '', last = 0, m;
        re.lastIndex = 0;
        while ((m = re.exec(out))) {
          const a = m.index, b = a + m[0].length;
          if (/\d/.test(out.charAt(a - 1)) || /\d/.test(out.charAt(b))) { re.lastIndex = a + 1; continue; }
          res += out.slice(last, a) + rewrite(m[0], from, shown);
          last = b;
        }
        if (last) out = res + out.slice(last);
      }
      return out;
    };
    const SKIP = /^(SCRIPT|STYLE|TEXTAREA|NOSCRIPT|TEMPLATE)$/;
    const text = (n) => {
      if (n.parentNode && SKIP.test(n.parentNode.nodeName)) return;
      const v = swap(n.data);
      if (v !== n.data) n.data = v;
    };
    const link = (a) => {
      const h = a.getAttribute('href') || '';
      if (!/^tel:/i.test(h)) return;
      const v = h.slice(0, 4) + swap(h.slice(4));
      if (v !== h) a.setAttribute('href', v);
    };
    const walk = (root) => {
      if (!shown || !froms.length || !root) return;
      if (root.nodeType === 3) return text(root);
      if (root.nodeType !== 1 || SKIP.test(root.nodeName)) return;
      const t = d.createTreeWalker(root, 4);
      for (let n; (n = t.nextNode());) text(n);
      if (root.nodeName === 'A') link(root);
      root.querySelectorAll('a[href]').forEach(link);
    };
    const watch = () => {
      if (watching || !w.MutationObserver) return;
      watching = true;
      new MutationObserver(guard((recs) => recs.forEach((r) => {
        if (r.type === 'childList') r.addedNodes.forEach(walk); else walk(r.target);
      }))).observe(d.documentElement, { childList: true, subtree: true, characterData: true,
        attributes: true, attributeFilter: ['href'] });
    };

    const post = (path, body) => {
      const ctl = w.AbortController ? new AbortController() : null;
      const t = ctl && setTimeout(() => ctl.abort(), 10000);
      return fetch(base + path, { method: 'POST', mode: 'cors', credentials: 'omit',
        headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body || {}),
        signal: ctl ? ctl.signal : undefined })
        .then((r) => {
          clearTimeout(t);
          if (r.status === 204) return null;
          if (!r.ok) { const e = new Error('HTTP ' + r.status); e.status = r.status; throw e; }
          return r.json();
        }, (e) => { clearTimeout(t); throw e; });
    };
    const sessionPath = (p) => '/v1/sessions/' + encodeURIComponent(sid) + '/' + p;
    const here = () => location.href.slice(0, 2048);
    const pageView = () => post(sessionPath('pageviews'), { page_url: here() }).catch(noop);

    // The cookie keeps the session and the first landing page's attribution for later pages.
    const readCookie = () => {
      const m = d.cookie.match(new RegExp('(?:^|; )' + cookieName + '=([^;]*)'));
      return new URLSearchParams(m ? m[1] : '');
    };
    const attribution = (c) => {
      const q = new URLSearchParams(location.search);
      const fresh = KEYS.some((k) => q.get(k));
      const a = {};
      for (const k of KEYS) { const v = (fresh ? q : c).get(k); if (v) a[k] = v.slice(0, 256); }
      a.lp = (!fresh && c.get('lp')) || here();
      const ref = (fresh || !c.get('lp') ? d.referrer : c.get('ref') || '').slice(0, 2048);
      if (ref) a.ref = ref;
      return a;
    };
    const saveCookie = (a, expiresAt) => {
      let age = Math.round((expiresAt - Date.now()) / 1000);
      if (!(age > 0)) age = 1800;
      const p = new URLSearchParams(a);
      if (sid) p.set('s', sid);
      if (p.toString().length > 3500) { p.delete('lp'); p.delete('ref'); }
      d.cookie = cookieName + '=' + p + '; Max-Age=' + age + '; Path=/; SameSite=Lax' +
        (location.protocol === 'https:' ? '; Secure' : '');
    };

    const fail = (why) => {
      if (!current) current = own ? '+' + own : null;
      post('/v1/pools/' + encodeURIComponent(pool) + '/failures',
        { page_url: here(), reason: String(why).slice(0, 256) }).catch(noop);
    };
    // No session: the overflow number; ask again when its time is up (bounded: clocks differ).
    const apply = (r, a) => {
      if (!r || !r.number) throw new Error('no number in the answer');
      sid = r.session || null;
      const now = Date.now(), exp = Date.parse(r.expires_at);
      renewMs = Math.max(1, +r.renew_seconds || 15) * 1000;
      nextMs = now + (sid ? renewMs : Math.min(Math.max(exp - now, renewMs), 300000));
      display = r.display || '';
      const to = String(r.number || '').replace(/\D/g, '');
      if (to && to !== shown) {
        if (shown) froms.push(shown);
        froms = froms.filter((f) => f !== to);
        shown = to;
        current = '+' + to;
        walk(d.documentElement);
        watch();
      }
      saveCookie(a, sid ? exp : 0);
      schedule();
    };
    const create = (held, a) => {
      const b = { session: held || undefined, page_url: a.lp, referrer: a.ref || undefined,
        ga_client_id: ((d.cookie.match(/(?:^|; )_ga=GA\d\.\d+\.([^;]+)/) || [])[1] || '').slice(0, 256) || undefined,
        sales_code: at('sales-code') || undefined };
      for (const k of KEYS) b[k] = a[k];
      const refs = [at('ref1'), at('ref2'), at('ref3')].filter(Boolean);
      if (refs.length) b.references = refs;
      const tags = {};
      for (const x of s.attributes) if (x.name.indexOf('data-tag-') === 0) tags[x.name.slice(9)] = x.value;
      if (Object.keys(tags).length) b.tags = tags;
      return post('/v1/pools/' + encodeURIComponent(pool) + '/sessions', b).then((r) => {
        apply(r, a);
        if (a.lp !== here()) pageView();
      });
    };
    // true: renewed; false: the session was gone, so ask anew naming it (its number if still free).
    const renew = (a) => post(sessionPath('renew')).then((r) => { apply(r, a); return true; },
      (e) => { if (e.status === 404) return create(sid, a).then(() => false); throw e; });

    const tick = guard(() => {
      if (shown && d.visibilityState !== 'hidden' && Date.now() >= nextMs - 1000) {
        nextMs = Date.now() + renewMs;
        const a = attribution(readCookie());
        (sid ? renew(a) : create(null, a)).catch(noop);
      }
    });
    function schedule() {
      clearInterval(timer);
      timer = d.visibilityState === 'hidden' ? 0 : setInterval(tick, renewMs);
    }
    d.addEventListener('visibilitychange', guard(() => { tick(); schedule(); }));

    const start = () => {
      const c = readCookie(), a = attribution(c);
      sid = c.get('s');
      const fresh = KEYS.some((k) => new URLSearchParams(location.search).get(k));
      const first = sid && !fresh
        ? renew(a).then((kept) => kept && pageView())
        : create(sid, a);
      first.catch(guard((e) => fail(e && e.message ? e.message : e)));
    };
    if (at('release') === 'true') {
      w.addEventListener('pagehide', guard(() => {
        if (sid && navigator.sendBeacon) navigator.sendBeacon(base + sessionPath('release'));
      }));
      w.addEventListener('pageshow', guard((e) => { if (e.persisted) start(); }));
    }
    start();
  })();
})(window, document);
