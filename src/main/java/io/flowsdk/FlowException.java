package io.flowsdk;

import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;

/**
 * The one failure type of FlowSDK: a {@link FlowError} code and a message a person can act on.
 * Futures returned by FlowSDK fail with this exception (or a subclass carrying protocol detail).
 */
public class FlowException extends RuntimeException {

  private final FlowError error;

  public FlowException(FlowError error, String message) {
    super(message, null, false, false);
    this.error = error;
  }

  public FlowException(FlowError error, String message, Throwable cause) {
    super(message, cause, false, false);
    this.error = error;
  }

  public FlowError error() {
    return error;
  }

  @Override
  public String toString() {
    return "FlowException[" + error + "]: " + getMessage();
  }

  /** A {@link ReplyException} carrying this error across the event bus. */
  public ReplyException toReplyException() {
    return new ReplyException(ReplyFailure.RECIPIENT_FAILURE, error.failureCode(), getMessage());
  }

  /**
   * Any failure as a {@link FlowException}: event-bus reply failures keep their meaning
   * (no handlers is {@link FlowError#NO_ROUTE}, a timeout is {@link FlowError#TIMEOUT}), a
   * {@code FlowException} is returned as is, and anything else is {@link FlowError#INTERNAL}.
   */
  public static FlowException from(Throwable failure) {
    if (failure instanceof FlowException) {
      return (FlowException) failure;
    }
    if (failure instanceof ReplyException) {
      ReplyException reply = (ReplyException) failure;
      switch (reply.failureType()) {
        case NO_HANDLERS:
          return new FlowException(FlowError.NO_ROUTE, reply.getMessage(), failure);
        case TIMEOUT:
          return new FlowException(FlowError.TIMEOUT, reply.getMessage(), failure);
        case RECIPIENT_FAILURE:
          FlowError code = FlowError.fromFailureCode(reply.failureCode());
          return new FlowException(code == null ? FlowError.REFUSED : code, reply.getMessage(), failure);
        default:
          return new FlowException(FlowError.INTERNAL, reply.getMessage(), failure);
      }
    }
    return new FlowException(FlowError.INTERNAL, String.valueOf(failure.getMessage()), failure);
  }
}
