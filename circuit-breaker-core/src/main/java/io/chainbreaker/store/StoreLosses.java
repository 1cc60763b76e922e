package io.chainbreaker.store;

import io.chainbreaker.TokenId;
import io.chainbreaker.store.StoreOp.Append;
import io.chainbreaker.store.StoreOp.Lost;
import io.chainbreaker.store.StoreOp.Put;
import io.chainbreaker.store.StoreOp.Remove;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts, per token, the writes a {@link JdbcStateStore}'s full queue refused, and makes the LOST
 * rows that record them in the trail once it has room again. Not thread-safe: the store calls it
 * under its queue's lock.
 */
final class StoreLosses {

  private static final Logger log = LoggerFactory.getLogger("io.chainbreaker.store");

  /** Writes of one token that the full queue refused, until its LOST row is queued. */
  private static final class Losses {
    final @Nullable String symbol;
    final @Nullable String network;
    final Instant first;
    Instant last;
    long count;

    Losses(@Nullable String symbol, @Nullable String network, Instant first) {
      this.symbol = symbol;
      this.network = network;
      this.first = first;
      this.last = first;
    }
  }

  private final int capacity;
  private final Map<String, Losses> losses = new LinkedHashMap<>();

  /**
   * @param capacity the queue's, named in the LOST rows
   */
  StoreLosses(int capacity) {
    this.capacity = capacity;
  }

  /**
   * Counts {@code op}, refused at {@code now}; returns its token as {@code SYMBOL@network}, or null
   * for a catalog change.
   */
  @Nullable String count(StoreOp op, Instant now) {
    String symbol = null;
    String network = null;
    if (op instanceof Put put) {
      symbol = put.override().symbol();
      network = put.override().network();
    } else if (op instanceof Remove remove) {
      symbol = remove.symbol();
      network = remove.network();
    } else if (op instanceof Append append) {
      symbol = append.transition().symbol();
      network = append.transition().network();
    }
    String key = symbol == null ? "" : TokenId.format(symbol, Objects.requireNonNull(network));
    Losses l = losses.get(key);
    if (l == null) {
      l = new Losses(symbol, network, now);
      losses.put(key, l);
    }
    l.count++;
    l.last = now;
    return symbol == null ? null : key;
  }

  /** Whether no refused write waits for its LOST row. */
  boolean isEmpty() {
    return losses.isEmpty();
  }

  /** One LOST row per token that lost writes, made at {@code now}; the counts start again. */
  List<Lost> drain(Instant now) {
    List<Lost> rows = new ArrayList<>(losses.size());
    for (Losses l : losses.values()) {
      String what =
          l.symbol == null
              ? "catalog changes"
              : "writes of " + TokenId.format(l.symbol, Objects.requireNonNull(l.network));
      String detail =
          l.count
              + " "
              + what
              + " could not be stored from "
              + l.first
              + " to "
              + l.last
              + " (the state store's queue was full, "
              + capacity
              + " writes); each is in the log at ERROR. The trail is complete again from here.";
      rows.add(new Lost(l.symbol, l.network, detail, now));
    }
    log.warn(
        "state store caught up: {} writes of {} tokens or catalog changes were lost while its"
            + " queue was full; recorded in the audit trail as LOST",
        losses.values().stream().mapToLong(l -> l.count).sum(),
        losses.size());
    losses.clear();
    return rows;
  }
}
