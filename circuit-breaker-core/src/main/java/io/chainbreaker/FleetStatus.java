package io.chainbreaker;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * This instance's place in its fleet, as of a moment: what the console, the actuator and the health
 * contribution show.
 *
 * @param role {@link Role#SOLO} for an engine that is no fleet's member
 * @param fleet the fleet's name, or null for SOLO
 * @param instance this instance's id, or null for SOLO
 * @param leader the instance that leads, as last seen, or null if none is known
 * @param epoch the lease epoch last seen (this instance's own while it leads)
 * @param lastContact when this instance last reached the fleet's store, or null if never
 * @param problem why the last call to the store failed, or null if it did not
 * @param staleAfter the verdict age past which this instance suspends a network
 * @param verdictAges per network, how old the newest verdict this instance holds is (the time since
 *     its leader last vouched for it); empty for SOLO
 */
public record FleetStatus(
    Role role,
    @Nullable String fleet,
    @Nullable String instance,
    @Nullable String leader,
    long epoch,
    @Nullable Instant lastContact,
    @Nullable String problem,
    @Nullable Duration staleAfter,
    Map<String, Duration> verdictAges) {

  /** What this instance does in its fleet. */
  public enum Role {
    /** Not a fleet's member: it watches every network itself. */
    SOLO,
    /** It holds the lease: it watches the networks and publishes their verdicts. */
    LEADER,
    /** It applies the leader's verdicts and watches no provider. */
    FOLLOWER
  }

  /** Copies the map. */
  public FleetStatus {
    verdictAges = Map.copyOf(verdictAges);
  }

  /** The status of an engine that is no fleet's member. */
  public static FleetStatus solo() {
    return new FleetStatus(Role.SOLO, null, null, null, 0, null, null, null, Map.of());
  }

  /** Whether this instance watches the networks itself: it leads, or it is SOLO. */
  public boolean watches() {
    return role != Role.FOLLOWER;
  }
}
