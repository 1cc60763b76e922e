package io.chainbreaker;

import io.chainbreaker.store.CatalogSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows a {@link CatalogSource}: lists its tokens at start and, at each sync, applies what
 * changed there as one change by {@value #ACTOR}, never taking over a token configured in code.
 * Tokens on networks not configured here are skipped with one WARN each; a failing read changes
 * nothing.
 */
final class CatalogSourceSync {

  private static final Logger log = LoggerFactory.getLogger(ChainBreaker.class);
  static final String ACTOR = "catalog source";

  private final CatalogSource source;
  private final Duration syncInterval;

  /** The tokens given to the builder: the catalog source never takes them over. */
  private final Set<TokenId> coded;

  /** The tokens the catalog source listed, so that only those are delisted with it. */
  private Set<TokenId> sourced = Set.of();

  /** What was logged once: "read" while unreadable, or a token on an unknown network. */
  private final Set<String> problems = ConcurrentHashMap.newKeySet();

  CatalogSourceSync(CatalogSource source, List<TokenConfig> coded, Duration syncInterval) {
    this.source = source;
    this.syncInterval = syncInterval;
    Set<TokenId> ids = new HashSet<>();
    coded.forEach(t -> ids.add(t.tokenId()));
    this.coded = Set.copyOf(ids);
  }

  /**
   * {@code code} plus what the catalog source lists now, read before the store so that the source's
   * tokens get their remembered state and overrides too. A source that cannot be read, or a token
   * on a network not configured, is logged and read again at the next sync.
   */
  Catalog withSource(Catalog code) {
    List<TokenConfig> listed;
    try {
      listed = source.tokens();
    } catch (RuntimeException e) {
      problems.add("read");
      log.error(
          "catalog source could not be read at start: {}; its tokens are listed when it"
              + " answers (retried every {})",
          SafeText.escape(e),
          syncInterval);
      return code;
    }
    Map<TokenId, TokenConfig> owned = owned(listed, code);
    List<TokenConfig> tokens = new ArrayList<>(code.tokens());
    tokens.addAll(owned.values());
    sourced = Set.copyOf(owned.keySet());
    return new Catalog(code.networks(), tokens);
  }

  /** Reads the source and applies to {@code live} what changed there since the last read. */
  void sync(LiveCatalog live) {
    List<TokenConfig> listed;
    try {
      listed = source.tokens();
    } catch (RuntimeException e) {
      if (problems.add("read")) {
        log.error(
            "catalog source could not be read: {}; the catalog in force stays, retried every"
                + " {}",
            SafeText.escape(e),
            syncInterval);
      }
      return;
    }
    if (problems.remove("read")) {
      log.warn("catalog source readable again");
    }
    Map<TokenId, TokenConfig> owned = new LinkedHashMap<>();
    live.changeFrom(
        now -> {
          owned.putAll(owned(listed, now.catalog));
          return change(owned, now);
        },
        () -> sourced = Set.copyOf(owned.keySet()));
  }

  /** The change from {@code now} to what the source owns; under the catalog's change lock. */
  private @Nullable CatalogChange change(Map<TokenId, TokenConfig> owned, Listing now) {
    CatalogChange.Builder change = CatalogChange.by(ACTOR);
    boolean any = false;
    for (Map.Entry<TokenId, TokenConfig> o : owned.entrySet()) {
      TokenEntry e = now.byKey.get(o.getKey());
      if (e == null || !e.config.equals(o.getValue())) {
        change.putToken(o.getValue());
        any = true;
      }
    }
    for (TokenId key : sourced) {
      if (!owned.containsKey(key)) {
        TokenEntry e = now.byKey.get(key);
        if (e != null) {
          change.removeToken(e.symbol(), e.network);
          any = true;
        }
      }
    }
    return any ? change.build() : null;
  }

  /**
   * The tokens of {@code listed} that the catalog source owns against {@code catalog}: one per
   * (symbol, network), on a configured network (any other is skipped with one WARN), and not a
   * token configured in code that is listed now and was never the source's. A token listed at run
   * time by {@link ChainBreaker#change} and also in the source (an operator wrote the table, then
   * applied the change here at once) is the source's from then on, so that its removal from the
   * table delists it here too.
   */
  private Map<TokenId, TokenConfig> owned(List<TokenConfig> listed, Catalog catalog) {
    Set<TokenId> present = new HashSet<>();
    catalog.tokens().forEach(t -> present.add(t.tokenId()));
    Map<TokenId, TokenConfig> owned = new LinkedHashMap<>();
    for (TokenConfig t : listed) {
      TokenId key = t.tokenId();
      if (catalog.network(t.network()) == null) {
        if (problems.add(key.toString())) {
          log.warn(
              "catalog source lists {} on the unknown network '{}'; skipped until that"
                  + " network is configured",
              SafeText.escape(t.symbol()),
              SafeText.escape(t.network()));
        }
      } else if (!(coded.contains(key) && present.contains(key) && !sourced.contains(key))) {
        owned.putIfAbsent(key, t);
      }
    }
    return owned;
  }
}
