package io.chainbreaker.store;

import org.jspecify.annotations.Nullable;

/** The state store could not be read; the message says why, without credentials. */
public class StateStoreException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** A failure described by {@code message}, caused by {@code cause}. */
  public StateStoreException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }

  /** A failure described by {@code message}. */
  public StateStoreException(String message) {
    super(message);
  }
}
