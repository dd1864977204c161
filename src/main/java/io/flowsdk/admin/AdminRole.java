package io.flowsdk.admin;

/** What a bearer token of the admin API may do. */
public enum AdminRole {
  /** Read every resource. */
  READ,
  /** Read, and act: disconnect a client, delete a retained message. */
  ADMIN;

  /** Whether a holder of this role may use a route that needs {@code needed}. */
  public boolean allows(AdminRole needed) {
    return this == ADMIN || needed == READ;
  }
}
