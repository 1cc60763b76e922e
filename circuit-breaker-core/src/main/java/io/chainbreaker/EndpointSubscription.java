package io.chainbreaker;

import io.chainbreaker.chain.BlockHead;
import io.chainbreaker.chain.HeadStream;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * The state of one endpoint's head subscription: whether it is open and delivering, when it last
 * pushed, whether it went silent, and whether a pushed head asked for a poll at once. Written on
 * the network's monitor thread; its state and detail are read from any thread.
 */
final class EndpointSubscription {

  private volatile SubscriptionState state = SubscriptionState.NONE;

  /** What went wrong with the subscription, or null. */
  private volatile @Nullable String detail;

  private volatile @Nullable HeadStream stream;
  private long lastPushNanos;
  private long lastHeadPushNanos = Long.MIN_VALUE;
  private long headAtLastPush = -1;

  /** Whether a pushed head asks for a poll at once: it was on another branch. */
  private boolean pollNow;

  SubscriptionState state() {
    return state;
  }

  @Nullable String detail() {
    return detail;
  }

  /** Whether it has a subscription (working or not). */
  boolean exists() {
    return stream != null;
  }

  /** A head was pushed at {@code now}. */
  void pushed(long number, long now) {
    lastPushNanos = now;
    lastHeadPushNanos = now;
    headAtLastPush = number;
  }

  /** A pushed head was on another branch: the next poll is due at once. */
  void wantPoll() {
    pollNow = true;
  }

  /** Whether a pushed head asked for a poll at once. */
  boolean pollWanted() {
    return pollNow;
  }

  /** A poll started: the wish for one is met. */
  void polled() {
    pollNow = false;
  }

  /**
   * Whether it is delivering heads: it pushed a head within {@code withinNanos}, so polling can
   * slow to a keep-alive check.
   */
  boolean delivering(long now, long withinNanos) {
    return stream != null
        && state == SubscriptionState.SUBSCRIBED
        && lastHeadPushNanos != Long.MIN_VALUE
        && now - lastHeadPushNanos < withinNanos;
  }

  /**
   * If it went silent (subscribed, yet nothing pushed for {@code silentAfter} while polls show the
   * endpoint's head, {@code head}, moved on), marks it {@link SubscriptionState#FAILING} and
   * resubscribes; returns whether it did.
   */
  boolean resubscribeIfSilent(long now, Duration silentAfter, @Nullable BlockHead head) {
    HeadStream s = stream;
    if (s == null
        || state != SubscriptionState.SUBSCRIBED
        || head == null
        || now - lastPushNanos < silentAfter.toNanos()
        || head.number() <= headAtLastPush + 1) {
      return false;
    }
    state = SubscriptionState.FAILING;
    detail = "silent for " + silentAfter + "; resubscribing";
    subscribed(now, head);
    s.resubscribe();
    return true;
  }

  /** It is being opened. */
  void opening() {
    state = SubscriptionState.CONNECTING;
    detail = null;
  }

  /** It opened, delivering what it receives to the monitor. */
  void opened(HeadStream opened) {
    stream = opened;
  }

  /** The node confirmed it at {@code now}, the endpoint's head then being {@code head}. */
  void confirmed(long now, @Nullable BlockHead head) {
    state = SubscriptionState.SUBSCRIBED;
    detail = null;
    subscribed(now, head);
  }

  /** It could not be opened, failed or sent something unusable. */
  void failed(String problem) {
    state = SubscriptionState.FAILING;
    detail = problem;
  }

  private void subscribed(long now, @Nullable BlockHead head) {
    lastPushNanos = now;
    headAtLastPush = head == null ? -1 : head.number();
  }

  void close() {
    HeadStream s = stream;
    if (s != null) {
      s.close();
    }
  }
}
