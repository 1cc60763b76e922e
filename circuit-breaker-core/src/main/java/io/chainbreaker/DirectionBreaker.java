package io.chainbreaker;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * The state machine of one token in one direction: an automatic state driven by its network's
 * {@link Condition}, an optional operator override above it, and the effective status published to
 * readers through one volatile field and mirrored on a Resilience4j breaker.
 *
 * <p>Methods that change state are synchronized and never call out while holding the lock; they
 * return the transition, if any, for the caller to publish.
 */
final class DirectionBreaker {

  private static final String WAITING_FOR_HEAD = "waiting for the first head";

  private TokenConfig token;
  final Direction direction;
  private RecoveryRule rule;
  final CircuitBreaker r4j;

  /** Appends to the state store's audit trail; called under the lock so rows keep their order. */
  private final Consumer<TokenTransition> journal;

  private BreakerState autoState = BreakerState.SUSPENDED;
  private Reason autoReason = Reason.STARTING;
  private String autoDetail = WAITING_FOR_HEAD;
  private Instant autoSince;
  private @Nullable Long autoHead;
  private long restartHead;
  private long recoveryStartNanos;
  private @Nullable BreakerOverride override;

  /** Set while the state store could not be read: SUSPENDED with STORE_UNAVAILABLE above auto. */
  private boolean storeHold;

  private Instant storeHoldSince;
  private String storeHoldDetail = "";

  /** Set while this fleet member has no fresh verdict: SUSPENDED with VIEW_STALE above auto. */
  private boolean viewHold;

  private Instant viewHoldSince;
  private String viewHoldDetail = "";

  /** Set once the token is removed from the catalog: SUSPENDED for good, never evaluated again. */
  private boolean retired;

  private volatile DirectionStatus status;

  /** Mirrors {@code status.allows()}, one dereference less on the hot path. */
  private volatile boolean allowed;

  DirectionBreaker(
      TokenConfig token,
      Direction direction,
      RecoveryRule rule,
      CircuitBreaker r4j,
      Instant now,
      Consumer<TokenTransition> journal) {
    this.journal = journal;
    this.token = token;
    this.direction = direction;
    this.rule = rule;
    this.r4j = r4j;
    this.autoSince = now;
    this.storeHoldSince = now;
    this.viewHoldSince = now;
    setStatus(effective());
    syncR4j();
  }

  /** The effective status; one volatile read. */
  DirectionStatus status() {
    return status;
  }

  boolean allowed() {
    return allowed;
  }

  /**
   * Starts from a state remembered by the store: a suspension from before a restart must be
   * recovered from by this engine's own evidence.
   */
  synchronized void restore(TokenTransition last) {
    if (remembersSuspension(last)) {
      autoState = BreakerState.SUSPENDED;
      autoReason = last.reason();
      autoDetail = "suspended before this engine started (" + last.detail() + ")";
      autoSince = last.at();
      autoHead = last.head();
      setStatus(effective());
      syncR4j();
    }
  }

  /**
   * Fails closed because what was suspended before this engine started is unknown: SUSPENDED with
   * {@link Reason#STORE_UNAVAILABLE} until {@link #releaseStoreHold}, whatever the chain says (an
   * operator's override made on this instance still outranks it). The automatic state goes on
   * underneath. Returns the transition, which the store is not asked to keep.
   */
  synchronized @Nullable TokenTransition holdForStore(Instant now, String detail) {
    DirectionStatus before = status;
    storeHold = true;
    storeHoldSince = now;
    storeHoldDetail = detail;
    return publish(before, now, autoHead, null);
  }

  /**
   * Ends the hold once the store answered, with {@code last}, the newest transition it remembers
   * (or null). Unless the engine's own evidence already holds this direction suspended or
   * recovering, it recovers by the rule before allowing: from the remembered suspension if there is
   * one, else from {@link Reason#STORE_UNAVAILABLE} (a transition may have been lost with the
   * store).
   */
  synchronized @Nullable TokenTransition releaseStoreHold(
      @Nullable TokenTransition last, Instant now, @Nullable Long head) {
    if (!storeHold) {
      return null;
    }
    DirectionStatus before = status;
    if (autoState == BreakerState.ALLOWED || autoReason == Reason.STARTING) {
      autoState = BreakerState.SUSPENDED;
      if (last != null && remembersSuspension(last)) {
        autoReason = last.reason();
        autoDetail = "suspended before this engine started (" + last.detail() + ")";
        autoSince = last.at();
      } else {
        autoReason = Reason.STORE_UNAVAILABLE;
        autoDetail =
            "the state store could not be read from " + storeHoldSince + "; recovering by the rule";
        autoSince = now;
      }
    }
    storeHold = false;
    return publish(before, now, head, null);
  }

  /**
   * The automatic state alone (no override, no hold): what a fleet's leader publishes for this
   * direction.
   */
  synchronized DirectionStatus autoStatus() {
    return new DirectionStatus(autoState, autoReason, autoSince, autoDetail, autoHead, null);
  }

  /**
   * Takes the automatic state a fleet's leader published (this instance follows, and watches
   * nothing itself); overrides and holds stay above it. Returns the transition, if any.
   */
  synchronized @Nullable TokenTransition mirror(DirectionStatus auto, Instant now) {
    if (retired) {
      return null;
    }
    DirectionStatus before = status;
    autoState = auto.state();
    autoReason = auto.reason();
    autoDetail = auto.detail();
    autoSince = auto.since();
    autoHead = auto.head();
    return publish(before, now, auto.head(), null);
  }

  /**
   * This instance starts leading from the published state: a recovery in progress goes on from the
   * head it started at ({@code autoHead} when it entered RECOVERING), with its grace counted again
   * from {@code nowNanos}: never shorter than the rule, whoever led before.
   */
  synchronized void takeOver(long nowNanos) {
    if (autoState == BreakerState.RECOVERING) {
      restartHead = autoHead == null ? 0 : autoHead;
      recoveryStartNanos = nowNanos;
    }
  }

  /**
   * Fails closed because this fleet member has no fresh verdict of its network: SUSPENDED with
   * {@link Reason#VIEW_STALE} until {@link #releaseViewHold}; an operator's override outranks it.
   */
  synchronized @Nullable TokenTransition holdForView(Instant now, String detail) {
    DirectionStatus before = status;
    viewHold = true;
    viewHoldSince = now;
    viewHoldDetail = detail;
    return publish(before, now, autoHead, null);
  }

  /** A fresh verdict is here: the automatic state (the leader's) is in force again. */
  synchronized @Nullable TokenTransition releaseViewHold(Instant now) {
    if (!viewHold) {
      return null;
    }
    DirectionStatus before = status;
    viewHold = false;
    return publish(before, now, autoHead, null);
  }

  private static boolean remembersSuspension(TokenTransition last) {
    return last.to() != BreakerState.ALLOWED
        && last.reason() != Reason.OPERATOR
        && last.reason() != Reason.STARTING;
  }

  /**
   * Takes a changed token configuration or recovery rule (the catalog changed); the state, the
   * override and any recovery in progress are kept, and the new rule applies from the next
   * evaluation.
   */
  synchronized void reconfigure(TokenConfig token, RecoveryRule rule) {
    this.token = token;
    this.rule = rule;
  }

  /**
   * Starts a token listed at run time on a network that is healthy now: ALLOWED at once, as its
   * network's other tokens are, rather than waiting for the monitor's next evaluation (which
   * follows within milliseconds and suspends it if the network has turned since). No transition:
   * the catalog change is what the audit trail keeps.
   */
  synchronized void listOnHealthyNetwork(Instant now, @Nullable Long head) {
    if (autoReason != Reason.STARTING) {
      return;
    }
    autoState = BreakerState.ALLOWED;
    autoReason = Reason.HEALTHY;
    autoDetail = "listed while its network was healthy";
    autoSince = now;
    autoHead = head;
    setStatus(effective());
    syncR4j();
  }

  /**
   * The token was removed from the catalog: SUSPENDED with {@link Reason#DELISTED} for good, so a
   * handle still held somewhere answers "not allowed". No transition: the catalog change is what
   * the audit trail keeps.
   */
  synchronized void retire(Instant now) {
    retired = true;
    autoSince = now;
    setStatus(effective());
    syncR4j();
  }

  /** Applies the network's condition; returns the transition it caused, or null. */
  synchronized @Nullable TokenTransition evaluate(Condition c) {
    if (retired) {
      return null;
    }
    DirectionStatus before = status;
    Reason why = c.suspending(direction);
    String detail =
        why == null
            ? ""
            : Objects.requireNonNull(
                c.problems().get(why), "suspending() returns a key of problems()");
    switch (autoState) {
      case ALLOWED:
        if (why != null) {
          setAuto(BreakerState.SUSPENDED, why, detail, c);
        }
        break;
      case RECOVERING:
        if (why != null) {
          setAuto(BreakerState.SUSPENDED, why, detail, c);
        } else if (recovered(c)) {
          setAuto(BreakerState.ALLOWED, Reason.HEALTHY, "recovered after " + autoReason, c);
        } else {
          // Same state and reason, so no transition: only what is still pending changes.
          autoDetail = recoveringDetail(c);
        }
        break;
      case SUSPENDED:
        if (why != null) {
          if (autoReason != why) {
            setAuto(BreakerState.SUSPENDED, why, detail, c);
          }
        } else if (c.health() == NetworkHealth.STARTING || c.head() == null) {
          // Nothing seen yet: stay as we are, saying what we wait for.
          if (autoReason != Reason.STARTING && !autoDetail.endsWith(WAITING_FOR_HEAD)) {
            autoDetail = autoDetail + "; " + WAITING_FOR_HEAD;
          }
        } else if (autoReason == Reason.STARTING) {
          // No outage was witnessed: a fresh engine on a healthy chain allows at once.
          setAuto(BreakerState.ALLOWED, Reason.HEALTHY, "network healthy", c);
        } else {
          restartHead = c.head();
          recoveryStartNanos = c.nowNanos();
          Reason was = autoReason;
          setAuto(BreakerState.RECOVERING, was, "", c);
          autoDetail = recoveringDetail(c);
          if (recovered(c)) {
            setAuto(BreakerState.ALLOWED, Reason.HEALTHY, "recovered after " + was, c);
          }
        }
        break;
      default:
        throw new IllegalStateException(autoState.name());
    }
    expireOverride(c.now());
    return publish(before, c.now(), c.head(), null);
  }

  /** When the recovery grace ends, in ticker nanos, or {@code Long.MAX_VALUE} if not recovering. */
  synchronized long graceEndsNanos() {
    return autoState == BreakerState.RECOVERING
        ? recoveryStartNanos + rule.grace().toNanos()
        : Long.MAX_VALUE;
  }

  /** When the override expires, or null. */
  synchronized @Nullable Instant overrideExpiry() {
    return override == null ? null : override.expiresAt();
  }

  synchronized @Nullable TokenTransition setOverride(
      @Nullable BreakerOverride next, Instant now, @Nullable Long head, String actor) {
    DirectionStatus before = status;
    override = next;
    return publish(before, now, head, actor);
  }

  /** Sets {@code next} only if the override is still {@code expected}; the store sync's CAS. */
  @SuppressWarnings("ReferenceEquality") // identity is the CAS: an equal but other override differs
  synchronized @Nullable TokenTransition replaceOverride(
      @Nullable BreakerOverride expected,
      @Nullable BreakerOverride next,
      Instant now,
      @Nullable Long head,
      String actor) {
    if (override != expected) {
      return null;
    }
    return setOverride(next, now, head, actor);
  }

  synchronized @Nullable BreakerOverride override() {
    return override;
  }

  private void expireOverride(Instant now) {
    if (override != null && override.expiredAt(now)) {
      override = null;
    }
  }

  private boolean recovered(Condition c) {
    Long head = c.head();
    return head != null
        && head - restartHead >= rule.blocks()
        && c.nowNanos() - recoveryStartNanos >= rule.grace().toNanos()
        && c.cadence().normalOver(rule.blocks());
  }

  /**
   * Every condition of the recovery rule that does not hold yet, as of this evaluation, e.g. {@code
   * waiting for 2 more blocks (3 past #24002380; at #24002381), a normal cadence (mean block
   * interval at most 2 s over the last 3 blocks) and 4.5 s more grace (of 5 s)}.
   */
  private String recoveringDetail(Condition c) {
    List<String> pending = new ArrayList<>(3);
    Long head = c.head();
    long past = head == null ? 0 : head - restartHead;
    if (past < rule.blocks()) {
      long more = rule.blocks() - past;
      pending.add(
          more
              + " more block"
              + (more == 1 ? "" : "s")
              + " ("
              + rule.blocks()
              + " past #"
              + restartHead
              + "; at #"
              + (head == null ? restartHead : head)
              + ")");
    }
    if (!c.cadence().normalOver(rule.blocks())) {
      pending.add(
          "a normal cadence (mean block interval at most "
              + human(c.config().blockInterval().multipliedBy(2))
              + " over the last "
              + rule.blocks()
              + " blocks)");
    }
    long graceLeft = rule.grace().toNanos() - (c.nowNanos() - recoveryStartNanos);
    if (graceLeft > 0) {
      pending.add(
          human(Duration.ofNanos(graceLeft)) + " more grace (of " + human(rule.grace()) + ")");
    }
    if (pending.isEmpty()) {
      return "recovery rule met";
    }
    StringBuilder detail = new StringBuilder("waiting for ");
    for (int i = 0; i < pending.size(); i++) {
      if (i > 0) {
        detail.append(i == pending.size() - 1 ? " and " : ", ");
      }
      detail.append(pending.get(i));
    }
    return detail.toString();
  }

  /** {@code 500 ms}, {@code 4.5 s}, {@code 5 min}: for people, unlike {@code PT4.5S}. */
  static String human(Duration d) {
    long ms = d.toMillis();
    if (ms < 1000) {
      return ms + " ms";
    }
    if (ms < 60_000 || ms % 60_000 != 0) {
      return ms % 1000 == 0 ? ms / 1000 + " s" : String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
    }
    return ms % 3_600_000 == 0 ? ms / 3_600_000 + " h" : ms / 60_000 + " min";
  }

  private void setAuto(BreakerState state, Reason reason, String detail, Condition c) {
    autoState = state;
    autoReason = reason;
    autoDetail = detail;
    autoSince = c.now();
    autoHead = c.head();
  }

  private DirectionStatus effective() {
    if (retired) {
      return new DirectionStatus(
          BreakerState.SUSPENDED,
          Reason.DELISTED,
          autoSince,
          "removed from the catalog",
          autoHead,
          null);
    }
    BreakerOverride o = override;
    if (o != null) {
      String detail =
          "forced by "
              + o.actor()
              + ": "
              + o.note()
              + (o.expiresAt() == null ? "" : " (until " + o.expiresAt() + ")");
      return new DirectionStatus(o.state(), Reason.OPERATOR, o.createdAt(), detail, autoHead, o);
    }
    if (storeHold) {
      return new DirectionStatus(
          BreakerState.SUSPENDED,
          Reason.STORE_UNAVAILABLE,
          storeHoldSince,
          storeHoldDetail,
          autoHead,
          null);
    }
    if (viewHold) {
      return new DirectionStatus(
          BreakerState.SUSPENDED, Reason.VIEW_STALE, viewHoldSince, viewHoldDetail, autoHead, null);
    }
    return new DirectionStatus(autoState, autoReason, autoSince, autoDetail, autoHead, null);
  }

  private @Nullable TokenTransition publish(
      DirectionStatus before, Instant now, @Nullable Long head, @Nullable String actor) {
    DirectionStatus after = effective();
    setStatus(after);
    if (before.state() == after.state()
        && before.reason() == after.reason()
        && Objects.equals(before.override(), after.override())) {
      return null;
    }
    syncR4j();
    TokenTransition t =
        new TokenTransition(
            token.symbol(),
            token.network(),
            direction,
            before.state(),
            after.state(),
            after.reason(),
            after.detail(),
            now,
            head,
            actor);
    if (!storeHold || actor != null) {
      // Entering the hold is not journaled: the store could not be read, and its newest row must
      // stay the one remembered from before this engine started.
      journal.accept(t);
    }
    return t;
  }

  private void setStatus(DirectionStatus next) {
    status = next;
    allowed = next.allows();
  }

  private void syncR4j() {
    if (status.state() == BreakerState.ALLOWED) {
      if (r4j.getState() != CircuitBreaker.State.CLOSED) {
        r4j.transitionToClosedState();
      }
    } else if (r4j.getState() != CircuitBreaker.State.FORCED_OPEN) {
      r4j.transitionToForcedOpenState();
    }
  }
}
