package io.chainbreaker.chain;

import java.io.IOException;

/**
 * A request to an RPC endpoint failed: HTTP error, timeout, refused or reset connection, malformed
 * or oversized answer, JSON-RPC error object, null block. The message says which, in words an
 * operator can act on, and never contains the secret parts of the endpoint URL.
 */
public class RpcException extends IOException {
  private static final long serialVersionUID = 1L;

  private final boolean transport;

  /** A failure described by {@code message}: the endpoint answered, but not usefully. */
  public RpcException(String message) {
    this(message, false);
  }

  /**
   * A failure described by {@code message}.
   *
   * @param transport whether no answer came at all (timeout, refused or reset connection, HTTP
   *     error status) rather than an answer that was wrong or refused the call
   */
  public RpcException(String message, boolean transport) {
    super(message);
    this.transport = transport;
  }

  /**
   * Whether no answer came at all (timeout, connection, HTTP status), as opposed to an answer that
   * refused the call or could not be read: only the latter says the endpoint does not support it.
   */
  public boolean transport() {
    return transport;
  }
}
