package io.flowsdk.grpc.impl;

import com.google.protobuf.Descriptors;
import io.flowsdk.grpc.v1.FlowGrpcService;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.spi.cluster.ClusterManager;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.common.ServiceName;
import io.vertx.grpc.health.handler.GrpcHealthCheckV1Handler;
import io.vertx.grpc.health.handler.GrpcHealthListV1Handler;
import io.vertx.grpc.health.handler.GrpcHealthWatchV1Handler;
import io.vertx.grpc.health.v1.HealthCheckResponse;
import io.vertx.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.vertx.grpc.health.v1.HealthListResponse;
import io.vertx.grpc.health.v1.HealthProto;
import io.vertx.grpc.server.GrpcServer;
import io.vertx.grpc.server.GrpcServerRequest;
import io.vertx.grpc.server.Service;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;

import java.util.function.BooleanSupplier;

/**
 * {@code grpc.health.v1.Health} (Check, Watch, List) that tells whether the gateway can do its job:
 * the server as a whole ({@code ""}) and {@code flowsdk.v1.Flow} are {@code NOT_SERVING} while the
 * node's bus is not usable — its cluster manager is no longer active (the node lost the cluster) or
 * the gateway is closing — and {@code SERVING} otherwise; health and reflection themselves always
 * serve. vertx-grpc's own HealthService answers {@code ""} with {@code SERVING} whatever is
 * registered, so the gateway serves this one instead.
 */
final class GatewayHealth implements Service {

  static final ServiceName NAME = ServiceName.create("grpc.health.v1.Health");
  /** How often a Watch call re-evaluates the status and sends it when it changed. */
  static final long WATCH_INTERVAL_MILLIS = 1000;

  private final Vertx vertx;
  private final BooleanSupplier clusterUp;
  private GrpcServer server;
  private volatile boolean closing;

  GatewayHealth(Vertx vertx) {
    this.vertx = vertx;
    this.clusterUp = clusterUp(((VertxInternal) vertx).clusterManager());
  }

  /**
   * Whether the node is still in its cluster (always, when not clustered). Vert.x's
   * {@code HazelcastClusterManager.isActive()} stays true after its Hazelcast instance shut down
   * (terminated, or left after a split), so the instance's lifecycle is asked too.
   */
  private static BooleanSupplier clusterUp(ClusterManager clusterManager) {
    if (clusterManager == null) {
      return () -> true;
    }
    if (clusterManager instanceof HazelcastClusterManager) {
      HazelcastClusterManager hazelcast = (HazelcastClusterManager) clusterManager;
      return () -> hazelcast.isActive() && hazelcast.getHazelcastInstance().getLifecycleService().isRunning();
    }
    return clusterManager::isActive;
  }

  /** From now on the gateway reports {@code NOT_SERVING}: it is about to close. */
  void closing() {
    closing = true;
  }

  @Override
  public ServiceName name() {
    return NAME;
  }

  @Override
  public Descriptors.ServiceDescriptor descriptor() {
    return HealthProto.getDescriptor().findServiceByName("Health");
  }

  @Override
  public void bind(GrpcServer server) {
    this.server = server;
    server.callHandler(GrpcHealthCheckV1Handler.SERVICE_METHOD, this::check);
    server.callHandler(GrpcHealthWatchV1Handler.SERVICE_METHOD, this::watch);
    server.callHandler(GrpcHealthListV1Handler.SERVICE_METHOD, this::list);
  }

  /** The status of {@code service}; {@code SERVICE_UNKNOWN} for one this server does not serve. */
  ServingStatus status(String service) {
    if (service.isEmpty() || service.equals(FlowGrpcService.SERVICE_NAME.fullyQualifiedName())) {
      return busUsable() ? ServingStatus.SERVING : ServingStatus.NOT_SERVING;
    }
    boolean served = server.services().stream().anyMatch(s -> s.name().fullyQualifiedName().equals(service));
    return served ? ServingStatus.SERVING : ServingStatus.SERVICE_UNKNOWN;
  }

  private boolean busUsable() {
    return !closing && clusterUp.getAsBoolean();
  }

  private void check(GrpcServerRequest<io.vertx.grpc.health.v1.HealthCheckRequest, HealthCheckResponse> request) {
    request.handler(question -> {
      ServingStatus status = status(question.getService());
      if (status == ServingStatus.SERVICE_UNKNOWN) {
        request.response().status(GrpcStatus.NOT_FOUND).statusMessage("unknown service '" + question.getService() + "'").end();
      } else {
        request.response().end(HealthCheckResponse.newBuilder().setStatus(status).build());
      }
    });
  }

  /** Sends the status at once, then again whenever it changes, until the client cancels. */
  private void watch(GrpcServerRequest<io.vertx.grpc.health.v1.HealthCheckRequest, HealthCheckResponse> request) {
    request.handler(question -> {
      ServingStatus[] sent = {status(question.getService())};
      request.response().write(HealthCheckResponse.newBuilder().setStatus(sent[0]).build());
      long timer = vertx.setPeriodic(WATCH_INTERVAL_MILLIS, t -> {
        ServingStatus now = status(question.getService());
        if (now != sent[0]) {
          sent[0] = now;
          request.response().write(HealthCheckResponse.newBuilder().setStatus(now).build());
        }
      });
      request.exceptionHandler(e -> vertx.cancelTimer(timer));
      request.errorHandler(e -> vertx.cancelTimer(timer));
      request.response().exceptionHandler(e -> vertx.cancelTimer(timer));
    });
  }

  private void list(GrpcServerRequest<io.vertx.grpc.health.v1.HealthListRequest, HealthListResponse> request) {
    request.handler(question -> {
      HealthListResponse.Builder all = HealthListResponse.newBuilder()
        .putStatuses("", HealthCheckResponse.newBuilder().setStatus(status("")).build());
      for (Service s : server.services()) {
        String name = s.name().fullyQualifiedName();
        all.putStatuses(name, HealthCheckResponse.newBuilder().setStatus(status(name)).build());
      }
      request.response().end(all.build());
    });
  }
}
