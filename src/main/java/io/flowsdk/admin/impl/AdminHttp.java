package io.flowsdk.admin.impl;

import io.flowsdk.FlowError;
import io.flowsdk.FlowException;
import io.flowsdk.admin.AdminParam;
import io.flowsdk.admin.AdminRole;
import io.flowsdk.admin.AdminRoute;
import io.flowsdk.admin.AdminTokenOptions;
import io.flowsdk.metrics.FlowMetrics;
import io.flowsdk.util.BearerTokens;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The admin routes on the management router: each checks the caller's token and role, reads and
 * checks its parameters, then has the {@link ClusterQuery} answer. Every refusal is JSON,
 * {@code {"error": CODE, "message": ...}}: 400 for a bad parameter, 401 without a known token,
 * 403 for a role that may not, 404 for what does not exist, 503/504 when nodes do not answer.
 */
public final class AdminHttp {

  public static final String OPENAPI_PATH = "/api/openapi.json";
  private static final String OPENAPI_RESOURCE = "io/flowsdk/admin/openapi.json";
  private static final String JSON = "application/json";

  private final AdminResources resources;
  private final MeterRegistry registry;
  private final BearerTokens<AdminRole> tokens;
  private final ClusterQuery query;
  private final String openApi;

  public AdminHttp(Vertx vertx, String nodeId, AdminResources resources, List<AdminTokenOptions> tokenOptions,
                   long requestTimeoutMillis) {
    this.resources = resources;
    this.registry = FlowMetrics.registry(vertx);
    Map<String, AdminRole> byHash = new HashMap<>();
    tokenOptions.forEach(t -> byHash.put(t.getSha256(), t.getRole()));
    this.tokens = new BearerTokens<>(byHash, "the admin API needs the header 'Authorization: Bearer <token>'");
    this.query = new ClusterQuery(vertx, nodeId, requestTimeoutMillis);
    this.openApi = openApiDocument();
  }

  /** The OpenAPI document of the admin API, from the class path. */
  public static String openApiDocument() {
    try (InputStream in = AdminHttp.class.getClassLoader().getResourceAsStream(OPENAPI_RESOURCE)) {
      if (in == null) {
        throw new FlowException(FlowError.INTERNAL, OPENAPI_RESOURCE + " is missing from the class path");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new FlowException(FlowError.INTERNAL, "cannot read " + OPENAPI_RESOURCE + ": " + e.getMessage(), e);
    }
  }

  public void mount(Router router) {
    router.get(OPENAPI_PATH).handler(ctx -> ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, JSON).end(openApi));
    for (AdminResources.Bound bound : resources.all()) {
      AdminRoute route = bound.route();
      router.route(route.method(), route.path()).handler(ctx -> {
        ctx.addHeadersEndHandler(v -> counted(ctx.response().getStatusCode()));
        handle(ctx, route);
      });
    }
    router.route("/api/*").handler(ctx -> {
      counted(404);
      refuse(ctx, 404, FlowError.NOT_FOUND, "no admin route " + ctx.request().method()
      + " " + ctx.request().path() + "; the routes are listed in " + OPENAPI_PATH);
    });
  }

  /** Counts an answer of the admin API by its HTTP status: {@code flowsdk_admin_requests_total{status}}. */
  private void counted(int status) {
    registry.counter("flowsdk_admin_requests_total", "status", String.valueOf(status)).increment();
  }

  private void handle(RoutingContext ctx, AdminRoute route) {
    JsonObject params;
    try {
      AdminRole role = tokens.isEmpty() ? AdminRole.ADMIN : tokens.resolve(ctx.request().getHeader(HttpHeaders.AUTHORIZATION));
      if (!role.allows(route.role())) {
        refuse(ctx, 403, FlowError.NOT_AUTHORIZED, route.method() + " " + route.path() + " needs the " + route.role()
          + " role; this token has " + role);
        return;
      }
      params = params(ctx, route);
    } catch (FlowException e) {
      fail(ctx, e);
      return;
    }
    query.run(route, params).onComplete(ar -> {
      if (ar.succeeded()) {
        ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, JSON).end(Json.encode(ar.result()));
      } else {
        fail(ctx, FlowException.from(ar.cause()));
      }
    });
  }

  private static JsonObject params(RoutingContext ctx, AdminRoute route) {
    Set<String> unknown = new TreeSet<>(ctx.queryParams().names());
    JsonObject params = new JsonObject();
    for (AdminParam p : route.params()) {
      unknown.remove(p.name());
      String text = p.inPath() ? ctx.pathParam(p.name()) : ctx.queryParams().get(p.name());
      if (text == null || text.isEmpty()) {
        if (p.required()) {
          throw new FlowException(FlowError.INVALID, "query parameter '" + p.name() + "' is required");
        }
        if (p.defaultValue() != null) {
          params.put(p.name(), p.defaultValue());
        }
        continue;
      }
      params.put(p.name(), p.read(text));
    }
    if (!unknown.isEmpty()) {
      Set<String> known = new TreeSet<>();
      route.params().stream().filter(p -> !p.inPath()).forEach(p -> known.add(p.name()));
      throw new FlowException(FlowError.INVALID, "unknown query parameter" + (unknown.size() > 1 ? "s " : " ") + unknown
        + " of " + route.method() + " " + route.path() + "; it takes " + known);
    }
    return params;
  }

  private static void fail(RoutingContext ctx, FlowException e) {
    refuse(ctx, status(e.error()), e.error(), e.getMessage());
  }

  private static int status(FlowError error) {
    switch (error) {
      case INVALID:
      case TOO_LARGE:
        return 400;
      case NOT_AUTHORIZED:
        return 401;
      case NOT_FOUND:
        return 404;
      case TIMEOUT:
        return 504;
      case NO_ROUTE:
      case OVERLOADED:
      case DISCONNECTED:
        return 503;
      default:
        return 500;
    }
  }

  private static void refuse(RoutingContext ctx, int status, FlowError error, String message) {
    if (status == 401) {
      ctx.response().putHeader("WWW-Authenticate", "Bearer");
    }
    ctx.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, JSON)
      .end(new JsonObject().put("error", error.name()).put("message", message).encode());
  }
}
