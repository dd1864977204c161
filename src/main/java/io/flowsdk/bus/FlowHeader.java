package io.flowsdk.bus;

import java.util.Objects;

/** One header of a flow message (an MQTT 5 user property, a gRPC metadata entry). Names may repeat. */
public final class FlowHeader {

  private final String name;
  private final String value;

  public FlowHeader(String name, String value) {
    this.name = Objects.requireNonNull(name, "name");
    this.value = Objects.requireNonNull(value, "value");
  }

  public String name() {
    return name;
  }

  public String value() {
    return value;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FlowHeader && ((FlowHeader) o).name.equals(name) && ((FlowHeader) o).value.equals(value);
  }

  @Override
  public int hashCode() {
    return name.hashCode() * 31 + value.hashCode();
  }

  @Override
  public String toString() {
    return name + "=" + value;
  }
}
