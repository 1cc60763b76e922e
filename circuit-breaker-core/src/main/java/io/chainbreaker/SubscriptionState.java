package io.chainbreaker;

/**
 * The state of an endpoint's push subscription to new heads ({@link
 * EndpointStatus#subscription()}); what went wrong, if anything, is in {@link
 * EndpointStatus#subscriptionDetail()}. Polling carries the head in every state; a subscription
 * only makes heads arrive sooner and polls rarer.
 */
public enum SubscriptionState {
  /** No WebSocket URL is configured for the endpoint: it is polled only. */
  NONE,
  /** Connecting or subscribing, at start or after a drop. */
  CONNECTING,
  /** Subscribed: heads are pushed as the node sees them. */
  SUBSCRIBED,
  /**
   * The subscription failed, sent something malformed or went silent while polls show the head
   * moving; it is reconnected with backoff, and polls carry the head meanwhile.
   */
  FAILING
}
