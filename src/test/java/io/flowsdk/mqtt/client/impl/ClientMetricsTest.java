package io.flowsdk.mqtt.client.impl;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class ClientMetricsTest {

  @Test
  void givenClosedMetrics_whenCountedAgain_thenOnlyThatCounterIsBackStartingFromTheNewCount() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    ClientMetrics metrics = new ClientMetrics(registry, "c1");
    metrics.reconnects.increment();
    assertEquals(8, registry.getMeters().size());

    metrics.close();
    assertEquals(0, registry.getMeters().size());
    metrics.reconnects.increment();

    assertEquals(1.0, registry.get("flowsdk_mqtt_client_reconnect_attempts").tag("client", "c1").counter().count());
    assertNull(registry.find("flowsdk_mqtt_client_ack_timeouts").counter());
  }
}
