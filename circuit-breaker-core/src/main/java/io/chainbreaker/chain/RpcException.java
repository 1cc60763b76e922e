package io.chainbreaker.chain;

import java.io.IOException;

/**
 * A request to an RPC endpoint failed: HTTP error, timeout, refused or reset connection, malformed
 * or oversized answer, JSON-RPC error object, null block. The message says which, in words an
 * operator can act on, and never contains the secret parts of the endpoint URL.
 */
public class RpcException extends IOException {
  private static final long serialVersionUID = 1L;

  /** A failure described by {@code message}. */
  public RpcException(String message) {
    super(message);
  }
}
