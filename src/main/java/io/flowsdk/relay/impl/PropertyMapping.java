package io.flowsdk.relay.impl;

import io.flowsdk.FlowError;
import io.flowsdk.FlowException;
import io.flowsdk.relay.proto.v5.Property;
import io.flowsdk.relay.proto.v5.UserProperty;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttProperties.BinaryProperty;
import io.netty.handler.codec.mqtt.MqttProperties.IntegerProperty;
import io.netty.handler.codec.mqtt.MqttProperties.MqttProperty;
import io.netty.handler.codec.mqtt.MqttProperties.StringPair;
import io.netty.handler.codec.mqtt.MqttProperties.StringProperty;

import java.util.ArrayList;
import java.util.List;

import static io.netty.handler.codec.mqtt.MqttProperties.*;

/**
 * MQTT 5 properties between Netty's codec and {@code mqttv5.Property}. Every property the standard
 * defines has its own field, so nothing is lost; four-byte integers keep their unsigned bits in the
 * proto's uint32. The byte-valued flags (payload format, request problem/response information, the
 * "available" flags) travel as bools, as in FlowSDK's proto: a value other than 0 or 1, a protocol error
 * the bool cannot carry, is refused here (the session ends) rather than passed on as 1.
 */
final class PropertyMapping {

  private PropertyMapping() {
  }

  static List<Property> properties(MqttProperties props) {
    if (props == null) { // not isEmpty(): Netty's ignores user properties and subscription identifiers
      return List.of();
    }
    List<Property> out = new ArrayList<>();
    for (MqttProperty<?> p : props.listAll()) {
      Object value = p.value();
      if (value instanceof List) {
        for (Object pair : (List<?>) value) {
          out.add(userProperty((StringPair) pair));
        }
      } else if (value instanceof StringPair) {
        out.add(userProperty((StringPair) value));
      } else {
        out.add(property(p.propertyId(), value));
      }
    }
    return out;
  }

  private static Property userProperty(StringPair pair) {
    return Property.newBuilder()
      .setUserProperty(UserProperty.newBuilder().setKey(pair.key).setValue(pair.value))
      .build();
  }

  private static Property property(int id, Object v) {
    Property.Builder b = Property.newBuilder();
    switch (id) {
      case PAYLOAD_FORMAT_INDICATOR: return b.setPayloadFormatIndicator(flag(id, v)).build();
      case PUBLICATION_EXPIRY_INTERVAL: return b.setMessageExpiryInterval((Integer) v).build();
      case CONTENT_TYPE: return b.setContentType((String) v).build();
      case RESPONSE_TOPIC: return b.setResponseTopic((String) v).build();
      case CORRELATION_DATA: return b.setCorrelationData(Bytes.of((byte[]) v)).build();
      case SUBSCRIPTION_IDENTIFIER: return b.setSubscriptionIdentifier((Integer) v).build();
      case SESSION_EXPIRY_INTERVAL: return b.setSessionExpiryInterval((Integer) v).build();
      case ASSIGNED_CLIENT_IDENTIFIER: return b.setAssignedClientIdentifier((String) v).build();
      case SERVER_KEEP_ALIVE: return b.setServerKeepAlive((Integer) v).build();
      case AUTHENTICATION_METHOD: return b.setAuthenticationMethod((String) v).build();
      case AUTHENTICATION_DATA: return b.setAuthenticationData(Bytes.of((byte[]) v)).build();
      case REQUEST_PROBLEM_INFORMATION: return b.setRequestProblemInformation(flag(id, v)).build();
      case WILL_DELAY_INTERVAL: return b.setWillDelayInterval((Integer) v).build();
      case REQUEST_RESPONSE_INFORMATION: return b.setRequestResponseInformation(flag(id, v)).build();
      case RESPONSE_INFORMATION: return b.setResponseInformation((String) v).build();
      case SERVER_REFERENCE: return b.setServerReference((String) v).build();
      case REASON_STRING: return b.setReasonString((String) v).build();
      case RECEIVE_MAXIMUM: return b.setReceiveMaximum((Integer) v).build();
      case TOPIC_ALIAS_MAXIMUM: return b.setTopicAliasMaximum((Integer) v).build();
      case TOPIC_ALIAS: return b.setTopicAlias((Integer) v).build();
      case MAXIMUM_QOS: return b.setMaximumQos((Integer) v).build();
      case RETAIN_AVAILABLE: return b.setRetainAvailable(flag(id, v)).build();
      case MAXIMUM_PACKET_SIZE: return b.setMaximumPacketSize((Integer) v).build();
      case WILDCARD_SUBSCRIPTION_AVAILABLE: return b.setWildcardSubscriptionAvailable(flag(id, v)).build();
      case SUBSCRIPTION_IDENTIFIER_AVAILABLE: return b.setSubscriptionIdentifiersAvailable(flag(id, v)).build();
      case SHARED_SUBSCRIPTION_AVAILABLE: return b.setSharedSubscriptionAvailable(flag(id, v)).build();
      default:
        throw new FlowException(FlowError.PROTOCOL_ERROR, "unknown MQTT 5 property identifier " + id);
    }
  }

  /** @throws FlowException PROTOCOL_ERROR for a value other than 0 or 1, which the proto's bool cannot carry */
  private static boolean flag(int id, Object v) {
    int value = (Integer) v;
    if (value != 0 && value != 1) {
      throw new FlowException(FlowError.PROTOCOL_ERROR, "property 0x" + Integer.toHexString(id) + " is " + value
        + ", but may only be 0 or 1 (3.1.2.11, 3.2.2.3, 3.3.2.3.2)");
    }
    return value == 1;
  }

  static MqttProperties properties(List<Property> props) {
    if (props.isEmpty()) {
      return MqttProperties.NO_PROPERTIES;
    }
    MqttProperties out = new MqttProperties();
    for (Property p : props) {
      out.add(property(p));
    }
    return out;
  }

  private static MqttProperty<?> property(Property p) {
    switch (p.getPropertyTypeCase()) {
      case PAYLOAD_FORMAT_INDICATOR: return flag(PAYLOAD_FORMAT_INDICATOR, p.getPayloadFormatIndicator());
      case MESSAGE_EXPIRY_INTERVAL: return new IntegerProperty(PUBLICATION_EXPIRY_INTERVAL, p.getMessageExpiryInterval());
      case CONTENT_TYPE: return new StringProperty(CONTENT_TYPE, p.getContentType());
      case RESPONSE_TOPIC: return new StringProperty(RESPONSE_TOPIC, p.getResponseTopic());
      case CORRELATION_DATA: return new BinaryProperty(CORRELATION_DATA, p.getCorrelationData().toByteArray());
      case SUBSCRIPTION_IDENTIFIER: return new IntegerProperty(SUBSCRIPTION_IDENTIFIER, p.getSubscriptionIdentifier());
      case SESSION_EXPIRY_INTERVAL: return new IntegerProperty(SESSION_EXPIRY_INTERVAL, p.getSessionExpiryInterval());
      case ASSIGNED_CLIENT_IDENTIFIER: return new StringProperty(ASSIGNED_CLIENT_IDENTIFIER, p.getAssignedClientIdentifier());
      case SERVER_KEEP_ALIVE: return new IntegerProperty(SERVER_KEEP_ALIVE, p.getServerKeepAlive());
      case AUTHENTICATION_METHOD: return new StringProperty(AUTHENTICATION_METHOD, p.getAuthenticationMethod());
      case AUTHENTICATION_DATA: return new BinaryProperty(AUTHENTICATION_DATA, p.getAuthenticationData().toByteArray());
      case REQUEST_PROBLEM_INFORMATION: return flag(REQUEST_PROBLEM_INFORMATION, p.getRequestProblemInformation());
      case WILL_DELAY_INTERVAL: return new IntegerProperty(WILL_DELAY_INTERVAL, p.getWillDelayInterval());
      case REQUEST_RESPONSE_INFORMATION: return flag(REQUEST_RESPONSE_INFORMATION, p.getRequestResponseInformation());
      case RESPONSE_INFORMATION: return new StringProperty(RESPONSE_INFORMATION, p.getResponseInformation());
      case SERVER_REFERENCE: return new StringProperty(SERVER_REFERENCE, p.getServerReference());
      case REASON_STRING: return new StringProperty(REASON_STRING, p.getReasonString());
      case RECEIVE_MAXIMUM: return new IntegerProperty(RECEIVE_MAXIMUM, p.getReceiveMaximum());
      case TOPIC_ALIAS_MAXIMUM: return new IntegerProperty(TOPIC_ALIAS_MAXIMUM, p.getTopicAliasMaximum());
      case TOPIC_ALIAS: return new IntegerProperty(TOPIC_ALIAS, p.getTopicAlias());
      case MAXIMUM_QOS: return new IntegerProperty(MAXIMUM_QOS, p.getMaximumQos());
      case RETAIN_AVAILABLE: return flag(RETAIN_AVAILABLE, p.getRetainAvailable());
      case USER_PROPERTY:
        return new MqttProperties.UserProperty(p.getUserProperty().getKey(), p.getUserProperty().getValue());
      case MAXIMUM_PACKET_SIZE: return new IntegerProperty(MAXIMUM_PACKET_SIZE, p.getMaximumPacketSize());
      case WILDCARD_SUBSCRIPTION_AVAILABLE: return flag(WILDCARD_SUBSCRIPTION_AVAILABLE, p.getWildcardSubscriptionAvailable());
      case SUBSCRIPTION_IDENTIFIERS_AVAILABLE: return flag(SUBSCRIPTION_IDENTIFIER_AVAILABLE, p.getSubscriptionIdentifiersAvailable());
      case SHARED_SUBSCRIPTION_AVAILABLE: return flag(SHARED_SUBSCRIPTION_AVAILABLE, p.getSharedSubscriptionAvailable());
      default:
        throw new FlowException(FlowError.PROTOCOL_ERROR, "an mqttv5.Property without a value");
    }
  }

  private static IntegerProperty flag(int id, boolean on) {
    return new IntegerProperty(id, on ? 1 : 0);
  }
}
