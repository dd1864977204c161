// The FlowSDK console: polls this node's Prometheus endpoint and admin API, no libraries.
'use strict';

const POLL_MILLIS = 2000;
const HISTORY_POINTS = 150; // 5 minutes at one point per 2 s

// counters drawn as rates: every series of the meter summed
const RATES = [
  { meter: 'flowsdk_bus_published_total', label: 'bus published', color: '#1f77b4' },
  { meter: 'flowsdk_bus_delivered_total', label: 'bus delivered', color: '#2ca02c' },
  { meter: 'flowsdk_mqtt_broker_received_total', label: 'MQTT in', color: '#9467bd' },
  { meter: 'flowsdk_mqtt_broker_sent_total', label: 'MQTT out', color: '#8c564b' },
  { meter: 'flowsdk_bus_dropped_total', label: 'bus dropped', color: '#d62728' },
  { meter: 'flowsdk_mqtt_broker_dropped_total', label: 'MQTT dropped', color: '#ff7f0e' },
];
const GAUGES = [
  { meter: 'flowsdk_mqtt_broker_connections', label: 'MQTT connections' },
  { meter: 'flowsdk_mqtt_broker_sessions', label: 'MQTT sessions' },
];

const history = RATES.map(() => []);
let previous = null;
let metricsPath = '/metrics';

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

/** Sums the samples of each meter in Prometheus text (every label set of one name added up). */
function sums(text) {
  const totals = {};
  for (const line of text.split('\n')) {
    if (line.startsWith('#') || line.length === 0) {
      continue;
    }
    const name = line.split(/[{ ]/, 1)[0];
    const value = parseFloat(line.substring(line.lastIndexOf(' ') + 1));
    if (!Number.isNaN(value)) {
      totals[name] = (totals[name] || 0) + value;
    }
  }
  return totals;
}

function pollMetrics() {
  return fetch(metricsPath).then(r => r.text()).then(text => {
    const now = { at: Date.now(), totals: sums(text) };
    if (previous) {
      const seconds = (now.at - previous.at) / 1000;
      RATES.forEach((r, i) => {
        const delta = (now.totals[r.meter] || 0) - (previous.totals[r.meter] || 0);
        history[i].push(Math.max(0, delta / seconds));
        if (history[i].length > HISTORY_POINTS) {
          history[i].shift();
        }
      });
    }
    previous = now;
    drawRates();
    const rows = GAUGES.map(g => '<tr><td>' + g.label + '</td><td>' + (now.totals[g.meter] || 0) + '</td></tr>');
    document.querySelector('#gauges tbody').innerHTML = rows.join('');
  });
}

function drawRates() {
  const canvas = document.getElementById('rates');
  const g = canvas.getContext('2d');
  g.clearRect(0, 0, canvas.width, canvas.height);
  const max = Math.max(1, ...history.flat());
  g.fillStyle = '#6b7280';
  g.fillText(max.toFixed(1) + ' msg/s', 4, 12);
  RATES.forEach((r, i) => {
    g.strokeStyle = r.color;
    g.beginPath();
    history[i].forEach((v, x) => {
      const px = (x / (HISTORY_POINTS - 1)) * canvas.width;
      const py = canvas.height - (v / max) * (canvas.height - 20);
      x === 0 ? g.moveTo(px, py) : g.lineTo(px, py);
    });
    g.stroke();
  });
}

function text(value) {
  const span = document.createElement('span');
  span.textContent = value == null ? '' : String(value);
  return span.innerHTML;
}

function pollAdmin() {
  const clients = api('GET', '/api/mqtt/clients?limit=100').then(page => {
    const rows = page.items.map(c => '<tr><td>' + text(c.clientId) + '</td><td>' + text(c.node).substring(0, 8)
      + '</td><td>' + c.mqttVersion + '</td><td>' + text(c.remoteAddress) + '</td><td>' + c.subscriptionCount
      + '</td><td>' + c.queued + '</td><td><button data-client="' + text(c.clientId) + '">disconnect</button></td></tr>');
    document.querySelector('#clients tbody').innerHTML = rows.join('');
  });
  const members = api('GET', '/api/cluster').then(cluster => {
    document.getElementById('members').innerHTML = cluster.members.map(m => '<li>' + text(m.node)
      + (m.local ? ' (this node)' : '') + (m.address ? ' ' + text(m.address) : '') + '</li>').join('');
  });
  return Promise.all([clients, members]);
}

document.querySelector('#clients tbody').addEventListener('click', event => {
  const id = event.target.dataset.client;
  if (id) {
    api('POST', '/api/mqtt/clients/' + encodeURIComponent(id) + '/disconnect').then(pollAdmin).catch(showError);
  }
});

function showError(e) {
  const status = document.getElementById('status');
  status.textContent = e.message;
  status.className = 'error';
}

function tick() {
  Promise.all([pollMetrics(), pollAdmin()]).then(() => {
    const status = document.getElementById('status');
    status.textContent = 'updated ' + new Date().toLocaleTimeString();
    status.className = '';
  }).catch(showError);
}

document.getElementById('legend').innerHTML = RATES.map(r => '<li><span style="background:' + r.color + '"></span>'
  + r.label + '</li>').join('');
fetch('config.json').then(r => r.json()).then(config => {
  metricsPath = config.metricsPath;
  tick();
  setInterval(tick, POLL_MILLIS);
});
