#!/usr/bin/env python3
"""A Python client of the gateway built on stubs generated from src/main/proto by grpc_tools.protoc.

Generate the stubs first (Debian's python3-grpc-tools works: it bundles protoc 3.5.1):

    python3 -m grpc_tools.protoc -Isrc/main/proto --python_out=STUBS --grpc_python_out=STUBS \
        src/main/proto/flowsdk/v1/flow.proto

Then, with STUBS given as --stubs, it subscribes to TOPIC/# and publishes two QoS 1 messages: TOPIC/explicit
with priority 0 and a 30 s expiry (both present, though 0 is proto3's default), TOPIC/default with
neither. Prints one JSON object on stdout: the two publish replies and the two deliveries, with field
presence as the generated classes see it. Exits non-zero on any failure.
"""
import argparse
import json
import sys

import grpc

TIMEOUT = 20


def delivered(response):
    if response.WhichOneof("kind") != "delivery":
        raise SystemExit("expected a delivery, got %s" % response)
    m = response.delivery.message
    return {"topic": m.topic, "payload": m.payload.decode("utf-8"),
            "hasPriority": m.HasField("priority"), "priority": m.priority,
            "hasExpiry": m.HasField("message_expiry_seconds"), "expiry": m.message_expiry_seconds}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--stubs", required=True, help="the --python_out directory of grpc_tools.protoc")
    parser.add_argument("--target", required=True)
    parser.add_argument("--token", required=True)
    parser.add_argument("--topic", required=True)
    args = parser.parse_args()
    sys.path.insert(0, args.stubs)
    from flowsdk.v1 import flow_pb2, flow_pb2_grpc

    metadata = (("authorization", "Bearer " + args.token),)
    with grpc.insecure_channel(args.target) as channel:
        flow = flow_pb2_grpc.FlowStub(channel)
        subscription = flow.Subscribe(flow_pb2.SubscribeRequest(subscriptions=[
            flow_pb2.Subscription(filter=args.topic + "/#", qos=flow_pb2.QOS_AT_LEAST_ONCE)]),
            metadata=metadata, timeout=TIMEOUT)
        first = next(subscription)
        if first.WhichOneof("kind") != "subscribed":
            raise SystemExit("expected the subscription confirmed first, got %s" % first)
        explicit = flow_pb2.FlowMessage(topic=args.topic + "/explicit", payload=b"explicit",
                                        qos=flow_pb2.QOS_AT_LEAST_ONCE, priority=0, message_expiry_seconds=30)
        default = flow_pb2.FlowMessage(topic=args.topic + "/default", payload=b"default", qos=flow_pb2.QOS_AT_LEAST_ONCE)
        published = []
        for message in (explicit, default):
            reply = flow.Publish(flow_pb2.PublishRequest(message=message), metadata=metadata, timeout=TIMEOUT)
            published.append({"subscribers": reply.subscribers, "acknowledged": reply.acknowledged})
        deliveries = [delivered(next(subscription)), delivered(next(subscription))]
        subscription.cancel()
    print(json.dumps({"publish": published, "deliveries": deliveries}))


if __name__ == "__main__":
    main()
