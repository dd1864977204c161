"""Debian's python3-paho-mqtt (Paho Python 1.6) against a FlowSDK broker: one scenario per run.

    python3 paho_broker_interop.py --port P --version {5,311} SCENARIO

SCENARIO is qos, retained, will, session, alias or properties (the last two MQTT 5 only). Prints one JSON
object (what the clients saw) on the last line; exits non-zero when something it waits for does not come
within 10 s.
"""
import argparse
import json
import sys
import threading

import paho.mqtt.client as mqtt
from paho.mqtt.packettypes import PacketTypes
from paho.mqtt.properties import Properties
from paho.mqtt.subscribeoptions import SubscribeOptions

WAIT = 10


class Client:
    """A Paho client on its own network thread; connect() returns once a successful CONNACK came."""

    def __init__(self, args, client_id, will=None, persistent=False):
        self.args = args
        self.v5 = args.version == "5"
        self.persistent = persistent
        self.messages = []
        self.arrived = threading.Condition()
        self.subacks = {}
        if self.v5:
            self.client = mqtt.Client(client_id=client_id, protocol=mqtt.MQTTv5)
        else:
            self.client = mqtt.Client(client_id=client_id, protocol=mqtt.MQTTv311, clean_session=not persistent)
        if will:
            self.client.will_set(will[0], will[1], qos=1)
        self.client.on_message = self._on_message
        self.client.on_subscribe = self._on_subscribe
        self.client.on_connect = self._on_connect
        self.connected = threading.Event()
        self.session_present = None

    def _on_connect(self, client, userdata, flags, rc, properties=None):
        if rc == 0:
            self.session_present = bool(flags["session present"])
            self.connected.set()

    def connect(self, clean_start=True):
        """Connects; a persistent client asks for a session kept 300 s (3.1.1: clean session 0)."""
        if self.v5:
            properties = None
            if self.persistent:
                properties = Properties(PacketTypes.CONNECT)
                properties.SessionExpiryInterval = 300
            self.client.connect("127.0.0.1", self.args.port, keepalive=30, clean_start=clean_start,
                                properties=properties)
        else:
            self.client.connect("127.0.0.1", self.args.port, keepalive=30)
        self.client.loop_start()
        require(self.connected.wait(WAIT), "no successful CONNACK for " + self.client._client_id.decode())
        return self

    def _on_message(self, client, userdata, msg):
        seen = {"topic": msg.topic, "payload": msg.payload.decode(), "qos": msg.qos, "retain": bool(msg.retain)}
        props = getattr(msg, "properties", None)
        if props is not None:
            if hasattr(props, "UserProperty"):
                seen["userProperties"] = [list(p) for p in props.UserProperty]
            if hasattr(props, "ResponseTopic"):
                seen["responseTopic"] = props.ResponseTopic
            if hasattr(props, "CorrelationData"):
                seen["correlationData"] = props.CorrelationData.decode()
        with self.arrived:
            self.messages.append(seen)
            self.arrived.notify_all()

    def _on_subscribe(self, client, userdata, mid, granted, properties=None):
        with self.arrived:
            self.subacks[mid] = [g.value if hasattr(g, "value") else g for g in granted]
            self.arrived.notify_all()

    def subscribe(self, topic, qos):
        if self.v5:
            result, mid = self.client.subscribe(topic, options=SubscribeOptions(qos=qos))
        else:
            result, mid = self.client.subscribe(topic, qos=qos)
        require(result == mqtt.MQTT_ERR_SUCCESS, "SUBSCRIBE not sent")
        with self.arrived:
            require(self.arrived.wait_for(lambda: mid in self.subacks, WAIT), "no SUBACK")
            return self.subacks[mid]

    def publish(self, topic, payload, qos, retain=False, properties=None):
        info = self.client.publish(topic, payload, qos=qos, retain=retain, properties=properties)
        info.wait_for_publish(WAIT)
        require(info.is_published(), "PUBLISH to " + topic + " not acknowledged")

    def wait_for(self, payload):
        """Every message received up to and including the first with payload."""
        with self.arrived:
            require(self.arrived.wait_for(lambda: any(m["payload"] == payload for m in self.messages), WAIT),
                    "'" + payload + "' did not arrive; got " + json.dumps(self.messages))
            return list(self.messages)

    def disconnect(self):
        self.client.disconnect()
        self.client.loop_stop()

    def cut(self):
        """Ends the connection without DISCONNECT, as a crashed client would."""
        self.client.loop_stop()
        self.client.socket().close()


def require(condition, why):
    if not condition:
        print(why, file=sys.stderr)
        sys.exit(1)


def summary(messages):
    return [m["payload"] + "@" + str(m["qos"]) for m in messages]


def qos(args):
    """Each QoS end to end, then 50 QoS 2 messages: each arrives once, in order, at its QoS."""
    sub = Client(args, "py-qos-sub").connect()
    granted = sub.subscribe("py/qos", qos=2)
    pub = Client(args, "py-qos-pub").connect()
    for level in (0, 1, 2):
        pub.publish("py/qos", "q%d" % level, qos=level)
    for i in range(50):
        pub.publish("py/qos", "m%d" % i, qos=2)
    pub.publish("py/qos", "marker", qos=2)  # a duplicate of any earlier one would come before it
    got = sub.wait_for("marker")
    pub.disconnect()
    sub.disconnect()
    return {"granted": granted, "received": summary(got)}


def retained(args):
    """Set, replace, clear: a later subscriber gets only what is retained at that moment, with RETAIN set."""
    pub = Client(args, "py-retain-pub").connect()
    pub.publish("py/retained/a", "first", qos=1, retain=True)
    pub.publish("py/retained/a", "kept", qos=1, retain=True)
    first = Client(args, "py-retain-first").connect()
    first.subscribe("py/retained/a", qos=1)
    first_got = first.wait_for("kept")
    pub.publish("py/retained/a", "", qos=1, retain=True)  # clears it
    pub.publish("py/retained/z", "marker", qos=1, retain=True)
    second = Client(args, "py-retain-second").connect()
    second.subscribe("py/retained/#", qos=1)
    second_got = second.wait_for("marker")
    pub.publish("py/retained/z", "", qos=1, retain=True)
    for c in (pub, first, second):
        c.disconnect()
    return {"first": [(m["topic"], m["payload"], m["retain"]) for m in first_got],
            "second": [(m["topic"], m["payload"], m["retain"]) for m in second_got]}


def will(args):
    """A normal DISCONNECT sends no will; a cut connection does."""
    sub = Client(args, "py-will-sub").connect()
    sub.subscribe("py/will", qos=1)
    polite = Client(args, "py-will-polite", will=("py/will", "polite-will")).connect()
    polite.disconnect()
    crashed = Client(args, "py-will-crashed", will=("py/will", "crashed-will")).connect()
    crashed.cut()
    got = sub.wait_for("crashed-will")
    sub.disconnect()
    return {"received": [m["payload"] for m in got]}


def session(args):
    """A persistent session keeps its subscription and the QoS 1/2 messages published while it was away."""
    away = Client(args, "py-session", persistent=True).connect(clean_start=True)
    away.subscribe("py/session", qos=2)
    away.disconnect()
    pub = Client(args, "py-session-pub").connect()
    pub.publish("py/session", "while-away-0", qos=0)  # QoS 0 is not queued for an absent client
    pub.publish("py/session", "while-away-1", qos=1)
    pub.publish("py/session", "while-away-2", qos=2)
    back = Client(args, "py-session", persistent=True).connect(clean_start=False)
    queued = back.wait_for("while-away-2")
    pub.publish("py/session", "live", qos=1)
    got = back.wait_for("live")
    pub.disconnect()
    back.disconnect()
    Client(args, "py-session").connect(clean_start=True).disconnect()  # ends the session
    return {"sessionPresent": back.session_present, "queued": summary(queued), "received": summary(got)}


def alias(args):
    """A topic alias the client sets on its first PUBLISH stands for the topic on the next ones."""
    sub = Client(args, "py-alias-sub").connect()
    sub.subscribe("py/alias/#", qos=1)
    pub = Client(args, "py-alias-pub").connect()
    for payload, topic in (("named", "py/alias/long/topic"), ("aliased-1", ""), ("aliased-2", "")):
        properties = Properties(PacketTypes.PUBLISH)
        properties.TopicAlias = 1
        pub.publish(topic, payload, qos=1, properties=properties)
    got = sub.wait_for("aliased-2")
    pub.disconnect()
    sub.disconnect()
    return {"received": [m["topic"] + " " + m["payload"] for m in got]}


def properties(args):
    """User properties, the response topic and correlation data reach the subscriber untouched."""
    sub = Client(args, "py-props-sub").connect()
    sub.subscribe("py/props", qos=1)
    pub = Client(args, "py-props-pub").connect()
    props = Properties(PacketTypes.PUBLISH)
    props.UserProperty = [("trace", "t-1"), ("trace", "t-2"), ("unit", "°C")]
    props.ResponseTopic = "py/props/reply"
    props.CorrelationData = b"corr-7"
    pub.publish("py/props", "request", qos=1, properties=props)
    got = sub.wait_for("request")
    pub.disconnect()
    sub.disconnect()
    return {"received": got}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--version", choices=["5", "311"], required=True)
    parser.add_argument("scenario", choices=["qos", "retained", "will", "session", "alias", "properties"])
    args = parser.parse_args()
    print(json.dumps(globals()[args.scenario](args), ensure_ascii=False))


if __name__ == "__main__":
    main()
