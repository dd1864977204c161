package io.flowsdk.mqtt.testing;

import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs {@link ViolationCase}s against one MQTT server, one connection per case, one case at a time. After the
 * violation it collects what the server sends until the server closes the connection or {@code wait} passes
 * without a packet; a case whose expected response keeps the connection open ends at its first packet. The
 * CONNACK a case's set-up waits for is expected, not observed, so it may take up to {@link #SETUP_WAIT} (a
 * loaded machine, a relay in between).
 */
public final class ConformanceRunner {

  private static final AtomicInteger CLIENT_IDS = new AtomicInteger();
  private static final Duration SETUP_WAIT = Duration.ofSeconds(10);

  private final Vertx vertx;
  private final String host;
  private final int port;
  private final Duration wait;

  public ConformanceRunner(Vertx vertx, String host, int port, Duration wait) {
    this.vertx = vertx;
    this.host = host;
    this.port = port;
    this.wait = wait;
  }

  /** Runs every case in order; never fails (a case that cannot be run says why in its observation). */
  public Future<List<CaseResult>> runAll(List<ViolationCase> cases) {
    List<CaseResult> results = new ArrayList<>();
    Future<Void> chain = Future.succeededFuture();
    for (ViolationCase c : cases) {
      chain = chain.compose(v -> run(c)).map(r -> {
        results.add(r);
        return null;
      });
    }
    return chain.map(v -> results);
  }

  /** Runs one case. */
  public Future<CaseResult> run(ViolationCase c) {
    return RawMqttClient.connect(vertx, host, port, c.v5())
      .compose(client -> setUp(client, c)
        .compose(v -> client.send(c.packets().toArray(new RawPacket[0])))
        .compose(v -> observe(client, c.expected(), new ArrayList<>()))
        .recover(e -> Future.succeededFuture(Observation.setupFailed(e.getMessage())))
        .eventually(client::close))
      .recover(e -> Future.succeededFuture(Observation.setupFailed("cannot connect: " + e.getMessage())))
      .map(o -> new CaseResult(c, o));
  }

  private Future<Void> setUp(RawMqttClient client, ViolationCase c) {
    if (!c.afterConnect()) {
      return Future.succeededFuture();
    }
    PacketFactory packets = c.v5() ? RawPacket.v5() : RawPacket.v311();
    return client.send(packets.connect().clientId("flowsdk-conformance-" + CLIENT_IDS.incrementAndGet()).build())
      .compose(v -> client.next(SETUP_WAIT))
      .compose(m -> {
        PacketSummary ack = PacketSummary.of(m);
        return ack.type() == MqttMessageType.CONNACK && ack.reasonCode() == 0 ? Future.<Void>succeededFuture()
          : Future.failedFuture("a valid CONNECT was answered with " + ack);
      });
  }

  private Future<Observation> observe(RawMqttClient client, Expected expected, List<PacketSummary> seen) {
    Promise<Observation> result = Promise.promise();
    client.next(wait).onComplete(ar -> {
      if (ar.succeeded()) {
        MqttMessage m = ar.result();
        seen.add(PacketSummary.of(m));
        if (!expected.acceptsClose() && seen.size() == 1) {
          result.complete(new Observation(seen, false, null));
        } else {
          observe(client, expected, seen).onComplete(result);
        }
      } else {
        result.complete(new Observation(seen, client.isClosed(), null));
      }
    });
    return result.future();
  }
}
