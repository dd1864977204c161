package io.flowsdk.relay.impl;

import io.flowsdk.FlowException;
import io.flowsdk.grpc.GrpcTokenOptions;
import io.flowsdk.util.BearerTokens;
import io.flowsdk.relay.RelayUpstreamOptions;
import io.flowsdk.relay.proto.MqttRelayServiceGrpcService;
import io.flowsdk.relay.proto.MqttStreamMessage;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.server.GrpcServerRequest;
import io.vertx.grpc.server.Service;

import io.vertx.core.Future;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * {@code mqtt.MqttRelayService} of one upstream verticle instance: each StreamMqttMessages call becomes
 * an {@link UpstreamSession}, found by session id in one map (O(1)). It binds the raw request rather
 * than the generated service base class because a session needs the call's metadata.
 */
public final class UpstreamService {

  private final Vertx vertx;
  private final RelayUpstreamOptions options;
  private final RelayMetrics metrics;
  private final NetClient brokers;
  private final Map<String, UpstreamSession> sessions = new HashMap<>();
  private final BearerTokens<GrpcTokenOptions> tokens;

  public UpstreamService(Vertx vertx, RelayUpstreamOptions options) {
    this.vertx = vertx;
    this.options = options;
    this.metrics = new RelayMetrics(vertx, "upstream", options.getName());
    Map<String, GrpcTokenOptions> byHash = new HashMap<>();
    options.getTokens().forEach(t -> byHash.put(t.getSha256(), t));
    this.tokens = new BearerTokens<>(byHash, "this relay upstream needs the metadata 'authorization: Bearer <token>'");
    this.brokers = vertx.createNetClient(new NetClientOptions().setTcpNoDelay(true)
      .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, options.getBrokerConnectTimeoutMillis())));
  }

  public Service service() {
    return Service.service(MqttRelayServiceGrpcService.SERVICE_NAME, MqttRelayServiceGrpcService.SERVICE_DESCRIPTOR)
      .bind(MqttRelayServiceGrpcService.StreamMqttMessages, this::open)
      .build();
  }

  private void open(GrpcServerRequest<MqttStreamMessage, MqttStreamMessage> request) {
    try {
      if (!tokens.isEmpty()) {
        tokens.resolve(request.headers().get(BearerTokens.AUTHORIZATION));
      }
    } catch (FlowException e) {
      metrics.refused();
      request.response().status(GrpcStatus.UNAUTHENTICATED).statusMessage(e.getMessage()).end();
      return;
    }
    String header = request.headers().get(MetadataValues.SESSION_ID);
    String sessionId = header != null ? MetadataValues.decode(header) : UUID.randomUUID().toString();
    String clientHeader = request.headers().get(MetadataValues.CLIENT_ID);
    String clientId = clientHeader != null ? MetadataValues.decode(clientHeader) : "";
    if (sessions.size() >= options.getMaxSessions()) {
      metrics.refused();
      request.response().status(GrpcStatus.RESOURCE_EXHAUSTED)
        .statusMessage("the relay upstream carries its limit of " + options.getMaxSessions() + " sessions").end();
      return;
    }
    if (sessions.containsKey(sessionId)) {
      metrics.refused();
      request.response().status(GrpcStatus.ALREADY_EXISTS)
        .statusMessage("a session with id '" + sessionId + "' is already open").end();
      return;
    }
    UpstreamSession session = new UpstreamSession(vertx, brokers, options, metrics, request, sessionId, clientId,
      s -> sessions.remove(s.sessionId));
    sessions.put(sessionId, session);
    session.start();
  }

  /**
   * Ends every session (an MQTT 5 client gets DISCONNECT "Use another server", the client side a
   * TERMINATE) and closes the broker client.
   */
  public Future<Void> close() {
    new ArrayList<>(sessions.values()).forEach(s -> s.stopping("the relay upstream is stopping"));
    return brokers.close();
  }
}
