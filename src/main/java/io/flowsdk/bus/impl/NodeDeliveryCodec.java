package io.flowsdk.bus.impl;

import io.flowsdk.bus.FlowOrigin;
import io.vertx.core.buffer.Buffer;

import java.util.ArrayList;
import java.util.List;

/**
 * Event-bus codec of {@link NodeDelivery}: source node, varint delivery id, target flags, shared
 * filters, the owner passed over (a flag, then its node, adapter and client), message.
 */
final class NodeDeliveryCodec extends ImmutableCodec<NodeDelivery> {

  static final String NAME = "flowsdk.NodeDelivery";

  NodeDeliveryCodec() {
    super(NAME);
  }

  @Override
  public void encodeToWire(Buffer out, NodeDelivery d) {
    Wire.writeString(out, d.sourceNode);
    Wire.writeVarint(out, d.deliveryId);
    out.appendByte((byte) (d.toAllSubscribers ? 1 : 0));
    Wire.writeVarint(out, d.sharedFilters.size());
    for (String f : d.sharedFilters) {
      Wire.writeString(out, f);
    }
    out.appendByte((byte) (d.exceptOwner == null ? 0 : 1));
    if (d.exceptOwner != null) {
      Wire.writeString(out, d.exceptOwner.node());
      Wire.writeString(out, d.exceptOwner.adapter());
      Wire.writeString(out, d.exceptOwner.client());
    }
    FlowMessageCodec.write(out, d.message);
  }

  @Override
  public NodeDelivery decodeFromWire(int pos, Buffer in) {
    Wire.Reader r = new Wire.Reader(in, pos);
    String source = r.readString();
    long id = r.readVarint();
    boolean all = r.readByte() != 0;
    int n = r.readCount();
    List<String> shared = new ArrayList<>(Math.min(n, 16));
    for (int i = 0; i < n; i++) {
      shared.add(r.readString());
    }
    FlowOrigin except = r.readByte() == 0 ? null : new FlowOrigin(r.readString(), r.readString(), r.readString());
    return new NodeDelivery(FlowMessageCodec.read(r), source, id, all, shared, except);
  }
}
