package io.flowsdk.admin;

import io.flowsdk.admin.impl.AdminHttp;
import io.flowsdk.admin.impl.AdminResources;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

import static io.flowsdk.testing.Futures.join;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@code /api/openapi.json} describes exactly the admin routes the router serves: methods, operations and parameters. */
class OpenApiDocumentTest {

  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void tearDown() throws Exception {
    join(vertx.close());
  }

  @Test
  void givenTheAdminRouter_thenEveryRouteIsInTheDocumentAndEveryDocumentedOperationIsARoute() {
    AdminResources resources = AdminResources.load();
    Router router = Router.router(vertx);
    new AdminHttp(vertx, "node", resources, List.of(), 1000).mount(router);
    Map<String, String> served = new TreeMap<>();
    for (Route route : router.getRoutes()) {
      String path = route.getPath();
      if (route.methods() == null || path == null || path.equals(AdminHttp.OPENAPI_PATH)) {
        continue; // the catch-all 404 and the document itself
      }
      for (HttpMethod method : route.methods()) {
        served.put(method.name().toLowerCase() + " " + path.replaceAll(":(\\w+)", "{$1}"), "");
      }
    }
    for (AdminResources.Bound bound : resources.all()) {
      AdminRoute r = bound.route();
      TreeSet<String> params = new TreeSet<>();
      r.params().forEach(p -> params.add(p.name() + (p.inPath() ? " in path" : " in query")));
      served.put(r.method().name().toLowerCase() + " " + r.path().replaceAll(":(\\w+)", "{$1}"), r.operation() + " " + params);
    }

    Map<String, String> documented = new TreeMap<>();
    JsonObject paths = new JsonObject(AdminHttp.openApiDocument()).getJsonObject("paths");
    for (String path : paths.fieldNames()) {
      JsonObject item = paths.getJsonObject(path);
      for (String method : item.fieldNames()) {
        JsonObject op = item.getJsonObject(method);
        TreeSet<String> params = new TreeSet<>();
        op.getJsonArray("parameters").forEach(p -> params.add(((JsonObject) p).getString("name") + " in "
          + ((JsonObject) p).getString("in")));
        documented.put(method + " " + path, op.getString("operationId") + " " + params);
      }
    }
    assertEquals(served, documented);
  }
}
