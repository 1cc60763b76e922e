package io.chainbreaker.chain;

/**
 * A subscription to an endpoint's new heads ({@code eth_subscribe("newHeads")} over WebSocket). It
 * reconnects by itself with backoff; polling goes on beside it as the fallback and as the check on
 * a subscription that goes silent.
 */
public interface HeadStream extends AutoCloseable {

  /** Drops the connection and subscribes again, e.g. because it went silent. */
  void resubscribe();

  /** Stops for good. */
  @Override
  void close();

  /** What a stream reports; called on the stream's own thread, so it must hand work off. */
  interface Listener {
    /** A new head was pushed. */
    void onHead(BlockHead head);

    /** The subscription is in place. */
    void onSubscribed();

    /** Something went wrong (connection lost, malformed message, refused subscription). */
    void onProblem(String problem);
  }
}
