package io.flowsdk.mqtt.client.impl;

import io.flowsdk.FlowError;
import io.flowsdk.FlowException;
import io.flowsdk.metrics.FlowMetrics;
import io.flowsdk.mqtt.client.ConnAckInfo;
import io.flowsdk.mqtt.client.DisconnectInfo;
import io.flowsdk.mqtt.client.DisconnectReason;
import io.flowsdk.mqtt.client.MqttAuthenticator;
import io.flowsdk.mqtt.client.MqttClient;
import io.flowsdk.mqtt.client.MqttClientOptions;
import io.flowsdk.mqtt.client.MqttMessageHandler;
import io.flowsdk.mqtt.client.PublishAck;
import io.flowsdk.mqtt.client.PublishRequest;
import io.flowsdk.mqtt.client.ReconnectInfo;
import io.flowsdk.mqtt.client.SubscribeRequest;
import io.flowsdk.mqtt.client.SubscribeResult;
import io.flowsdk.mqtt.client.UnsubscribeResult;
import io.flowsdk.util.Backoff;
import io.flowsdk.util.Contexts;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * The {@link MqttClient}: runs every call on its event-loop context, opens connections through its
 * {@link Transport} (TCP/TLS, WebSocket or QUIC), feeds them to the {@link ClientSession} state machine and reconnects with
 * {@link Backoff} when an established connection is lost.
 */
public final class MqttClientImpl implements MqttClient, SessionListener {

  private final Vertx vertx;
  private final Context context;
  private final MqttClientOptions options;
  private final ClientMetrics metrics;
  private final ClientSession session;
  private Transport transport;
  private final Backoff backoff;

  private Handler<ConnAckInfo> connectedHandler = i -> { };
  private Handler<DisconnectInfo> disconnectedHandler = i -> { };
  private Handler<ReconnectInfo> reconnectingHandler = i -> { };
  private Handler<FlowException> errorHandler = e -> { };
  /** Written on the event loop, read from any thread. */
  private volatile String clientId;
  private volatile boolean connected;
  private boolean stopped;
  private boolean connecting;
  private int attempt;
  private long reconnectTimer = -1;
  private Promise<Void> socketClosed;
  /** The caller's connect() while the first connect is being retried. */
  private Promise<ConnAckInfo> pendingConnect;

  /**
   * On a Vert.x thread the client joins the caller's context. Off one (from {@code main()}),
   * {@code getOrCreateContext()} would hand every client the calling thread's one sticky event loop, so
   * the client takes a new event-loop context instead: the next of Vert.x's event loops, round robin.
   */
  public MqttClientImpl(Vertx vertx, MqttClientOptions options) {
    this.vertx = vertx;
    this.context = Vertx.currentContext() != null ? vertx.getOrCreateContext() : ((VertxInternal) vertx).createEventLoopContext();
    this.options = options;
    this.clientId = options.getClientId();
    String tag = clientId.isEmpty() ? "anonymous-" + UUID.randomUUID().toString().substring(0, 8) : clientId;
    this.metrics = new ClientMetrics(FlowMetrics.registry(vertx), tag);
    this.session = new ClientSession(options, new VertxTimers(vertx, context), this, metrics);
    this.backoff = new Backoff(options.getReconnectInitialDelayMillis(), options.getReconnectMaxDelayMillis(),
      options.getReconnectJitter(), () -> ThreadLocalRandom.current().nextDouble());
  }

  private <T> Future<T> onContext(Supplier<Future<T>> action) {
    return Contexts.call(context, action);
  }

  private void onContextDo(Runnable action) {
    Contexts.run(context, action);
  }

  @Override
  public Future<ConnAckInfo> connect() {
    return onContext(() -> {
      if (connecting || !session.isIdle() || reconnectTimer >= 0) {
        return Future.failedFuture(new FlowException(FlowError.INVALID, "already connected or connecting"));
      }
      stopped = false;
      attempt = 0;
      Future<ConnAckInfo> first = openConnection();
      Future<Void> closed = socketClosed.future();
      if (!options.isRetryFirstConnect() || !options.isReconnect()) {
        return first;
      }
      return first.recover(e -> {
        if (stopped) {
          return Future.failedFuture(new FlowException(FlowError.CANCELLED,
            "disconnect() was called before the first connect succeeded", e));
        }
        errorHandler.handle(FlowException.from(e));
        pendingConnect = Promise.promise();
        retryAfter(closed);
        return pendingConnect.future();
      });
    });
  }

  private Future<ConnAckInfo> openConnection() {
    connecting = true;
    if (transport == null) {
      transport = newTransport();
    }
    Promise<Void> closed = Promise.promise();
    socketClosed = closed;
    return transport.open(session, closed::tryComplete)
      .compose(sink -> {
        if (stopped) {
          sink.close();
          return Future.failedFuture(new FlowException(FlowError.CANCELLED, "the client was disconnected while connecting"));
        }
        return session.open(sink);
      })
      .andThen(ar -> connecting = false)
      .onFailure(e -> closed.tryComplete());
  }

  private Transport newTransport() {
    switch (options.getTransport()) {
      case WEBSOCKET:
        return new WebSocketTransport(vertx, options);
      case QUIC:
        return new QuicTransport(vertx, context, options, metrics);
      default:
        return new NetTransport(vertx, options);
    }
  }

  @Override
  public Future<PublishAck> publish(PublishRequest request) {
    return onContext(() -> {
      if (stopped) {
        return Future.failedFuture(new FlowException(FlowError.CANCELLED, "the client was disconnected; connect again to publish"));
      }
      return session.publish(request);
    });
  }

  @Override
  public Future<SubscribeResult> subscribe(SubscribeRequest request) {
    return onContext(() -> session.subscribe(request));
  }

  @Override
  public Future<UnsubscribeResult> unsubscribe(List<String> filters) {
    return onContext(() -> session.unsubscribe(filters));
  }

  @Override
  public Future<Void> reauthenticate() {
    return onContext(session::reauthenticate);
  }

  @Override
  public Future<Void> disconnect() {
    return disconnect(DisconnectReason.NORMAL_DISCONNECTION, null);
  }

  @Override
  public Future<Void> disconnect(DisconnectReason reason, String reasonString) {
    return onContext(() -> {
      stopped = true;
      settlePendingConnect(new FlowException(FlowError.CANCELLED, "disconnect() was called before the first connect succeeded"), null);
      if (reconnectTimer >= 0) {
        vertx.cancelTimer(reconnectTimer);
        reconnectTimer = -1;
      }
      boolean open = session.disconnect(reason, reasonString);
      session.shutdown(FlowError.CANCELLED, "the client was disconnected");
      Future<Void> closed = open && socketClosed != null ? socketClosed.future() : Future.succeededFuture();
      return closed.compose(v -> releaseTransport()).andThen(v -> metrics.close());
    });
  }

  /** Closes the Vert.x client behind the connections; the next connect makes a new one. */
  private Future<Void> releaseTransport() {
    Transport t = transport;
    transport = null;
    return t == null ? Future.succeededFuture() : t.close();
  }

  @Override
  public MqttClient messageHandler(MqttMessageHandler handler) {
    onContextDo(() -> session.messageHandler(handler));
    return this;
  }

  @Override
  public MqttClient connectedHandler(Handler<ConnAckInfo> handler) {
    onContextDo(() -> connectedHandler = handler);
    return this;
  }

  @Override
  public MqttClient disconnectedHandler(Handler<DisconnectInfo> handler) {
    onContextDo(() -> disconnectedHandler = handler);
    return this;
  }

  @Override
  public MqttClient reconnectingHandler(Handler<ReconnectInfo> handler) {
    onContextDo(() -> reconnectingHandler = handler);
    return this;
  }

  @Override
  public MqttClient errorHandler(Handler<FlowException> handler) {
    onContextDo(() -> errorHandler = handler);
    return this;
  }

  @Override
  public MqttClient authenticator(MqttAuthenticator authenticator) {
    onContextDo(() -> session.authenticator(authenticator));
    return this;
  }

  @Override
  public boolean isConnected() {
    return connected;
  }

  @Override
  public String clientId() {
    return clientId;
  }

  @Override
  public void connected(ConnAckInfo info) {
    connected = true;
    attempt = 0;
    if (info.assignedClientIdentifier() != null) {
      clientId = info.assignedClientIdentifier();
    }
    connectedHandler.handle(info);
    settlePendingConnect(null, info);
  }

  @Override
  public void disconnected(DisconnectInfo info) {
    connected = false;
    disconnectedHandler.handle(info);
    if (info.byUser() || stopped) {
      return;
    }
    if (options.isReconnect()) {
      scheduleReconnect();
    } else {
      session.shutdown(FlowError.DISCONNECTED, "the connection was lost and reconnect is off");
    }
  }

  @Override
  public void error(FlowException error) {
    errorHandler.handle(error);
  }

  private void scheduleReconnect() {
    attempt++;
    if (options.getReconnectMaxAttempts() > 0 && attempt > options.getReconnectMaxAttempts()) {
      String why = "gave up reconnecting after " + options.getReconnectMaxAttempts() + " attempts";
      session.shutdown(FlowError.DISCONNECTED, why);
      FlowException gaveUp = new FlowException(FlowError.DISCONNECTED, why);
      errorHandler.handle(gaveUp);
      settlePendingConnect(gaveUp, null);
      return;
    }
    long delay = backoff.delay(attempt);
    metrics.reconnects.increment();
    reconnectingHandler.handle(new ReconnectInfo(attempt, delay));
    try {
      reconnectTimer = vertx.setTimer(Math.max(1, delay), id -> reconnectNow());
    } catch (RuntimeException closing) {
      // Vert.x is shutting down: there will be no next attempt
      session.shutdown(FlowError.DISCONNECTED, "Vert.x is closing; no reconnect");
      settlePendingConnect(new FlowException(FlowError.DISCONNECTED, "Vert.x is closing"), null);
    }
  }

  private void reconnectNow() {
    reconnectTimer = -1;
    if (stopped) {
      return;
    }
    Future<ConnAckInfo> attemptResult = openConnection();
    Future<Void> closed = socketClosed.future();
    attemptResult.onFailure(e -> {
      errorHandler.handle(FlowException.from(e));
      retryAfter(closed);
    });
  }

  /** Schedules the next attempt once the failed attempt's socket is gone. */
  private void retryAfter(Future<Void> closed) {
    closed.onComplete(v -> {
      if (!stopped) {
        scheduleReconnect();
      }
    });
  }

  private void settlePendingConnect(FlowException failure, ConnAckInfo info) {
    Promise<ConnAckInfo> p = pendingConnect;
    pendingConnect = null;
    if (p != null) {
      if (failure != null) {
        p.tryFail(failure);
      } else {
        p.tryComplete(info);
      }
    }
  }
}
