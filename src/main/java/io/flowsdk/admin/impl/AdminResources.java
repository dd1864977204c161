package io.flowsdk.admin.impl;

import io.flowsdk.FlowError;
import io.flowsdk.FlowException;
import io.flowsdk.admin.AdminResource;
import io.flowsdk.admin.AdminRoute;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

/** The admin resources on the class path, and which one runs each operation. */
public final class AdminResources {

  /** A route with the resource that runs its operation. */
  public record Bound(AdminRoute route, AdminResource resource) {
  }

  private final Map<String, Bound> byOperation = new LinkedHashMap<>();

  AdminResources(List<AdminResource> resources) {
    for (AdminResource resource : resources) {
      for (AdminRoute route : resource.routes()) {
        Bound earlier = byOperation.putIfAbsent(route.operation(), new Bound(route, resource));
        if (earlier != null) {
          throw new FlowException(FlowError.INTERNAL, "admin operation '" + route.operation() + "' is declared by "
            + earlier.resource().getClass().getName() + " and " + resource.getClass().getName());
        }
      }
    }
  }

  /** The resources declared as {@code META-INF/services/io.flowsdk.admin.AdminResource}. */
  public static AdminResources load() {
    List<AdminResource> found = new ArrayList<>();
    ServiceLoader.load(AdminResource.class, AdminResources.class.getClassLoader()).forEach(found::add);
    return new AdminResources(found);
  }

  public Collection<Bound> all() {
    return byOperation.values();
  }

  /** The route of {@code operation}; fails with {@code INVALID} for an operation no resource declares. */
  Bound get(String operation) {
    Bound bound = byOperation.get(operation);
    if (bound == null) {
      throw new FlowException(FlowError.INVALID, "no admin resource on this node declares operation '" + operation
        + "' (nodes of another version?)");
    }
    return bound;
  }
}
