package io.flowsdk.node;

import io.flowsdk.FlowException;
import io.flowsdk.admin.AdminApi;
import io.flowsdk.bus.FlowBus;
import io.flowsdk.metrics.FlowMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;
import io.vertx.micrometer.PrometheusScrapingHandler;

import java.util.concurrent.TimeUnit;

/**
 * The node's HTTP management listener: {@code /metrics} in Prometheus text format (503 when the
 * node runs without Prometheus metrics), {@code /health} (200 {@code UP} or 503 {@code DOWN},
 * with the node id and, in a cluster, the member count) and, unless disabled, the admin API under
 * {@code /api} ({@link AdminApi}) with the web console at {@code /console/}, which off the loopback
 * interface it serves only with TLS and tokens. Idle connections and connections that stall inside a request's headers are closed and counted.
 */
public class ManagementVerticle extends VerticleBase {

  /** Where the web console is served, with the admin API. */
  public static final String CONSOLE_PATH = "/console";
  private static final String CONSOLE_RESOURCES = "io/flowsdk/admin/console";

  private FlowBus bus;
  private HttpServer server;
  private AdminApi admin;

  @Override
  public Future<?> start() {
    ManagementOptions options;
    try {
      options = new ManagementOptions(config());
      options.checkAdminExposure();
    } catch (FlowException e) {
      return Future.failedFuture(e);
    }
    Router router = Router.router(vertx);
    MeterRegistry registry = FlowMetrics.registry(vertx);
    if (registry instanceof PrometheusMeterRegistry) {
      router.get(options.getMetricsPath()).handler(PrometheusScrapingHandler.create((PrometheusMeterRegistry) registry));
    } else {
      router.get(options.getMetricsPath()).handler(ctx -> ctx.response().setStatusCode(503)
        .end("metrics are disabled: set \"metrics\": {\"enabled\": true} in the node configuration\n"));
    }
    router.get(options.getHealthPath()).handler(this::health);
    return FlowBus.create(vertx)
      .compose(b -> {
        bus = b;
        if (!options.isAdmin()) {
          return Future.succeededFuture();
        }
        mountConsole(router);
        return AdminApi.mount(vertx, router, b.nodeId(), options.getAdminTokens(), options.getAdminRequestTimeoutMillis())
          .onSuccess(a -> admin = a).mapEmpty();
      })
      .compose(v -> {
        HttpConnectionTimeouts timeouts = new HttpConnectionTimeouts(registry, options.getHost() + ":" + options.getPort(),
          options.getRequestHeaderTimeoutMillis());
        // without h2c detection Vert.x creates the connection (and calls connectionHandler) when it is
        // accepted, not after its first bytes, so a connection that never sends one is watched too
        HttpServerOptions serverOptions = new HttpServerOptions().setHttp2ClearTextEnabled(false)
          .setIdleTimeout((int) options.getIdleTimeoutMillis()).setIdleTimeoutUnit(TimeUnit.MILLISECONDS);
        if (options.isTls()) {
          serverOptions.setSsl(true).setKeyCertOptions(new PemKeyCertOptions().setCertPath(options.getTlsCertPath())
            .setKeyPath(options.getTlsKeyPath()));
        }
        return vertx.createHttpServer(serverOptions)
          .connectionHandler(timeouts::watch)
          .requestHandler(router).listen(options.getPort(), options.getHost());
      })
      .onSuccess(s -> server = s);
  }

  @Override
  public Future<?> stop() {
    return admin == null ? Future.succeededFuture() : admin.close();
  }

  /** The web console: static pages from the class path that poll the admin API. */
  private static void mountConsole(Router router) {
    router.get(CONSOLE_PATH + "/*").handler(StaticHandler.create(CONSOLE_RESOURCES));
  }

  /** The port actually bound (useful with port 0). */
  public int actualPort() {
    return server.actualPort();
  }

  private void health(RoutingContext ctx) {
    ClusterStatus cluster = ClusterStatus.of(vertx);
    JsonObject health = new JsonObject().put("node", bus.nodeId()).put("clustered", cluster.clustered());
    if (cluster.clustered()) {
      health.put("clusterMembers", cluster.members());
    }
    boolean up = cluster.running();
    health.put("status", up ? "UP" : "DOWN");
    ctx.response().setStatusCode(up ? 200 : 503).putHeader("content-type", "application/json").end(health.encode());
  }
}
