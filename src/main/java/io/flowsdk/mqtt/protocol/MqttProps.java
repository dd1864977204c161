package io.flowsdk.mqtt.protocol;

import io.flowsdk.bus.FlowHeader;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Reading and writing MQTT 5 properties of Netty's codec in our own types; shared by the MQTT client,
 * its bridge and the broker.
 */
public final class MqttProps {

  private MqttProps() {
  }

  public static Integer integer(MqttProperties props, int id) {
    MqttProperties.MqttProperty<?> p = props.getProperty(id);
    return p == null ? null : (Integer) p.value();
  }

  public static int integer(MqttProperties props, int id, int absent) {
    Integer v = integer(props, id);
    return v == null ? absent : v;
  }

  /** Four-byte integers are unsigned on the wire but held in an int by Netty. */
  public static long unsigned(MqttProperties props, int id, long absent) {
    Integer v = integer(props, id);
    return v == null ? absent : Integer.toUnsignedLong(v);
  }

  public static String string(MqttProperties props, int id) {
    MqttProperties.MqttProperty<?> p = props.getProperty(id);
    return p == null ? null : (String) p.value();
  }

  public static Buffer binary(MqttProperties props, int id) {
    MqttProperties.MqttProperty<?> p = props.getProperty(id);
    return p == null ? null : Buffer.buffer((byte[]) p.value());
  }

  public static List<FlowHeader> userProperties(MqttProperties props) {
    List<? extends MqttProperties.MqttProperty> list = props.getProperties(MqttProperties.USER_PROPERTY);
    if (list.isEmpty()) {
      return Collections.emptyList();
    }
    List<FlowHeader> headers = new ArrayList<>(list.size());
    for (MqttProperties.MqttProperty<?> p : list) {
      Object v = p.value();
      if (v instanceof MqttProperties.StringPair) {
        MqttProperties.StringPair pair = (MqttProperties.StringPair) v;
        headers.add(new FlowHeader(pair.key, pair.value));
      } else if (v instanceof List) {
        for (Object o : (List<?>) v) {
          MqttProperties.StringPair pair = (MqttProperties.StringPair) o;
          headers.add(new FlowHeader(pair.key, pair.value));
        }
      }
    }
    return Collections.unmodifiableList(headers);
  }

  public static List<Integer> subscriptionIds(MqttProperties props) {
    List<? extends MqttProperties.MqttProperty> list = props.getProperties(MqttProperties.SUBSCRIPTION_IDENTIFIER);
    if (list.isEmpty()) {
      return Collections.emptyList();
    }
    List<Integer> ids = new ArrayList<>(list.size());
    for (MqttProperties.MqttProperty<?> p : list) {
      ids.add((Integer) p.value());
    }
    return Collections.unmodifiableList(ids);
  }

  public static void putInt(MqttProperties props, int id, int value) {
    props.add(new MqttProperties.IntegerProperty(id, value));
  }

  public static void putString(MqttProperties props, int id, String value) {
    if (value != null) {
      props.add(new MqttProperties.StringProperty(id, value));
    }
  }

  public static void putBinary(MqttProperties props, int id, Buffer value) {
    if (value != null) {
      props.add(new MqttProperties.BinaryProperty(id, value.getBytes()));
    }
  }

  public static void putUser(MqttProperties props, List<FlowHeader> headers) {
    for (FlowHeader h : headers) {
      props.add(new MqttProperties.UserProperty(h.name(), h.value()));
    }
  }

  public static void putUser(MqttProperties props, JsonObject headers) {
    headers.forEach(e -> props.add(new MqttProperties.UserProperty(e.getKey(), (String) e.getValue())));
  }

  public static String reasonString(MqttProperties props) {
    return string(props, MqttProperties.REASON_STRING);
  }
}
