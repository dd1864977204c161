// The FlowSDK console: polls the admin API (every node's answer), no libraries.
'use strict';

const POLL_MILLIS = 2000;
const HISTORY_POINTS = 150; // 5 minutes at one point per 2 s
const MAX_FILTERS_SHOWN = 8;
const MAX_LOG_LINES = 50;
const COLORS = ['#1f77b4', '#2ca02c', '#9467bd', '#8c564b', '#17becf', '#e377c2', '#bcbd22', '#7f7f7f', '#ff7f0e', '#d62728'];

const tokenInput = document.getElementById('token');
tokenInput.value = localStorage.getItem('flowsdk.token') || '';
tokenInput.addEventListener('change', () => localStorage.setItem('flowsdk.token', tokenInput.value));

function api(method, path) {
  const headers = tokenInput.value ? { Authorization: 'Bearer ' + tokenInput.value } : {};
  return fetch(path, { method, headers }).then(r => r.json().then(body => {
    if (!r.ok) {
      throw new Error(r.status + ' ' + body.error + ': ' + body.message);
    }
    return body;
  }));
}

function text(value) {
  const span = document.createElement('span');
  span.textContent = value == null ? '' : String(value);
  return span.innerHTML;
}

function shortNode(id) {
  return String(id).substring(0, 8);
}

/** Lines over the last HISTORY_POINTS polls, one per key, the legend showing each line's latest value. */
class RateChart {
  constructor(canvasId, legendId) {
    this.canvas = document.getElementById(canvasId);
    this.legend = document.getElementById(legendId);
    this.series = new Map();
  }

  /** Adds one point to every line: rates is a Map of key to msg/s; a line not in it gets 0. */
  push(rates) {
    rates.forEach((v, key) => {
      if (!this.series.has(key)) {
        this.series.set(key, { color: COLORS[this.series.size % COLORS.length], points: [] });
      }
    });
    this.series.forEach((s, key) => {
      s.points.push(rates.get(key) || 0);
      if (s.points.length > HISTORY_POINTS) {
        s.points.shift();
      }
    });
    this.draw();
  }

  draw() {
    const g = this.canvas.getContext('2d');
    const { width, height } = this.canvas;
    g.clearRect(0, 0, width, height);
    const max = Math.max(1, ...[...this.series.values()].flatMap(s => s.points));
    g.fillStyle = '#6b7280';
    g.fillText(max.toFixed(1) + ' msg/s', 4, 12);
    this.series.forEach(s => {
      g.strokeStyle = s.color;
      g.beginPath();
      s.points.forEach((v, x) => {
        const px = (x / (HISTORY_POINTS - 1)) * width;
        const py = height - (v / max) * (height - 20);
        x === 0 ? g.moveTo(px, py) : g.lineTo(px, py);
      });
      g.stroke();
    });
    this.legend.innerHTML = [...this.series.entries()].map(([key, s]) => '<li data-series="' + text(key)
      + '" data-rate="' + s.points[s.points.length - 1].toFixed(3) + '"><span style="background:' + s.color + '"></span>'
      + text(key) + ' <b>' + s.points[s.points.length - 1].toFixed(1) + '</b></li>').join('');
  }
}

const nodeChart = new RateChart('node-rates', 'node-legend');
const adapterChart = new RateChart('adapter-rates', 'adapter-legend');
let previousTraffic = new Map(); // node id -> its last answer

function rate(now, before, seconds) {
  return before === undefined || seconds <= 0 ? 0 : Math.max(0, (now - before) / seconds);
}

/** Rates per node (bus in / out) and per adapter (summed over the nodes), drops and errors per reason. */
function pollTraffic() {
  return api('GET', '/api/metrics/traffic').then(answer => {
    const perNode = new Map();
    const perAdapter = new Map();
    const problems = [];
    const seen = new Map();
    for (const entry of answer.nodes) {
      if (!entry.result) {
        continue;
      }
      const now = entry.result;
      const before = previousTraffic.get(entry.node);
      const seconds = before ? (now.at - before.at) / 1000 : 0;
      const old = kind => new Map(before ? before[kind].map(a => [a.adapter + '/' + a.reason, a.count]) : []);
      for (const a of now.adapters) {
        const was = before && before.adapters.find(b => b.adapter === a.adapter);
        const rIn = rate(a.in, was && was.in, seconds);
        const rOut = rate(a.out, was && was.out, seconds);
        if (a.adapter === 'bus') {
          perNode.set(shortNode(entry.node) + ' in', rIn);
          perNode.set(shortNode(entry.node) + ' out', rOut);
        } else {
          perAdapter.set(a.adapter + ' in', (perAdapter.get(a.adapter + ' in') || 0) + rIn);
          perAdapter.set(a.adapter + ' out', (perAdapter.get(a.adapter + ' out') || 0) + rOut);
        }
      }
      for (const kind of ['drops', 'errors']) {
        const counts = old(kind);
        for (const p of now[kind]) {
          problems.push({ node: entry.node, kind, adapter: p.adapter, reason: p.reason, count: p.count,
            rate: rate(p.count, counts.get(p.adapter + '/' + p.reason), seconds) });
        }
      }
      seen.set(entry.node, now);
    }
    previousTraffic = seen;
    nodeChart.push(perNode);
    adapterChart.push(perAdapter);
    document.querySelector('#problems tbody').innerHTML = problems.length === 0
      ? '<tr><td colspan="5">none</td></tr>'
      : problems.map(p => '<tr class="' + p.kind + '"><td>' + text(shortNode(p.node)) + '</td><td>' + text(p.adapter)
        + '</td><td>' + text(p.kind === 'drops' ? 'dropped: ' : 'error: ') + text(p.reason) + '</td><td>' + p.count
        + '</td><td>' + p.rate.toFixed(1) + '</td></tr>').join('');
  });
}

function pollClients() {
  const clients = api('GET', '/api/mqtt/clients?limit=100').then(page => {
    const rows = page.items.map(c => '<tr><td>' + text(c.clientId) + '</td><td>' + text(shortNode(c.node))
      + '</td><td>' + c.mqttVersion + '</td><td>' + text(c.remoteAddress) + '</td><td>' + c.subscriptionCount
      + '</td><td>' + c.queued + '</td><td><button data-client="' + text(c.clientId) + '">disconnect</button></td></tr>');
    document.querySelector('#clients tbody').innerHTML = rows.join('');
    return page.total;
  });
  const sessions = api('GET', '/api/mqtt/sessions?limit=1').then(page => page.total);
  return Promise.all([clients, sessions]).then(([connected, all]) => {
    document.querySelector('#gauges tbody').innerHTML = '<tr><td>MQTT clients connected</td><td>' + connected
      + '</td></tr><tr><td>MQTT sessions</td><td>' + all + '</td></tr>';
  });
}

document.querySelector('#clients tbody').addEventListener('click', event => {
  const id = event.target.dataset.client;
  if (id) {
    api('POST', '/api/mqtt/clients/' + encodeURIComponent(id) + '/disconnect').then(pollClients).catch(showError);
  }
});

const SVG = 'http://www.w3.org/2000/svg';

function svg(name, attributes, content) {
  const element = document.createElementNS(SVG, name);
  Object.entries(attributes).forEach(([k, v]) => element.setAttribute(k, v));
  if (content !== undefined) {
    element.textContent = content;
  }
  return element;
}

/** Each node a box listing the filters it subscribes to, every box joined to the flow bus below them. */
function drawTopology(cluster, routes) {
  const filters = new Map(routes.nodes.map(n => [n.node, n]));
  const box = { width: 200, gap: 20, line: 16 };
  const tallest = Math.max(1, ...routes.nodes.map(n => n.result ? Math.min(n.result.filters.length, MAX_FILTERS_SHOWN + 1) : 1));
  const boxHeight = 44 + tallest * box.line;
  const busY = boxHeight + 40;
  const picture = document.getElementById('topology');
  picture.setAttribute('width', Math.max(900, cluster.members.length * (box.width + box.gap) + box.gap));
  picture.setAttribute('height', busY + 40);
  picture.replaceChildren();
  picture.appendChild(svg('rect', { x: box.gap, y: busY, width: cluster.members.length * (box.width + box.gap) - box.gap,
    height: 24, rx: 4, fill: '#1d2330' }));
  picture.appendChild(svg('text', { x: box.gap + 8, y: busY + 16, fill: '#fff' },
    'flow bus' + (cluster.clustered ? ' (Hazelcast cluster ' + (cluster.name || '') + ')' : ' (not clustered)')));
  cluster.members.forEach((m, i) => {
    const x = box.gap + i * (box.width + box.gap);
    const group = svg('g', { class: 'node', 'data-node': m.node });
    group.appendChild(svg('line', { x1: x + box.width / 2, y1: boxHeight + 10, x2: x + box.width / 2, y2: busY, stroke: '#6b7280' }));
    group.appendChild(svg('rect', { x, y: 10, width: box.width, height: boxHeight, rx: 6, fill: m.local ? '#e8f0fe' : '#fff',
      stroke: '#1d2330' }));
    group.appendChild(svg('text', { x: x + 8, y: 28, 'font-weight': 'bold' }, shortNode(m.node) + (m.local ? ' (this node)' : '')));
    group.appendChild(svg('text', { x: x + 8, y: 44, fill: '#6b7280' }, m.address || 'standalone'));
    const answer = filters.get(m.node);
    const lines = !answer ? ['(no answer)'] : answer.error ? [answer.error.error + ': ' + answer.error.message]
      : answer.result.filters.length <= MAX_FILTERS_SHOWN ? answer.result.filters
        : answer.result.filters.slice(0, MAX_FILTERS_SHOWN).concat(['+' + (answer.result.filters.length - MAX_FILTERS_SHOWN) + ' more']);
    lines.forEach((line, j) => group.appendChild(svg('text', { x: x + 8, y: 62 + j * box.line, class: 'filter',
      fill: answer && answer.error ? '#d62728' : '#1d2330' }, line)));
    if (lines.length === 0) {
      group.appendChild(svg('text', { x: x + 8, y: 62, fill: '#6b7280' }, 'no routes'));
    }
    picture.appendChild(group);
  });
}

function pollTopology() {
  return Promise.all([api('GET', '/api/cluster'), api('GET', '/api/bus/routes')]).then(([c, r]) => drawTopology(c, r));
}

function showError(e) {
  const status = document.getElementById('status');
  status.textContent = e.message;
  status.className = 'error';
}

function tick() {
  Promise.all([pollTraffic(), pollClients(), pollTopology()]).then(() => {
    const status = document.getElementById('status');
    status.textContent = 'updated ' + new Date().toLocaleTimeString();
    status.className = '';
  }).catch(showError);
}

// the "try it" panel
const tryUrl = document.getElementById('tryit-url');
tryUrl.value = localStorage.getItem('flowsdk.tryit.url') || 'ws://' + (location.hostname || '127.0.0.1') + ':8083/mqtt';
let tryClient = null;

function log(line) {
  const list = document.getElementById('tryit-log');
  const item = document.createElement('li');
  item.textContent = line;
  list.prepend(item);
  while (list.children.length > MAX_LOG_LINES) {
    list.lastChild.remove();
  }
}

document.getElementById('tryit-connect').addEventListener('submit', event => {
  event.preventDefault();
  localStorage.setItem('flowsdk.tryit.url', tryUrl.value);
  if (tryClient) {
    tryClient.close();
  }
  const filter = document.getElementById('tryit-filter').value;
  const client = new MqttWs(tryUrl.value, {
    clientId: 'flowsdk-console-' + Math.random().toString(16).substring(2, 10),
    username: document.getElementById('tryit-user').value,
    password: document.getElementById('tryit-password').value,
    onMessage: (topic, payload) => log('received ' + topic + ' ' + payload),
    onClose: reason => log('connection ' + reason),
  });
  tryClient = client;
  client.connect().then(() => client.subscribe(filter)).then(() => log('subscribed to ' + filter))
    .catch(e => log('failed: ' + e.message));
});

document.getElementById('tryit-publish').addEventListener('submit', event => {
  event.preventDefault();
  if (!tryClient) {
    log('subscribe first: that opens the connection');
    return;
  }
  const topic = document.getElementById('tryit-topic').value;
  try {
    tryClient.publish(topic, document.getElementById('tryit-message').value);
    log('published to ' + topic);
  } catch (e) {
    log('not published: ' + e.message);
  }
});

// every handler is attached: a click from now on reaches them (tests wait for this mark, not a guessed delay)
document.documentElement.dataset.ready = 'true';
tick();
setInterval(tick, POLL_MILLIS);
