// The RingKV dashboard's behaviour: polls the overview document (ClusterOverview.cs on the coordinator, relayed by
// nodes) once a second and redraws the ring, the coordinator group, the node cards, the charts and the rebalance
// panel from it. The
// charts' history lives only in this page (the server keeps none), so it starts empty on every load.
'use strict';

const OVERVIEW_URL = '../v1/overview'; // relative, so the page works from the coordinator and from any node
const POLL_MS = 1000;
const POLL_TIMEOUT_MS = 2500;
const HISTORY_MS = 120_000;
// Samples further apart than this are not joined by a line: the dashboard lost contact in between.
const GAP_MS = 3 * POLL_MS;
const SVG_NS = 'http://www.w3.org/2000/svg';

// Ring geometry: the centre of the ring's viewBox (index.html), which leaves room for the tick labels.
const C = 220;
const RING_R = 172;
const RING_W = 30;
const SHARE_R = 146;
const SHARE_W = 8;

const $ = id => document.getElementById(id);

/** Samples for the charts: { t, ops, p99, nodes: { id: { ops, p99 } } }, oldest first. */
const history = [];
let lastSuccess = 0;
let ringKey = null;

// ---------------------------------------------------------------------------------------------------------------
// Small helpers: element builders, formatting, colours.

function build(ns, tag, attrs, children) {
  const el = ns ? document.createElementNS(ns, tag) : document.createElement(tag);
  for (const [name, value] of Object.entries(attrs ?? {})) {
    if (value == null || value === false) continue;
    if (name === 'class') el.setAttribute('class', value);
    else if (name === 'style') for (const [p, v] of Object.entries(value)) el.style.setProperty(p, v);
    else el.setAttribute(name, value === true ? '' : String(value));
  }
  // Text goes in as text nodes, never as markup: node ids and error messages come from the server.
  el.append(...children.flat(Infinity).filter(c => c != null && c !== false).map(c => (typeof c === 'object' ? c : String(c))));
  return el;
}
const h = (tag, attrs, ...children) => build(null, tag, attrs, children);
const svg = (tag, attrs, ...children) => build(SVG_NS, tag, attrs, children);

const int = n => Math.round(n ?? 0).toLocaleString('en-US');

function bytes(n) {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = n ?? 0;
  let i = 0;
  while (value >= 1024 && i < units.length - 1) { value /= 1024; i++; }
  return `${i === 0 || value >= 100 ? Math.round(value) : value.toFixed(1)} ${units[i]}`;
}

function rate(n) {
  const v = n ?? 0;
  if (v >= 10_000) return `${(v / 1000).toFixed(1)}k`;
  return v < 10 && v % 1 !== 0 ? v.toFixed(1) : int(v);
}

function ms(n) {
  const v = n ?? 0;
  return `${v === 0 ? '0' : v < 1 ? v.toFixed(2) : v < 10 ? v.toFixed(1) : int(v)} ms`;
}

function duration(seconds) {
  const s = Math.max(0, Math.round(seconds ?? 0));
  if (s < 60) return seconds < 10 && seconds % 1 !== 0 ? `${seconds.toFixed(1)} s` : `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60} s`;
  return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
}

const age = millis => (millis < 10_000 ? `${(millis / 1000).toFixed(1)} s ago` : `${duration(millis / 1000)} ago`);

/**
 * A colour per node id that stays the same across reloads, processes and cluster changes (a node keeps its colour
 * when others join or leave). Ids are usually numbered (node-1, node-2…): the number advances the hue by the golden
 * angle, which keeps consecutive numbers far apart, from a base hue hashed from the rest of the id. Hues are
 * squeezed into 20°..340° so no node is drawn in the red that means DOWN.
 */
function nodeColor(id) {
  const [, prefix, digits] = /^(.*?)(\d*)$/s.exec(id);
  // FNV-1a, then murmur3's finalizer so that similar prefixes land far apart.
  let x = 0x811c9dc5;
  for (let i = 0; i < prefix.length; i++) x = Math.imul(x ^ prefix.charCodeAt(i), 0x01000193);
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  x = (x ^ (x >>> 16)) >>> 0;
  const hue = ((x % 360) + Number(digits || 0) * 137.508) % 360;
  return `hsl(${Math.round(20 + (hue * 320) / 360)} 70% 62%)`;
}

// ---------------------------------------------------------------------------------------------------------------
// Polling.

async function poll() {
  const started = Date.now();
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), POLL_TIMEOUT_MS);
  let doc = null;
  try {
    const response = await fetch(OVERVIEW_URL, { cache: 'no-store', signal: abort.signal });
    if (!response.ok) throw new Error(await errorText(response));
    doc = await response.json();
  } catch (error) {
    showLost(abort.signal.aborted ? `no answer within ${POLL_TIMEOUT_MS / 1000} s` : error.message);
  } finally {
    clearTimeout(timer);
  }
  if (doc) {
    lastSuccess = Date.now();
    showLive();
    // A drawing bug must not read as "connection lost", so it is only logged.
    try { render(doc); } catch (error) { console.error('dashboard render failed', error); }
  }
  // Polls never overlap: the next starts a period after this one started, or at once if this one took longer.
  setTimeout(poll, Math.max(0, started + POLL_MS - Date.now()));
}

async function errorText(response) {
  try {
    const body = await response.json(); // ApiErrors: { error, code }
    return `${body.error} (HTTP ${response.status} ${body.code})`;
  } catch {
    return `HTTP ${response.status} ${response.statusText}`;
  }
}

function showLive() {
  $('banner').hidden = true;
  $('main').classList.remove('stale');
  $('live').dataset.state = 'live';
  $('live-text').textContent = `live · ${new Date(lastSuccess).toLocaleTimeString()}`;
}

function showLost(reason) {
  const since = lastSuccess ? `; last update ${age(Date.now() - lastSuccess)}` : '';
  // fetch() reports an unreachable server as a bare TypeError ("Failed to fetch").
  const why = /fetch/i.test(reason) ? 'The server does not answer' : reason.charAt(0).toUpperCase() + reason.slice(1);
  $('banner').hidden = false;
  $('banner-text').textContent = `${why}. Retrying every second${since}; the figures below are the last ones received.`;
  $('main').classList.add('stale');
  $('live').dataset.state = 'lost';
  $('live-text').textContent = 'connection lost';
}

// ---------------------------------------------------------------------------------------------------------------
// Rendering.

function render(doc) {
  const nodes = doc.nodes ?? [];
  const up = nodes.filter(n => n.state === 'UP');
  // A DOWN node's report is its last one before it fell silent: it counts in no total.
  const reporting = up.filter(n => n.report);
  $('epoch').textContent = doc.epoch;
  $('rf').textContent = `RF ${doc.replicationFactor}`;
  $('up-count').textContent = `${up.length} / ${nodes.length}`;
  $('up-count').classList.toggle('bad', up.length < nodes.length);
  $('key-count').textContent = int(reporting.reduce((sum, n) => sum + n.report.keys, 0));
  $('cluster-id').textContent = (doc.clusterId ?? '').slice(0, 12);
  $('cluster-id').title = doc.clusterId ?? '';

  record(reporting);
  renderRing(doc);
  renderCoordinators(doc.coordinators);
  renderCards(doc);
  renderCharts(nodes);
  renderRebalance(doc.rebalance);
}

function record(reporting) {
  const now = Date.now();
  const sample = { t: now, ops: 0, p99: 0, nodes: {} };
  for (const n of reporting) {
    sample.ops += n.report.opsPerSecond;
    sample.p99 = Math.max(sample.p99, n.report.p99Milliseconds);
    sample.nodes[n.id] = { ops: n.report.opsPerSecond, p99: n.report.p99Milliseconds };
  }
  history.push(sample);
  while (history.length && history[0].t < now - HISTORY_MS - GAP_MS) history.shift();
}

/** Point on the ring at fraction f of the way round, clockwise from the top (slot 0). */
function polar(r, f) {
  const a = f * 2 * Math.PI - Math.PI / 2;
  return [C + r * Math.cos(a), C + r * Math.sin(a)];
}

function arcPath(r, f0, f1) {
  // An SVG arc whose two ends coincide draws nothing, so a whole circle is drawn as two halves.
  if (f1 - f0 >= 1) return arcPath(r, 0, 0.5) + arcPath(r, 0.5, 1);
  const [x0, y0] = polar(r, f0);
  const [x1, y1] = polar(r, f1);
  return `M${x0.toFixed(2)} ${y0.toFixed(2)}A${r} ${r} 0 ${f1 - f0 > 0.5 ? 1 : 0} 1 ${x1.toFixed(2)} ${y1.toFixed(2)}`;
}

function renderRing(doc) {
  const ring = $('ring');
  const slots = doc.slotCount || 16384;
  const nodes = doc.nodes ?? [];
  const arcs = doc.arcs ?? [];
  const down = new Set(nodes.filter(n => n.state !== 'UP').map(n => n.id));

  // With 256 virtual nodes per node the ring has thousands of arcs, most narrower than a pixel: all arcs of a node
  // form one <path> (a stroke of subpaths), rebuilt only when the map changes, not on every poll.
  const key = `${doc.epoch}|${arcs.length}|${nodes.map(n => n.id).join(',')}`;
  if (key !== ringKey) {
    ringKey = key;
    const byNode = new Map();
    for (const arc of arcs) {
      const owner = arc.node ?? '';
      if (!byNode.has(owner)) byNode.set(owner, { parts: [], count: 0 });
      const entry = byNode.get(owner);
      entry.parts.push(arcPath(RING_R, arc.start / slots, (arc.end + 1) / slots));
      entry.count += arc.end - arc.start + 1;
    }
    const patterns = [];
    const paths = [];
    let i = 0;
    for (const [owner, { parts, count }] of byNode) {
      const colour = owner ? nodeColor(owner) : '#3a4654';
      // A DOWN node's arcs are hatched, its colour striped with the red of DOWN: most arcs are narrower than a
      // stripe, so where the node owned slots the ring turns speckled red rather than showing clean hatching.
      patterns.push(svg('pattern', { id: `hatch-${i}`, patternUnits: 'userSpaceOnUse', width: 7, height: 7, patternTransform: 'rotate(45)' },
        svg('rect', { width: 7, height: 7, fill: '#e0474c' }),
        svg('rect', { width: 3, height: 7, fill: colour })));
      paths.push(svg('path', {
        class: 'arc', d: parts.join(''), stroke: colour, 'stroke-width': RING_W,
        'data-node': owner || null, 'data-color': colour, 'data-hatch': `url(#hatch-${i})`,
      }, svg('title', {}, owner ? `${owner}: primary of ${int(count)} slots` : `${int(count)} slots without a primary`)));
      i++;
    }
    ring.replaceChildren(
      svg('defs', {}, patterns),
      svg('circle', { cx: C, cy: C, r: RING_R, fill: 'none', stroke: '#1d2631', 'stroke-width': RING_W }),
      svg('g', { id: 'ring-arcs' }, paths),
      svg('g', { id: 'ring-share' }),
      ticks(slots),
      svg('g', { id: 'ring-centre' }));
  }

  for (const path of ring.querySelectorAll('path.arc')) {
    const isDown = down.has(path.dataset.node);
    path.classList.toggle('down', isDown);
    path.setAttribute('stroke', isDown ? path.dataset.hatch : path.dataset.color);
  }

  // Inner ring: each node's share of the primary slots as one contiguous arc, so proportions read at a glance.
  const share = [];
  let at = 0;
  for (const n of nodes.filter(n => n.primarySlots > 0)) {
    const f = n.primarySlots / slots;
    const isDown = down.has(n.id);
    share.push(svg('path', {
      d: arcPath(SHARE_R, at + 0.002, at + f - 0.002), fill: 'none', 'stroke-width': SHARE_W,
      stroke: isDown ? ring.querySelector(`path.arc[data-node="${CSS.escape(n.id)}"]`)?.dataset.hatch ?? nodeColor(n.id) : nodeColor(n.id),
    }, svg('title', {}, `${n.id}: ${(100 * f).toFixed(1)} % of primary slots`)));
    at += f;
  }
  $('ring-share').replaceChildren(...share);

  $('ring-centre').replaceChildren(
    svg('text', { x: C, y: C - 34, 'text-anchor': 'middle', class: 'centre-label' }, 'epoch'),
    svg('text', { x: C, y: C + 8, 'text-anchor': 'middle', class: 'centre-big', 'data-testid': 'ring-epoch' }, doc.epoch),
    svg('text', { x: C, y: C + 34, 'text-anchor': 'middle', class: 'centre-small' }, `RF ${doc.replicationFactor} · ${nodes.filter(n => n.member).length} members`),
    svg('text', { x: C, y: C + 52, 'text-anchor': 'middle', class: 'centre-small' }, `${int(slots)} slots · ${doc.virtualNodesPerNode} vnodes/node`));

  $('legend').replaceChildren(...nodes.map(n => h('li', { class: n.state === 'UP' ? null : 'down', 'data-node': n.id },
    h('span', { class: 'swatch', style: { background: nodeColor(n.id) } }),
    n.id,
    h('span', { class: 'pct' }, `${(100 * n.primarySlots / slots).toFixed(1)} %`),
    n.state === 'UP' ? null : h('strong', {}, n.state))));
}

function ticks(slots) {
  const group = svg('g', {});
  for (let q = 0; q < 4; q++) {
    const [x0, y0] = polar(RING_R + RING_W / 2 + 2, q / 4);
    const [x1, y1] = polar(RING_R + RING_W / 2 + 8, q / 4);
    const [lx, ly] = polar(RING_R + RING_W / 2 + 18, q / 4);
    group.append(
      svg('line', { class: 'tick', x1: x0, y1: y0, x2: x1, y2: y1 }),
      svg('text', { class: 'tick-label', x: lx, y: ly + 3, 'text-anchor': q === 1 ? 'start' : q === 3 ? 'end' : 'middle' }, q * slots / 4));
  }
  return group;
}

function role(node, rebalance) {
  if (node.leaving) return 'leaving';
  if (node.member) return 'member';
  const gainer = rebalance?.gainers?.find(g => g.id === node.id);
  if (gainer) return gainer.status === 'member' ? 'joining' : gainer.status;
  return rebalance?.target?.includes(node.id) ? 'joining' : 'not in ring';
}

function renderCards(doc) {
  const cards = (doc.nodes ?? []).map(n => {
    const r = n.report;
    const isUp = n.state === 'UP';
    const metric = (label, value, title) => h('div', { title }, h('dt', {}, label), h('dd', {}, r || label.endsWith('slots') ? value : '–'));
    const roleName = role(n, doc.rebalance);
    return h('article', {
      class: isUp ? 'node-card up' : 'node-card down', style: { '--node-color': nodeColor(n.id) },
      'data-testid': 'node-card', 'data-node-id': n.id, 'data-state': n.state,
      'data-keys': r?.keys ?? 0, 'data-ops': r?.opsPerSecond ?? 0, 'data-commands': r?.commandsTotal ?? 0,
    },
    h('header', {},
      h('span', { class: 'swatch', style: { background: nodeColor(n.id) } }),
      h('span', { class: 'name', title: n.id }, n.id),
      h('span', { class: `role ${roleName.replace(/\s/g, '-')}` }, roleName),
      h('span', { class: isUp ? 'badge up' : 'badge down', 'data-testid': 'node-state' }, n.state)),
    h('div', { class: 'address mono' }, `${n.host}:${n.port}`),
    h('dl', { class: 'metrics' },
      metric('primary slots', int(n.primarySlots)),
      metric('replica slots', int(n.replicaSlots)),
      metric('keys', r && int(r.keys), 'Keys stored on this node, as primary or replica'),
      metric('data', r && bytes(r.bytes)),
      metric('ops/s', r && rate(r.opsPerSecond), 'Commands per second over the last heartbeat interval'),
      metric('p99', r && ms(r.p99Milliseconds), '99th percentile command latency over the last heartbeat interval'),
      metric('connections', r && int(r.connections)),
      metric('hints pending', r && int(r.hintsPending), 'Writes held for a replica that did not acknowledge them'),
      metric('memory', r && bytes(r.residentBytes), `Resident set; managed heap ${r ? bytes(r.managedHeapBytes) : '–'}`)),
    h('div', { class: 'age' }, r
      ? `${int(r.commandsTotal)} commands · ${int(r.errorsTotal)} errors · ${isUp ? 'report' : 'last report'} ${age(n.reportAgeMs ?? 0)}`
      : 'no report yet'));
  });
  $('nodes').replaceChildren(...cards);
}

/**
 * The coordinator group as the coordinator that answered sees it (CoordinatorGroupView.cs): a row per coordinator,
 * the leader badged, one that Raft does not reach in the red of a DOWN node. A lone coordinator is "standalone": a
 * group of one that always leads, with no Raft term.
 */
function renderCoordinators(group) {
  const panel = $('coordinators');
  const members = group?.members ?? [];
  const standalone = group?.mode === 'standalone';
  const reachable = members.filter(m => m.reachable === true).length;
  panel.dataset.mode = group?.mode ?? 'unknown';
  panel.dataset.term = group?.term ?? '';
  panel.dataset.leader = group?.leader ?? '';
  $('coordinators-mode').textContent = !group ? 'not reported' : standalone ? 'standalone' : `raft · term ${group.term}`;
  const headline = $('coordinators-leader');
  headline.textContent = !group || standalone ? '' : group.leader ? `${reachable} / ${members.length} reachable` : 'no leader';
  headline.classList.toggle('bad', !!group && (!group.leader || reachable < members.length));

  $('coordinators-list').replaceChildren(...members.map(m => {
    // null: a follower answered about another follower, which it does not talk to (the overview comes from the leader).
    const state = m.reachable === true ? 'reachable' : m.reachable === false ? 'unreachable' : 'unknown';
    const roleName = m.leader ? 'leader' : 'follower';
    return h('article', {
      class: `coord-card ${state}${m.leader ? ' leader' : ''}`,
      'data-testid': 'coordinator', 'data-endpoint': m.endpoint, 'data-role': roleName, 'data-state': state,
    },
    h('span', { class: 'name mono', title: m.endpoint }, m.endpoint),
    h('span', { class: 'detail', title: standalone ? null : `Raft port ${m.raft}` }, standalone ? 'no Raft: it leads alone' : `raft ${m.raft} · ${state}`),
    h('span', { class: `badge ${roleName}`, 'data-testid': 'coordinator-role' }, roleName.toUpperCase()));
  }));

  const majority = Math.floor(members.length / 2) + 1;
  $('coordinators-caption').textContent = !group ? 'The overview carries no coordinator group (an older coordinator).'
    : standalone ? 'A single coordinator without Raft. A group of 3 or 5 keeps the map through the loss of a minority.'
    : `As ${group.self} sees the group. The map changes only while ${majority} of ${members.length} coordinators `
      + 'reach each other; nodes keep serving either way.';
}

function renderCharts(nodes) {
  const ids = nodes.map(n => n.id);
  const perNode = key => ids.map(id => ({
    name: id, colour: nodeColor(id), points: history.filter(s => s.nodes[id]).map(s => [s.t, s.nodes[id][key]]),
  }));
  const latest = history[history.length - 1];
  $('ops-now').textContent = `${rate(latest?.ops)} ops/s`;
  $('p99-now').textContent = `max p99 ${ms(latest?.p99)}`;
  chart($('chart-ops'), [{ name: 'cluster', total: true, points: history.map(s => [s.t, s.ops]) }, ...perNode('ops')], 10, rate);
  chart($('chart-p99'), [{ name: 'max', total: true, points: history.map(s => [s.t, s.p99]) }, ...perNode('p99')], 1, ms);
}

/** Rounds up to 1, 2, 2.5 or 5 times a power of ten, so axis labels are round numbers. */
function niceCeil(v) {
  const e = 10 ** Math.floor(Math.log10(v));
  return [1, 2, 2.5, 5, 10].map(m => m * e).find(m => m >= v);
}

function chart(target, series, minimumTop, format) {
  const [W, H, L, R, T, B] = [800, 200, 56, 10, 26, 22]; // the charts' viewBox (index.html) and margins
  const now = Date.now();
  const x = t => L + ((t - (now - HISTORY_MS)) / HISTORY_MS) * (W - L - R);
  const top = niceCeil(Math.max(minimumTop, ...series.flatMap(s => s.points.map(p => p[1]))));
  const y = v => T + (1 - v / top) * (H - T - B);
  const parts = [svg('defs', {}, svg('clipPath', { id: `${target.id}-clip` }, svg('rect', { x: L, y: 0, width: W - L - R, height: H })))];

  for (let i = 0; i <= 4; i++) {
    const v = (top * i) / 4;
    parts.push(svg('line', { class: 'grid-line', x1: L, x2: W - R, y1: y(v), y2: y(v) }),
      svg('text', { class: 'axis-label', x: L - 6, y: y(v) + 4, 'text-anchor': 'end' }, format(v)));
  }
  for (const [seconds, label] of [[120, '−2 min'], [90, '−90 s'], [60, '−1 min'], [30, '−30 s'], [0, 'now']]) {
    parts.push(svg('text', { class: 'axis-label', x: x(now - seconds * 1000), y: H - 5, 'text-anchor': seconds === 0 ? 'end' : seconds === 120 ? 'start' : 'middle' }, label));
  }

  // Totals last, so they are drawn over the per-node lines.
  const ordered = [...series.filter(s => !s.total), ...series.filter(s => s.total)];
  for (const s of ordered) {
    let d = '';
    let previous = -Infinity;
    for (const [t, v] of s.points) {
      d += `${t - previous > GAP_MS ? 'M' : 'L'}${x(t).toFixed(1)} ${y(v).toFixed(1)}`;
      previous = t;
    }
    if (d) parts.push(svg('path', { class: s.total ? 'series total' : 'series', d, stroke: s.colour, 'clip-path': `url(#${target.id}-clip)` }));
  }

  // Legend across the top: the total in white, then each node in its colour.
  let lx = L;
  for (const s of series) {
    parts.push(svg('line', { class: s.total ? 'series total' : 'series', x1: lx, x2: lx + 14, y1: 10, y2: 10, stroke: s.colour }),
      svg('text', { class: 'axis-label', x: lx + 18, y: 14 }, s.name));
    lx += 30 + 7 * s.name.length;
  }
  if (history.length < 2) parts.push(svg('text', { class: 'empty', x: (W + L) / 2, y: H / 2, 'text-anchor': 'middle' }, 'collecting samples…'));
  target.replaceChildren(...parts);
}

function renderRebalance(r) {
  const panel = $('rebalance');
  panel.dataset.state = r?.state ?? 'unknown';
  $('rebalance-state').textContent = r?.state ?? 'unknown';
  const body = [];
  if (!r || r.state === 'idle') {
    body.push(h('p', { class: 'idle' }, h('strong', {}, 'Idle. '),
      r ? `Nothing is moving; the ring is ${r.members.length ? r.members.join(', ') : 'empty'}.` : 'No status.'));
  } else {
    const fraction = r.slotsToCopy > 0 ? r.slotsCopied / r.slotsToCopy : 1;
    body.push(
      h('div', { class: 'progress', role: 'progressbar', 'aria-valuenow': Math.round(100 * fraction), 'data-testid': 'rebalance-progress' },
        h('div', { style: { width: `${(100 * fraction).toFixed(1)}%` } })),
      h('div', { class: 'progress-line' },
        h('span', {}, `${int(r.slotsCopied)} / ${int(r.slotsToCopy)} slots copied (${(100 * fraction).toFixed(1)} %)`),
        h('span', {}, r.etaSeconds != null ? `ETA ${duration(r.etaSeconds)}` : 'ETA –')),
      h('dl', { class: 'stats' },
        stat('keys moved', int(r.keysMoved)),
        stat('data moved', bytes(r.bytesMoved)),
        stat('rate', `${bytes(r.bytesPerSecond)}/s`),
        stat('elapsed', duration(r.elapsedSeconds)),
        stat('slots settled', `${int(r.slotsSettled)} / ${int(r.slotsMoving)}`),
        stat('transition', `#${r.transitionId}`)),
      h('p', { class: 'idle' }, `${r.members.join(', ') || '(empty)'} → ${(r.target ?? []).join(', ') || '(empty)'}`));
    if (r.gainers?.length) {
      body.push(h('div', { class: 'table-wrap' }, h('table', { class: 'rows' },
        h('thead', {}, h('tr', {}, ['gainer', 'status', 'copied', '', 'keys', 'data', 'finished'].map(c => h('th', {}, c)))),
        h('tbody', {}, r.gainers.map(g => h('tr', { 'data-gainer': g.id },
          h('td', {}, h('span', { class: 'swatch', style: { background: nodeColor(g.id), display: 'inline-block', 'margin-right': '6px' } }), g.id),
          h('td', {}, g.status),
          h('td', {}, `${int(g.slotsCopied)} / ${int(g.slotsToCopy)}`),
          h('td', {}, h('div', { class: 'progress small' }, h('div', { style: { width: `${g.slotsToCopy ? (100 * g.slotsCopied) / g.slotsToCopy : 100}%` } }))),
          h('td', {}, int(g.keys)),
          h('td', {}, bytes(g.bytes)),
          h('td', {}, g.finishedAfterSeconds != null ? `after ${duration(g.finishedAfterSeconds)}` : '–')))))));
    }
  }
  if (r?.last) {
    const l = r.last;
    body.push(h('div', { class: 'summary', 'data-testid': 'rebalance-last' },
      h('strong', {}, `Last rebalance #${l.transitionId}: `),
      l.aborted ? `aborted after ${duration(l.durationSeconds)}; ` : `${int(l.slotsMoved)} slots in ${duration(l.durationSeconds)}; `,
      `${int(l.keysMoved)} keys, ${bytes(l.bytesMoved)} copied`,
      l.gainers?.length ? ` to ${l.gainers.join(', ')}.` : '.'));
  }
  $('rebalance-body').replaceChildren(...body);
}

const stat = (label, value) => h('div', {}, h('dt', {}, label), h('dd', {}, value));

poll();
