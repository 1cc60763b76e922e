package io.chainbreaker;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where health changes and token transitions go: one log line per change (one per group of like
 * token transitions), then every listener, each shielded from the others and from the caller. The
 * engine's {@link ChainBreaker#events()}.
 */
final class EventPublisher implements ChainBreaker.Events {

  private static final Logger log = LoggerFactory.getLogger(ChainBreaker.class);

  private final List<Consumer<? super TokenTransition>> transitionListeners =
      new CopyOnWriteArrayList<>();
  private final List<Consumer<? super NetworkHealthChange>> healthListeners =
      new CopyOnWriteArrayList<>();
  private final List<Consumer<? super CatalogChange>> catalogListeners =
      new CopyOnWriteArrayList<>();
  private final List<Consumer<? super FleetStatus>> fleetListeners = new CopyOnWriteArrayList<>();
  private final Consumer<TokenTransition> onAllowed;

  /** {@code onAllowed} runs first for each transition to ALLOWED (it releases waiting futures). */
  EventPublisher(Consumer<TokenTransition> onAllowed) {
    this.onAllowed = onAllowed;
  }

  @Override
  public ChainBreaker.Events onTokenTransition(Consumer<? super TokenTransition> listener) {
    transitionListeners.add(Objects.requireNonNull(listener, "listener"));
    return this;
  }

  @Override
  public ChainBreaker.Events onFleetChange(Consumer<? super FleetStatus> listener) {
    fleetListeners.add(Objects.requireNonNull(listener, "listener"));
    return this;
  }

  /** The fleet listeners, called by the fleet itself (their failures are logged there). */
  List<Consumer<? super FleetStatus>> fleetListeners() {
    return fleetListeners;
  }

  @Override
  public ChainBreaker.Events onCatalogChange(Consumer<? super CatalogChange> listener) {
    catalogListeners.add(Objects.requireNonNull(listener, "listener"));
    return this;
  }

  /** Hands an applied catalog change to the listeners (its log line is the engine's). */
  void catalog(CatalogChange change) {
    for (Consumer<? super CatalogChange> l : catalogListeners) {
      try {
        l.accept(change);
      } catch (RuntimeException e) {
        log.warn(
            "catalog change listener {} failed on {}", l, SafeText.escape(change.describe()), e);
      }
    }
  }

  @Override
  public ChainBreaker.Events onNetworkHealthChange(Consumer<? super NetworkHealthChange> listener) {
    healthListeners.add(Objects.requireNonNull(listener, "listener"));
    return this;
  }

  void health(NetworkHealthChange change) {
    String line = "network {} {} -> {} reason={} head={} ({})";
    Object[] args = {
      change.network(),
      change.from(),
      change.to(),
      change.reason(),
      change.head() == null ? "none" : change.head(),
      SafeText.escape(change.detail())
    };
    if (change.to().suspends()) {
      log.warn(line, args);
    } else {
      log.info(line, args);
    }
    for (Consumer<? super NetworkHealthChange> l : healthListeners) {
      try {
        l.accept(change);
      } catch (RuntimeException e) {
        log.warn("network health listener {} failed on {}", l, SafeText.escape(change), e);
      }
    }
  }

  /** Logs one line per group of like transitions and hands each to the listeners. */
  void transitions(String network, List<TokenTransition> transitions) {
    if (transitions.isEmpty()) {
      return;
    }
    Map<String, List<TokenTransition>> groups = new LinkedHashMap<>();
    for (TokenTransition t : transitions) {
      String key =
          t.direction()
              + "|"
              + t.from()
              + "|"
              + t.to()
              + "|"
              + t.reason()
              + "|"
              + t.detail()
              + "|"
              + t.actor();
      groups.computeIfAbsent(key, k -> new ArrayList<>()).add(t);
    }
    for (List<TokenTransition> group : groups.values()) {
      TokenTransition t = group.get(0);
      StringBuilder symbols = new StringBuilder();
      for (TokenTransition g : group) {
        symbols.append(symbols.length() == 0 ? "" : ",").append(g.symbol());
      }
      String line = "network={} tokens={} direction={} {} -> {} reason={} head={}{} ({})";
      Object[] args = {
        network,
        symbols,
        t.direction(),
        t.from(),
        t.to(),
        t.reason(),
        t.head() == null ? "none" : t.head(),
        t.actor() == null ? "" : " actor=" + SafeText.escape(t.actor()),
        SafeText.escape(t.detail())
      };
      if (t.to() == BreakerState.SUSPENDED) {
        log.warn(line, args);
      } else {
        log.info(line, args);
      }
    }
    for (TokenTransition t : transitions) {
      if (t.to() == BreakerState.ALLOWED) {
        onAllowed.accept(t);
      }
      for (Consumer<? super TokenTransition> l : transitionListeners) {
        try {
          l.accept(t);
        } catch (RuntimeException e) {
          log.warn("token transition listener {} failed on {}", l, SafeText.escape(t), e);
        }
      }
    }
  }
}
