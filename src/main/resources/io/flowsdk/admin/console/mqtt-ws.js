// A minimal MQTT 3.1.1 client over WebSocket for the console's "try it" panel: QoS 0 publish and
// subscribe, keep-alive pings, nothing more (a QoS 1/2 message is acknowledged and shown).
'use strict';

const KEEP_ALIVE_SECONDS = 30;

class MqttWs {
  /** onMessage(topic, payloadText) for each PUBLISH; onClose(reason) once the socket closes. */
  constructor(url, options) {
    this.url = url;
    this.options = options;
    this.nextId = 1;
    this.pending = new Map();
    this.received = new Uint8Array(0);
  }

  connect() {
    return new Promise((resolve, reject) => {
      this.connected = { resolve, reject };
      this.socket = new WebSocket(this.url, ['mqtt']);
      this.socket.binaryType = 'arraybuffer';
      this.socket.onopen = () => this.send(0x10, this.connectBody());
      this.socket.onmessage = event => this.receive(new Uint8Array(event.data));
      this.socket.onerror = () => reject(new Error('cannot open ' + this.url));
      this.socket.onclose = event => {
        clearInterval(this.pinger);
        const reason = 'closed (' + event.code + (event.reason ? ' ' + event.reason : '') + ')';
        reject(new Error(reason));
        this.pending.forEach(p => p.reject(new Error(reason)));
        this.options.onClose(reason);
      };
    });
  }

  connectBody() {
    const o = this.options;
    const flags = 0x02 | (o.username ? 0x80 : 0) | (o.password ? 0x40 : 0);
    const parts = [str('MQTT'), [0x04, flags, KEEP_ALIVE_SECONDS >> 8, KEEP_ALIVE_SECONDS & 0xff], str(o.clientId)];
    if (o.username) {
      parts.push(str(o.username));
    }
    if (o.password) {
      parts.push(str(o.password));
    }
    return concat(parts);
  }

  subscribe(filter) {
    const id = this.nextId++;
    this.send(0x82, concat([[id >> 8, id & 0xff], str(filter), [0]]));
    return new Promise((resolve, reject) => this.pending.set(id, { resolve, reject }));
  }

  publish(topic, text) {
    this.send(0x30, concat([str(topic), utf8(text)]));
  }

  close() {
    if (this.socket.readyState === WebSocket.OPEN) {
      this.send(0xe0, new Uint8Array(0));
    }
    this.socket.close();
  }

  send(header, body) {
    if (this.socket.readyState !== WebSocket.OPEN) {
      throw new Error('the connection to ' + this.url + ' is not open');
    }
    this.socket.send(concat([[header], remainingLength(body.length), body]));
  }

  /** Packets may be split across WebSocket messages or share one: keep what is left for the next. */
  receive(bytes) {
    let data = concat([this.received, bytes]);
    for (;;) {
      let length = 0;
      let multiplier = 1;
      let i = 1;
      for (; i < data.length && i <= 4; i++) {
        length += (data[i] & 0x7f) * multiplier;
        multiplier *= 128;
        if ((data[i] & 0x80) === 0) {
          break;
        }
      }
      if (i >= data.length || data.length < i + 1 + length) {
        break;
      }
      this.packet(data[0], data.subarray(i + 1, i + 1 + length));
      data = data.subarray(i + 1 + length);
    }
    this.received = data.slice();
  }

  packet(header, body) {
    switch (header >> 4) {
      case 2: // CONNACK
        if (body[1] === 0) {
          this.pinger = setInterval(() => this.send(0xc0, new Uint8Array(0)), KEEP_ALIVE_SECONDS * 500);
          this.connected.resolve();
        } else {
          this.connected.reject(new Error('the broker refused the connection: CONNACK return code ' + body[1]));
        }
        break;
      case 3: { // PUBLISH
        const qos = (header >> 1) & 3;
        const topicLength = (body[0] << 8) | body[1];
        const topic = new TextDecoder().decode(body.subarray(2, 2 + topicLength));
        const start = 2 + topicLength + (qos > 0 ? 2 : 0);
        if (qos === 1) {
          this.send(0x40, body.subarray(2 + topicLength, start));
        }
        this.options.onMessage(topic, new TextDecoder().decode(body.subarray(start)));
        break;
      }
      case 9: { // SUBACK
        const id = (body[0] << 8) | body[1];
        const waiting = this.pending.get(id);
        this.pending.delete(id);
        if (waiting) {
          body[2] === 0x80 ? waiting.reject(new Error('the broker refused the subscription')) : waiting.resolve();
        }
        break;
      }
      default: // PINGRESP and what a QoS 0 client never asked for
    }
  }
}

function utf8(text) {
  return new TextEncoder().encode(text);
}

function str(text) {
  const bytes = utf8(text);
  return concat([[bytes.length >> 8, bytes.length & 0xff], bytes]);
}

function remainingLength(n) {
  const out = [];
  do {
    let digit = n % 128;
    n = Math.floor(n / 128);
    out.push(n > 0 ? digit | 0x80 : digit);
  } while (n > 0);
  return out;
}

function concat(parts) {
  const total = parts.reduce((sum, p) => sum + p.length, 0);
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
