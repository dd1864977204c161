package io.flowsdk.admin;

import io.vertx.core.http.HttpMethod;

import java.util.ArrayList;
import java.util.List;

/**
 * One route of the admin API, as an {@link AdminResource} declares it: the HTTP method and path
 * (vertx-web form, {@code /api/mqtt/clients/:clientId}), the operation each node runs for it, the
 * role it needs, which nodes answer, its parameters and, for a list, the item fields it is sorted by.
 * A route with sort keys is paged: it takes {@code offset} and {@code limit} (at most
 * {@value AdminParam#MAX_PAGE}, default 100).
 */
public record AdminRoute(HttpMethod method, String path, String operation, AdminRole role, Fanout fanout,
                         List<AdminParam> params, List<String> sortKeys) {

  public static final int DEFAULT_PAGE = 100;

  public AdminRoute {
    List<AdminParam> all = new ArrayList<>(params);
    if (!sortKeys.isEmpty()) {
      all.add(AdminParam.query("offset", AdminParam.Kind.OFFSET, 0));
      all.add(AdminParam.query("limit", AdminParam.Kind.LIMIT, DEFAULT_PAGE));
    }
    params = List.copyOf(all);
    sortKeys = List.copyOf(sortKeys);
  }

  /** A route answered by {@code fanout} without paging. */
  public static AdminRoute of(HttpMethod method, String path, String operation, AdminRole role, Fanout fanout,
                              AdminParam... params) {
    return new AdminRoute(method, path, operation, role, fanout, List.of(params), List.of());
  }

  /** A paged list of items sorted by {@code sortKeys}. */
  public static AdminRoute list(String path, String operation, Fanout fanout, List<String> sortKeys, AdminParam... params) {
    return new AdminRoute(HttpMethod.GET, path, operation, AdminRole.READ, fanout, List.of(params), sortKeys);
  }

  public boolean paged() {
    return !sortKeys.isEmpty();
  }
}
