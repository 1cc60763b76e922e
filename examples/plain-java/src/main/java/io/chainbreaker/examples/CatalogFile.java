package io.chainbreaker.examples;

import io.chainbreaker.Catalog;
import io.chainbreaker.Direction;
import io.chainbreaker.Limits;
import io.chainbreaker.MaintenanceWindow;
import io.chainbreaker.NetworkConfig;
import io.chainbreaker.NetworkPreset;
import io.chainbreaker.NetworkSettings;
import io.chainbreaker.Reason;
import io.chainbreaker.RecoveryRule;
import io.chainbreaker.SafeText;
import io.chainbreaker.Setting;
import io.chainbreaker.TokenConfig;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * A catalog read from a YAML file with the keys of the Spring starter's {@code chain-breaker}
 * prefix: {@code networks.<name>.*} and {@code tokens.<SYMBOL>.network}, or {@code
 * tokens.<SYMBOL>.networks: [a, b]} for an asset listed on several networks. The keys may sit under
 * a top-level {@code chain-breaker:} (an application.yml) or start at the top.
 *
 * <p>Every value goes through the engine's own validating builders. A problem is reported as one
 * {@link Invalid} naming the file, the key and the value, e.g. {@code catalog.yml:
 * networks.klaytn.halt-after: '30x' is not a duration (use 500ms, 10s, 5m, 1h)}; an unknown key
 * names the valid key nearest to it.
 */
final class CatalogFile {

  /** A catalog file that cannot be used; the message names file, key and value. */
  static final class Invalid extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    Invalid(String message) {
      super(message);
    }
  }

  /**
   * Keys of a network that have structure (or come first, as a preset); every other key of a
   * network is one of {@link NetworkSettings#ALL}, as in the starter's {@code
   * chain-breaker.networks.<name>}.
   */
  private static final List<String> STRUCTURED_KEYS =
      List.of("preset", "suspend-on", "maintenance", "rpc-urls", "endpoints", "recovery");

  /** Keys of a network: {@link #STRUCTURED_KEYS} and the settings of the registry. */
  private static final List<String> NETWORK_KEYS = networkKeys();

  private static List<String> networkKeys() {
    List<String> keys = new ArrayList<>(STRUCTURED_KEYS);
    NetworkSettings.ALL.forEach(s -> keys.add(s.kebabName()));
    return List.copyOf(keys);
  }

  private static final List<String> TOKEN_KEYS =
      List.of("network", "networks", "contract", "contracts", "recovery");
  private static final List<String> RECOVERY_KEYS = List.of("deposit", "withdrawal");
  private static final List<String> RULE_KEYS = List.of("blocks", "grace");
  private static final List<String> MAINTENANCE_KEYS = List.of("start", "end", "note");
  private static final List<String> ENDPOINT_KEYS = List.of("rpc-url", "ws-url");
  private static final List<String> TOP_KEYS = List.of("networks", "tokens");

  /**
   * The starter's other keys under {@code chain-breaker}: they configure the Spring application,
   * not the catalog, so an application.yml can be given as it is.
   */
  private static final Set<String> SPRING_ONLY_KEYS =
      Set.of(
          "enabled", "store", "health", "management", "wallet-status", "notifications", "console");

  /** Files larger than this are refused before parsing: a catalog is a few kilobytes. */
  static final int MAX_CHARS = 1 << 20;

  private final String file;
  private final Catalog catalog;

  /** Each network's YAML as read, so an unchanged network keeps its NetworkConfig on re-reads. */
  private final Map<String, Object> networkSources;

  private CatalogFile(String file, Catalog catalog, Map<String, Object> networkSources) {
    this.file = file;
    this.catalog = catalog;
    this.networkSources = networkSources;
  }

  /** The catalog the file describes. */
  Catalog catalog() {
    return catalog;
  }

  /**
   * Parses {@code text}, read from the file called {@code file} (the name used in messages).
   *
   * @param previous the last good read of the same file, or null: a network whose YAML did not
   *     change keeps that read's {@link NetworkConfig} instance instead of being built again, so it
   *     is certainly equal for {@link Catalog#changeTo} and not reported as replaced
   * @throws Invalid naming the file, the key and the value
   */
  static CatalogFile parse(String file, String text, @Nullable CatalogFile previous) {
    if (text.length() > MAX_CHARS) {
      throw new Invalid(
          file
              + ": "
              + text.length()
              + " characters is too long for a catalog (at"
              + " most "
              + MAX_CHARS
              + ")");
    }
    Object root;
    try {
      LoaderOptions options = new LoaderOptions();
      options.setAllowDuplicateKeys(false);
      options.setMaxAliasesForCollections(20);
      options.setAllowRecursiveKeys(false);
      root = new Yaml(new SafeConstructor(options)).load(text);
    } catch (MarkedYAMLException e) {
      String where =
          e.getProblemMark() == null
              ? ""
              : "line "
                  + (e.getProblemMark().getLine() + 1)
                  + ", column "
                  + (e.getProblemMark().getColumn() + 1)
                  + ": ";
      throw new Invalid(file + ": " + where + "not valid YAML: " + SafeText.escape(e.getProblem()));
    } catch (YAMLException e) {
      throw new Invalid(file + ": not valid YAML: " + SafeText.escape(e.getMessage()));
    }
    return new Reader(file, previous).read(root);
  }

  /** One read of one file. */
  private static final class Reader {
    private final String file;
    private final @Nullable CatalogFile previous;

    Reader(String file, @Nullable CatalogFile previous) {
      this.file = file;
      this.previous = previous;
    }

    CatalogFile read(@Nullable Object root) {
      if (root == null) {
        throw problem("", "the file is empty; it needs networks and tokens");
      }
      Map<String, Object> top = map("", root);
      String prefix = "";
      if (top.containsKey("chain-breaker")) {
        // An application.yml: the rest of it configures other things.
        prefix = "chain-breaker.";
        top = map("chain-breaker", top.get("chain-breaker"));
        Map<String, Object> catalogKeys = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : top.entrySet()) {
          if (!SPRING_ONLY_KEYS.contains(canonical(e.getKey(), TOP_KEYS))) {
            catalogKeys.put(e.getKey(), e.getValue());
          }
        }
        top = catalogKeys;
      }
      top = known(prefix.isEmpty() ? "" : "chain-breaker", top, TOP_KEYS);
      if (!top.containsKey("networks")) {
        throw problem(prefix + "networks", "at least one network must be configured");
      }
      Map<String, Object> networks = map(prefix + "networks", top.get("networks"));
      if (networks.isEmpty()) {
        throw problem(prefix + "networks", "at least one network must be configured");
      }
      List<NetworkConfig> configs = new ArrayList<>();
      Map<String, Object> sources = new LinkedHashMap<>();
      for (Map.Entry<String, Object> e : networks.entrySet()) {
        String key = prefix + "networks." + e.getKey();
        NetworkConfig kept = previous == null ? null : previous.catalog.network(e.getKey());
        if (kept != null
            && previous != null
            && Objects.equals(previous.networkSources.get(e.getKey()), e.getValue())) {
          configs.add(kept);
        } else {
          configs.add(network(key, e.getKey(), map(key, e.getValue())));
        }
        sources.put(e.getKey(), e.getValue());
      }
      List<TokenConfig> tokens = new ArrayList<>();
      Object tokenNode = top.get("tokens");
      if (tokenNode != null) {
        for (Map.Entry<String, Object> e : map(prefix + "tokens", tokenNode).entrySet()) {
          String key = prefix + "tokens." + e.getKey();
          tokens.addAll(tokens(key, e.getKey(), map(key, e.getValue()), networks.keySet()));
        }
      }
      return new CatalogFile(file, new Catalog(configs, tokens), sources);
    }

    private NetworkConfig network(String key, String name, Map<String, Object> raw) {
      Map<String, Object> n = known(key, raw, NETWORK_KEYS);
      NetworkConfig.Builder b = guard(key, () -> NetworkConfig.builder(name));
      // The keys this network sets, so that a conflict between settings is reported against the
      // key the user wrote rather than a default derived from it (as the starter does).
      Set<String> given = new LinkedHashSet<>();
      if (n.containsKey("preset")) {
        set(given, key, "preset", n, v -> b.preset(NetworkPreset.named(text(key + ".preset", v))));
      } else if (!n.containsKey("chain-id") && !n.containsKey("identity")) {
        throw problem(
            key + ".chain-id",
            "network " + name + " needs a chain-id, an identity or a" + " preset");
      }
      for (Setting<?> setting : NetworkSettings.ALL) {
        set(given, key, setting.kebabName(), n, v -> setting.applyText(b, v));
      }
      if (n.containsKey("suspend-on")) {
        String k = key + ".suspend-on";
        for (Map.Entry<String, Object> e : map(k, n.get("suspend-on")).entrySet()) {
          Reason reason = choice(k, e.getKey(), Reason.class);
          List<Direction> directions = new ArrayList<>();
          for (Object d : list(k + "." + e.getKey(), e.getValue())) {
            directions.add(choice(k + "." + e.getKey(), d, Direction.class));
          }
          given.add(k + "." + e.getKey());
          guard(
              k + "." + e.getKey(),
              () -> b.suspendOn(reason, directions.toArray(new Direction[0])));
        }
      }
      if (n.containsKey("maintenance")) {
        List<Object> windows = list(key + ".maintenance", n.get("maintenance"));
        for (int i = 0; i < windows.size(); i++) {
          String k = key + ".maintenance[" + i + "]";
          Map<String, Object> w = known(k, map(k, windows.get(i)), MAINTENANCE_KEYS);
          if (!w.containsKey("start") || !w.containsKey("end")) {
            throw problem(k, "a maintenance window needs a start and an end");
          }
          Instant start = instant(k + ".start", w.get("start"));
          Instant end = instant(k + ".end", w.get("end"));
          String note =
              w.containsKey("note") ? text(k + ".note", w.get("note")) : "planned maintenance";
          given.add(k);
          guard(k, () -> b.maintenance(new MaintenanceWindow(start, end, note)));
        }
      }
      if (!n.containsKey("rpc-urls") && !n.containsKey("endpoints")) {
        throw problem(
            key + ".rpc-urls",
            "network "
                + name
                + " needs at least one RPC URL"
                + " (rpc-urls, or endpoints[i].rpc-url)");
      }
      // URLs are never echoed: they may carry an API key; the engine's messages mask them.
      if (n.containsKey("rpc-urls")) {
        List<String> rpc = urls(key + ".rpc-urls", n.get("rpc-urls"));
        if (rpc.isEmpty() && !n.containsKey("endpoints")) {
          throw problem(key + ".rpc-urls", "network " + name + " needs at least one RPC URL");
        }
        given.add(key + ".rpc-urls");
        quiet(key + ".rpc-urls", () -> b.rpcUrls(rpc));
      }
      if (n.containsKey("endpoints")) {
        // As the starter's endpoints[i]: a node's WebSocket URL beside its HTTP URL.
        List<Object> endpoints = list(key + ".endpoints", n.get("endpoints"));
        for (int i = 0; i < endpoints.size(); i++) {
          String at = key + ".endpoints[" + i + "]";
          Map<String, Object> e = known(at, map(at, endpoints.get(i)), ENDPOINT_KEYS);
          if (!(e.get("rpc-url") instanceof String rpc)) {
            throw problem(at + ".rpc-url", "an endpoint needs its rpc-url (http or https)");
          }
          given.add(at + ".rpc-url");
          if (e.get("ws-url") == null) {
            quiet(at + ".rpc-url", () -> b.rpcUrls(rpc.trim()));
          } else {
            if (!(e.get("ws-url") instanceof String ws)) {
              throw problem(at + ".ws-url", "needs a URL (ws or wss)");
            }
            // Checked on its own first, so that a bad RPC URL is reported against its own key.
            quiet(at + ".rpc-url", () -> NetworkConfig.builder(name).rpcUrls(rpc.trim()));
            given.add(at + ".ws-url");
            quiet(at + ".ws-url", () -> b.endpoint(rpc.trim(), ws.trim()));
          }
        }
      }
      if (n.containsKey("recovery")) {
        Map<String, Object> r =
            known(key + ".recovery", map(key + ".recovery", n.get("recovery")), RECOVERY_KEYS);
        if (r.containsKey("deposit")) {
          b.depositRecovery(
              rule(key + ".recovery.deposit", r.get("deposit"), RecoveryRule.DEPOSIT_DEFAULT));
        }
        if (r.containsKey("withdrawal")) {
          b.withdrawalRecovery(
              rule(
                  key + ".recovery.withdrawal",
                  r.get("withdrawal"),
                  RecoveryRule.WITHDRAWAL_DEFAULT));
        }
      }
      try {
        return b.build();
      } catch (NetworkConfig.ConflictingSettingsException e) {
        throw problem(suspect(key, e.settings(), given), e.getMessage());
      } catch (IllegalArgumentException e) {
        throw problem(key, e.getMessage());
      }
    }

    private List<TokenConfig> tokens(
        String key, String symbol, Map<String, Object> raw, Set<String> networks) {
      try {
        // First, so that no message below repeats a symbol over the limit.
        Limits.checkSymbol(symbol);
      } catch (IllegalArgumentException e) {
        throw problem(key, e.getMessage());
      }
      Map<String, Object> t = known(key, raw, TOKEN_KEYS);
      List<String> on = new ArrayList<>();
      if (t.containsKey("network") && t.containsKey("networks")) {
        throw problem(key + ".networks", "give network (one) or networks (several), not both");
      }
      if (t.containsKey("network")) {
        on.add(text(key + ".network", t.get("network")));
      } else if (t.containsKey("networks")) {
        Set<String> seen = new LinkedHashSet<>();
        for (Object o : list(key + ".networks", t.get("networks"))) {
          for (String s : text(key + ".networks", o).split(",", -1)) {
            if (!s.isBlank() && !seen.add(s.trim())) {
              throw problem(
                  key + ".networks", "'" + SafeText.escape(s.trim()) + "' is listed twice");
            }
          }
        }
        on.addAll(seen);
      }
      String k = key + (t.containsKey("networks") ? ".networks" : ".network");
      if (on.isEmpty()) {
        throw problem(k, "token " + symbol + " needs a network");
      }
      for (String network : on) {
        if (!networks.contains(network)) {
          throw problem(
              k,
              "token "
                  + symbol
                  + " names the unknown network '"
                  + SafeText.escape(network)
                  + "'; configured networks: "
                  + networks);
        }
      }
      String contract = null;
      if (t.containsKey("contract")) {
        if (on.size() > 1) {
          // One address cannot be the same contract on two chains (and Tron's are not even hex).
          throw problem(
              key + ".contract",
              "a contract address belongs to one network; with"
                  + " networks, give contracts.<network> instead");
        }
        contract = text(key + ".contract", t.get("contract"));
      }
      // As in the starter: an asset on several networks has one address per network.
      Map<String, String> contracts = new LinkedHashMap<>();
      if (t.containsKey("contracts")) {
        for (Map.Entry<String, Object> c : map(key + ".contracts", t.get("contracts")).entrySet()) {
          if (!on.contains(c.getKey())) {
            throw problem(
                key + ".contracts." + c.getKey(),
                "token "
                    + symbol
                    + " is not listed"
                    + " on the network '"
                    + SafeText.escape(c.getKey())
                    + "'; its networks: "
                    + on);
          }
          contracts.put(c.getKey(), text(key + ".contracts." + c.getKey(), c.getValue()));
        }
      }
      RecoveryRule deposit = null;
      RecoveryRule withdrawal = null;
      if (t.containsKey("recovery")) {
        Map<String, Object> r =
            known(key + ".recovery", map(key + ".recovery", t.get("recovery")), RECOVERY_KEYS);
        if (r.containsKey("deposit")) {
          deposit = rule(key + ".recovery.deposit", r.get("deposit"), RecoveryRule.DEPOSIT_DEFAULT);
        }
        if (r.containsKey("withdrawal")) {
          withdrawal =
              rule(
                  key + ".recovery.withdrawal",
                  r.get("withdrawal"),
                  RecoveryRule.WITHDRAWAL_DEFAULT);
        }
      }
      List<TokenConfig> out = new ArrayList<>();
      for (String network : on) {
        String c = contracts.containsKey(network) ? contracts.get(network) : contract;
        RecoveryRule d = deposit;
        RecoveryRule w = withdrawal;
        out.add(guard(key, () -> new TokenConfig(symbol, network, c, d, w)));
      }
      return out;
    }

    private RecoveryRule rule(String key, Object raw, RecoveryRule dflt) {
      Map<String, Object> r = known(key, map(key, raw), RULE_KEYS);
      int blocks =
          r.containsKey("blocks") ? integer(key + ".blocks", r.get("blocks")) : dflt.blocks();
      Duration grace =
          r.containsKey("grace") ? duration(key + ".grace", r.get("grace")) : dflt.grace();
      return guard(key, () -> RecoveryRule.of(blocks, grace));
    }

    /** The first of {@code settings} that the user set, as a key; else the network's key. */
    private static String suspect(String key, List<String> settings, Set<String> given) {
      for (String setting : settings) {
        String candidate = key + "." + kebab(setting);
        if (given.contains(candidate)) {
          return candidate;
        }
      }
      return key;
    }

    /**
     * {@code raw} with its keys in canonical (kebab-case) form; a key that is none of {@code valid}
     * in any of the forms the starter binds is an error naming the nearest.
     */
    private Map<String, Object> known(String key, Map<String, Object> raw, List<String> valid) {
      Map<String, Object> out = new LinkedHashMap<>();
      for (Map.Entry<String, Object> e : raw.entrySet()) {
        String name = canonical(e.getKey(), valid);
        String at = (key.isEmpty() ? "" : key + ".") + e.getKey();
        if (!valid.contains(name)) {
          throw problem(
              at,
              "unknown key; did you mean "
                  + (key.isEmpty() ? "" : key + ".")
                  + nearest(e.getKey(), valid)
                  + "?");
        }
        if (out.put(name, e.getValue()) != null) {
          throw problem(at, "is given twice (as " + name + " too)");
        }
      }
      return out;
    }

    /** Sets one value through the builder, remembering its key in {@code given}. */
    private void set(
        Set<String> given,
        String key,
        String name,
        Map<String, Object> n,
        Consumer<Object> setter) {
      if (n.containsKey(name)) {
        Object value = n.get(name);
        given.add(key + "." + name);
        guard(
            key + "." + name,
            () -> {
              setter.accept(value);
              return null;
            });
      }
    }

    /** Runs a builder step; its rejection is reported against {@code key}. */
    private <T> T guard(String key, java.util.function.Supplier<T> step) {
      try {
        return step.get();
      } catch (Invalid e) {
        throw e;
      } catch (IllegalArgumentException e) {
        throw problem(key, e.getMessage());
      }
    }

    /** As {@link #guard}, for values (URLs) the message must not repeat. */
    private void quiet(String key, Runnable step) {
      guard(
          key,
          () -> {
            step.run();
            return null;
          });
    }

    private Map<String, Object> map(String key, @Nullable Object value) {
      if (value instanceof Map<?, ?> m) {
        Map<String, Object> out = new LinkedHashMap<>();
        m.forEach((k, v) -> out.put(String.valueOf(k), v));
        return out;
      }
      throw problem(
          key,
          value == null
              ? "needs keys below it but is empty"
              : "needs keys below it but is " + shown(value));
    }

    private List<Object> list(String key, @Nullable Object value) {
      if (value instanceof List<?> l) {
        return new ArrayList<>(l);
      }
      if (value instanceof String s) {
        // The starter binds a comma-separated string to a list too.
        return new ArrayList<>(List.of((Object[]) s.split(",")));
      }
      throw problem(key, "needs a list but is " + shown(value));
    }

    private List<String> urls(String key, @Nullable Object value) {
      List<String> out = new ArrayList<>();
      for (Object o : list(key, value)) {
        if (!(o instanceof String s)) {
          throw problem(key, "needs URLs (strings) but has a " + kind(o));
        }
        if (!s.isBlank()) {
          out.add(s.trim());
        }
      }
      return out;
    }

    private String text(String key, @Nullable Object value) {
      return read(key, String.class, value);
    }

    private int integer(String key, @Nullable Object value) {
      return read(key, Integer.class, value);
    }

    private Duration duration(String key, @Nullable Object value) {
      return read(key, Duration.class, value);
    }

    /** A value read as every text source reads it ({@link Setting#parse(Class, Object)}). */
    private <T> T read(String key, Class<T> type, @Nullable Object value) {
      try {
        return Setting.parse(type, value);
      } catch (IllegalArgumentException e) {
        throw problem(key, e.getMessage());
      }
    }

    private Instant instant(String key, @Nullable Object value) {
      if (value instanceof java.util.Date d) {
        return d.toInstant(); // YAML reads an unquoted timestamp as a date
      }
      if (value instanceof String s) {
        try {
          return Instant.parse(s.trim());
        } catch (DateTimeParseException e) {
          // reported below
        }
      }
      throw problem(key, shown(value) + " is not an instant (use 2026-03-29T14:00:00Z)");
    }

    private <E extends Enum<E>> E choice(String key, @Nullable Object value, Class<E> type) {
      return read(key, type, value);
    }

    private Invalid problem(String key, @Nullable String message) {
      return new Invalid(file + ": " + (key.isEmpty() ? "" : key + ": ") + message);
    }
  }

  /** A value as a message shows it: quoted, control characters escaped, at most 64 chars. */
  static String shown(@Nullable Object value) {
    if (value == null) {
      return "empty";
    }
    if (value instanceof Map<?, ?> || value instanceof List<?>) {
      return "a " + kind(value);
    }
    String s = SafeText.escape(value);
    return "'" + (s.length() > 64 ? s.substring(0, 61) + "..." : s) + "'";
  }

  private static String kind(@Nullable Object value) {
    return value instanceof Map<?, ?>
        ? "map"
        : value instanceof List<?> ? "list" : value == null ? "nothing" : "value";
  }

  /** {@code key} as one of {@code valid} if it is that key in another form the starter binds. */
  static String canonical(String key, List<String> valid) {
    String u = uniform(key);
    for (String v : valid) {
      if (uniform(v).equals(u)) {
        return v;
      }
    }
    return kebab(key);
  }

  /** The one of {@code valid} with the fewest edits from {@code key}, ignoring case and dashes. */
  static String nearest(String key, List<String> valid) {
    String best = valid.get(0);
    int bestDistance = Integer.MAX_VALUE;
    for (String v : valid) {
      int d = distance(uniform(v), uniform(key));
      if (d < bestDistance) {
        bestDistance = d;
        best = v;
      }
    }
    return best;
  }

  /**
   * Spring's relaxed binding treats {@code haltAfter}, {@code halt_after}, {@code HALT-AFTER}
   * alike.
   */
  private static String uniform(String s) {
    return s.replace("-", "").replace("_", "").toLowerCase(Locale.ROOT);
  }

  /** {@code haltAfter} to {@code halt-after}. */
  static String kebab(String camel) {
    StringBuilder out = new StringBuilder(camel.length() + 4);
    for (int i = 0; i < camel.length(); i++) {
      char c = camel.charAt(i);
      if (Character.isUpperCase(c)) {
        out.append('-').append(Character.toLowerCase(c));
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  /** Levenshtein distance. */
  static int distance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int substitute = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        current[j] = Math.min(substitute, Math.min(previous[j], current[j - 1]) + 1);
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }

  @Override
  public String toString() {
    return "CatalogFile["
        + file
        + ": "
        + catalog.networks().size()
        + " networks, "
        + catalog.tokens().size()
        + " tokens]";
  }
}
