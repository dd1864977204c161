package io.flowsdk.relay.impl;

import io.flowsdk.mqtt.auth.AccessControl;
import io.flowsdk.mqtt.auth.UserAuthentication;
import io.flowsdk.mqtt.broker.MqttListenerOptions;
import io.flowsdk.relay.MqttProxyOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.PemTrustOptions;

import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * The MQTT proxy's sessions of one verticle instance and what they share: the client that connects to
 * the brokers, the hash ring and failover state of the brokers, authentication, the ACL and the meters.
 */
final class ProxySessions implements EdgeListener.Sessions {

  final Vertx vertx;
  final MqttProxyOptions options;
  final RelayMetrics metrics;
  final ProxyMeters meters;
  final NetClient brokers;
  final UpstreamChoice choice;
  final BrokerRing<UpstreamChoice.Upstream> ring;
  final UserAuthentication authentication;
  final AccessControl accessControl;

  ProxySessions(Vertx vertx, MqttProxyOptions options) {
    this.vertx = vertx;
    this.options = options;
    this.metrics = new RelayMetrics(vertx, "proxy", options.getName());
    this.meters = new ProxyMeters(vertx, options.getName());
    this.brokers = vertx.createNetClient(clientOptions(options));
    this.choice = new UpstreamChoice(options.getBrokers(), options.getBrokerRetry().backoff(), System::currentTimeMillis);
    this.ring = new BrokerRing<>(choice.all(), b -> b.address.toString(), options.getVirtualNodes());
    this.authentication = new UserAuthentication(vertx, options.getUsers());
    this.accessControl = new AccessControl(options.getAcl());
  }

  private static NetClientOptions clientOptions(MqttProxyOptions options) {
    NetClientOptions client = new NetClientOptions().setTcpNoDelay(true)
      .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, options.getBrokerConnectTimeoutMillis()));
    if (options.isBrokerTls()) {
      client.setSsl(true).setHostnameVerificationAlgorithm("HTTPS");
      if (options.getBrokerTlsCaPath() != null) {
        client.setTrustOptions(new PemTrustOptions().addCertPath(options.getBrokerTlsCaPath()));
      }
    }
    return client;
  }

  /** The brokers a client with {@code clientId} tries, in order: its own on the ring first, those backing off left out. */
  List<UpstreamChoice.Upstream> candidates(String clientId) {
    return choice.available(ring.order(clientId));
  }

  @Override
  public EdgeConnection open(MqttListenerOptions listener, NetSocketInternal socket, BooleanSupplier atLimit,
                             Consumer<EdgeConnection> onClose) {
    return new ProxySession(this, listener, socket, atLimit, onClose);
  }

  @Override
  public void protocolError() {
    metrics.protocolError();
  }

  @Override
  public Future<Void> close() {
    return brokers.close();
  }
}
