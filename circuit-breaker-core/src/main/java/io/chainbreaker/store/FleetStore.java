package io.chainbreaker.store;

import io.chainbreaker.NetworkVerdict;
import io.chainbreaker.TokenTransition;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Where the instances of one fleet meet: the lease that makes one of them the leader, the verdicts
 * the leader publishes, and (through the same fence) its audit rows. {@link JdbcFleetStore} keeps
 * them in PostgreSQL; {@link InMemoryFleetStore} in this JVM, for engines of one process (tests).
 *
 * <p>Fencing: the lease carries an epoch that only grows; {@link #publish} takes the epoch the
 * caller holds and refuses the whole write with {@link FencedException} unless that epoch is the
 * lease's and the lease has not expired, judged in the store's own transaction and by the store's
 * own clock. So a leader that was paused (GC, SIGSTOP) past its lease and wakes after another took
 * over changes nothing. Calls may block (a database); they are made from the fleet's own thread.
 */
public interface FleetStore extends AutoCloseable {

  /**
   * The lease of fleet {@code fleet} as the store sees it now.
   *
   * @param holder the instance holding it, or null if none ever did or it was released
   * @param epoch its epoch: 0 before anyone held it, one more at every new holder
   * @param validFor how long it stays valid by the store's clock; zero or negative once expired
   * @param renewedAgo how long ago its holder last took or renewed it, by the store's clock
   */
  record Lease(@Nullable String holder, long epoch, Duration validFor, Duration renewedAgo) {

    /** Whether {@code instance} holds it and it is still valid. */
    public boolean heldBy(String instance) {
      return instance.equals(holder) && isValid();
    }

    /** Whether someone holds it and it has not expired. */
    public boolean isValid() {
      return holder != null && validFor.compareTo(Duration.ZERO) > 0;
    }
  }

  /**
   * A follower's read: the lease and the verdicts published after a sequence number.
   *
   * @param lease the lease, read in the same transaction
   * @param verdicts the verdicts with {@code seq} above the one asked for, in {@code seq} order
   */
  record Read(Lease lease, List<NetworkVerdict> verdicts) {

    /** Copies the list. */
    public Read {
      verdicts = List.copyOf(verdicts);
    }
  }

  /**
   * Takes the lease for {@code instance} if it is free or expired (a new epoch), and returns the
   * lease as it is afterwards: held by {@code instance} if it got it, by another one otherwise.
   */
  Lease acquire(String fleet, String instance, Duration ttl);

  /**
   * Renews the lease {@code instance} holds with {@code epoch} for {@code ttl} from now; false if
   * it no longer holds it (expired, taken over or released), in which case nothing changed.
   */
  boolean renew(String fleet, String instance, long epoch, Duration ttl);

  /** Gives the lease up at once, if {@code instance} still holds it with {@code epoch}. */
  void release(String fleet, String instance, long epoch);

  /**
   * Writes the verdicts (replacing each network's previous one, unless that one has a newer epoch)
   * and appends the audit rows, in one transaction fenced by {@code epoch}: all or nothing.
   *
   * @throws FencedException if {@code instance} does not hold the lease with {@code epoch} now
   */
  void publish(
      String fleet,
      String instance,
      long epoch,
      List<NetworkVerdict> verdicts,
      List<TokenTransition> audit);

  /**
   * The fence a writer holds: the fleet, the instance and the epoch it took the lease with. A write
   * made with a fence is refused unless that instance still holds the lease with that epoch.
   */
  record Fence(String fleet, String instance, long epoch) {}

  /** The outbox of this store, whose fenced writes check the same lease. */
  Outbox outbox();

  /** The lease and every verdict published after {@code afterSeq} (0: all of them). */
  Read read(String fleet, long afterSeq);

  /**
   * Calls {@code onChange} (from any thread, quickly) whenever a verdict is published or an
   * override written, so that a follower need not wait for its next poll. Stores that cannot tell
   * do nothing; followers poll anyway.
   */
  default void listen(Runnable onChange) {}

  /** Releases what the store holds (connections, threads). */
  @Override
  default void close() {}

  /** A write refused because the writer no longer holds the lease with its epoch. */
  final class FencedException extends StateStoreException {
    private static final long serialVersionUID = 1L;

    /** A refusal saying which epoch was refused and what the lease is now. */
    public FencedException(String message) {
      super(message);
    }
  }
}
