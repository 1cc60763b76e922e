package io.chainbreaker;

import io.chainbreaker.chain.BlockHead;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;

/**
 * {@link Reason#HALTED} on a {@link NetworkMode#CONTINUOUS} network: no new head for {@code
 * haltAfter}; or, before any head was seen to advance, a head whose block time is older than {@code
 * haltAfter + timestampSkew} (a start during a halt). Once heads advance they outweigh block times:
 * a wrong host clock cannot halt a moving chain.
 */
final class HaltedRule implements HaltRule {

  @Override
  public Reason reason() {
    return Reason.HALTED;
  }

  @Override
  public String description() {
    return "The network head has not advanced for `haltAfter`. A deadline is armed at each "
        + "advance, so the suspension lands at `haltAfter` after the last new head was "
        + "seen, not at the next poll (10–15 ms late at the median with ten networks "
        + "halting at once, see [benchmarks](../benchmarks/README.md)). Also: the latest "
        + "block's timestamp is older than `haltAfter` + `timestampSkew` by wall clock, "
        + "so an engine started during a halt suspends at once.";
  }

  @Override
  public Set<Direction> suspendsByDefault() {
    return BOTH;
  }

  @Override
  public NetworkHealth health() {
    return NetworkHealth.HALTED;
  }

  @Override
  public boolean interruptsBlocks() {
    return true;
  }

  @Override
  public Verdict judge(NetworkView v) {
    NetworkConfig c = v.config();
    BlockHead head = v.head();
    if (head == null || c.mode() != NetworkMode.CONTINUOUS) {
      return Verdict.CLEAR;
    }
    long haltAfter = c.haltAfter().toNanos();
    if (v.now() - v.lastAdvanceNanos() >= haltAfter) {
      return Verdict.inForce("no new head for " + c.haltAfter() + " after #" + head.number());
    }
    long next = v.lastAdvanceNanos() + haltAfter;
    if (v.liveAdvance()) {
      return Verdict.clearUntil(next);
    }
    Instant wall = v.wall();
    Duration age = Duration.ofSeconds(wall.getEpochSecond() - head.timestamp());
    Duration limit = c.haltAfter().plus(c.timestampSkew());
    if (age.compareTo(limit) > 0) {
      return Verdict.inForce(
          "latest block #"
              + head.number()
              + " is "
              + age
              + " old by this"
              + " host's clock and no newer head was seen yet");
    }
    long staleAtSeconds = head.timestamp() + limit.toSeconds() + 1;
    long untilStaleSeconds = staleAtSeconds - wall.getEpochSecond();
    // Seconds first: a block stamped centuries ahead must not overflow the nanoseconds.
    if (untilStaleSeconds < c.haltAfter().toSeconds() + 3600) {
      long staleAt =
          v.now()
              + Math.max(
                  0, Duration.between(wall, Instant.ofEpochSecond(staleAtSeconds)).toNanos());
      next = Math.min(next, staleAt);
    }
    return Verdict.clearUntil(next);
  }
}
