package io.flowsdk.admin.ctl;

/** Ends a {@code ctl} command with one line for the person and an exit code ({@link FlowCtl} lists them). */
final class CtlException extends RuntimeException {

  /** The admin API or the broker refused (the line says why). */
  static final int REFUSED = 1;
  /** The node or broker could not be reached. */
  static final int UNREACHABLE = 3;
  /** {@code sub -W} ran out before {@code -C} messages came. */
  static final int TIMEOUT = 4;

  final int exitCode;

  CtlException(int exitCode, String message) {
    super(message, null, false, false);
    this.exitCode = exitCode;
  }
}
