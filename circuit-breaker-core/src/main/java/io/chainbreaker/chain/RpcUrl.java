package io.chainbreaker.chain;

import io.chainbreaker.SafeText;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * An RPC endpoint URL, with its masked form for everything a person reads.
 *
 * <p>Providers put keys in URLs ({@code https://mainnet.infura.io/v3/KEY}, {@code
 * https://user:pass@host/}, {@code ?apikey=KEY}). The masked form keeps scheme, host, port, query
 * parameter names and the path segments known not to be secrets ({@link #PUBLIC_SEGMENTS}: versions
 * {@code v1}..{@code v9}, {@code rpc}, {@code api}, {@code ext}, {@code bc}, network names...), and
 * replaces user info, query values and every other path segment with {@code ***}, however short: a
 * provider's key can be a short word. {@link #toString()} is the masked form.
 *
 * <p>{@link #redact(String)} removes every secret part from any text, such as a node's error
 * message, in every form a server may echo it: as configured, percent-decoded and percent-encoded,
 * in any letter case, and the user info as the Base64 of {@code user:password} that HTTP Basic
 * authentication sends. It also escapes control characters, so the text is safe for one log line.
 */
public final class RpcUrl {

  /** Path segments shown as they are (compared ignoring case); every other segment is masked. */
  public static final Set<String> PUBLIC_SEGMENTS =
      Set.of(
          "v1",
          "v2",
          "v3",
          "v4",
          "v5",
          "v6",
          "v7",
          "v8",
          "v9",
          "rpc",
          "jsonrpc",
          "json-rpc",
          "http",
          "ws",
          "wss",
          "api",
          "ext",
          "bc",
          "c",
          "x",
          "p",
          "mainnet",
          "testnet",
          "public",
          "eth",
          "ethereum",
          "bsc",
          "bnb",
          "polygon",
          "matic",
          "arbitrum",
          "arb",
          "optimism",
          "op",
          "base",
          "avalanche",
          "avax",
          "klaytn",
          "kaia",
          "cypress",
          "tron",
          "solana",
          "bitcoin",
          "btc",
          "litecoin",
          "ltc",
          "cosmos",
          "aptos",
          "sui");

  /** Secrets shorter than this are masked in the URL but not searched for in free text. */
  private static final int MIN_REDACTED_LENGTH = 3;

  private final URI uri;
  private final String masked;
  private final @Nullable Pattern secrets;
  private final @Nullable String username;
  private final @Nullable String password;

  private RpcUrl(
      URI uri,
      String masked,
      @Nullable Pattern secrets,
      @Nullable String user,
      @Nullable String password) {
    this.uri = uri;
    this.masked = masked;
    this.secrets = secrets;
    this.username = user;
    this.password = password;
  }

  /**
   * Parses an {@code http} or {@code https} URL.
   *
   * @throws IllegalArgumentException if it is not one, naming the masked value
   */
  public static RpcUrl parse(String url) {
    return parse(url, "http", "https");
  }

  /**
   * Parses a {@code ws} or {@code wss} URL, for {@code newHeads} subscriptions.
   *
   * @throws IllegalArgumentException if it is not one, naming the masked value
   */
  public static RpcUrl parseWebSocket(String url) {
    return parse(url, "ws", "wss");
  }

  private static RpcUrl parse(String url, String plain, String secure) {
    if (url == null || url.isBlank()) {
      throw new IllegalArgumentException("RPC URL must not be blank");
    }
    URI uri;
    try {
      uri = new URI(url.trim());
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(
          "RPC URL is malformed: " + roughMask(url) + " (" + e.getReason() + ")");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals(plain) && !scheme.equals(secure)) {
      throw new IllegalArgumentException(
          "RPC URL must start with "
              + plain
              + ":// or "
              + secure
              + ":// but was "
              + roughMask(url));
    }
    if (uri.getHost() == null || uri.getHost().isEmpty()) {
      throw new IllegalArgumentException("RPC URL has no host: " + roughMask(url));
    }
    List<String> secrets = new ArrayList<>();
    StringBuilder out = new StringBuilder(scheme).append("://");
    String user = null;
    String pass = null;
    if (uri.getRawUserInfo() != null) {
      String info = uri.getRawUserInfo();
      secrets.add(info);
      int colon = info.indexOf(':');
      user = decode(colon < 0 ? info : info.substring(0, colon));
      pass = colon < 0 ? "" : decode(info.substring(colon + 1));
      if (colon >= 0 && info.length() - colon > 3) {
        secrets.add(info.substring(colon + 1));
      }
      out.append("***@");
    }
    out.append(uri.getHost());
    if (uri.getPort() >= 0) {
      out.append(':').append(uri.getPort());
    }
    String path = uri.getRawPath() == null ? "" : uri.getRawPath();
    for (String segment : path.split("/", -1)) {
      if (segment.isEmpty()) {
        continue;
      }
      out.append('/');
      if (PUBLIC_SEGMENTS.contains(segment.toLowerCase(Locale.ROOT))) {
        out.append(segment);
      } else {
        out.append("***");
        secrets.add(segment);
      }
    }
    if (path.endsWith("/")) {
      out.append('/');
    }
    if (uri.getRawQuery() != null) {
      out.append('?');
      String[] pairs = uri.getRawQuery().split("&", 0); // 0: a trailing "&" adds no empty pair
      for (int i = 0; i < pairs.length; i++) {
        int eq = pairs[i].indexOf('=');
        if (i > 0) {
          out.append('&');
        }
        if (eq < 0) {
          out.append("***");
          secrets.add(pairs[i]);
        } else {
          out.append(pairs[i], 0, eq + 1).append("***");
          if (eq + 1 < pairs[i].length()) {
            secrets.add(pairs[i].substring(eq + 1));
          }
        }
      }
    }
    if (user != null) {
      secrets.add(user);
      secrets.add(pass == null ? "" : pass);
      Base64.Encoder base64 = Base64.getEncoder();
      String basic =
          base64.encodeToString(
              (user + ":" + (pass == null ? "" : pass)).getBytes(StandardCharsets.UTF_8));
      secrets.add(basic);
      secrets.add(basic.replace("=", ""));
    }
    return new RpcUrl(uri, out.toString(), secretPattern(secrets), user, pass);
  }

  /**
   * One case-insensitive pattern matching every form of every secret: as configured,
   * percent-decoded, percent-encoded; longest first, so a secret that contains another is removed
   * whole.
   */
  private static @Nullable Pattern secretPattern(List<String> raw) {
    Set<String> forms = new LinkedHashSet<>();
    for (String secret : raw) {
      forms.add(secret);
      String decoded = decodeQuietly(secret);
      forms.add(decoded);
      forms.add(URLEncoder.encode(decoded, StandardCharsets.UTF_8));
      forms.add(URLEncoder.encode(decoded, StandardCharsets.UTF_8).replace("+", "%20"));
    }
    List<String> sorted = new ArrayList<>();
    for (String form : forms) {
      if (form.length() >= MIN_REDACTED_LENGTH) {
        sorted.add(form);
      }
    }
    if (sorted.isEmpty()) {
      return null;
    }
    sorted.sort((a, b) -> Integer.compare(b.length(), a.length()));
    StringBuilder regex = new StringBuilder();
    for (String form : sorted) {
      regex.append(regex.length() == 0 ? "" : "|").append(Pattern.quote(form));
    }
    return Pattern.compile(regex.toString(), Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
  }

  private static String decodeQuietly(String s) {
    try {
      return URLDecoder.decode(s, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException malformedEscape) {
      return s;
    }
  }

  /** The URL as given, secrets included: for the HTTP client only, never for people. */
  public URI uri() {
    return uri;
  }

  /** The URL without its user info, which HTTP clients send as a Basic authorization header. */
  public String withoutUserInfo() {
    if (uri.getRawUserInfo() == null) {
      return uri.toString();
    }
    return uri.toString().replace(uri.getRawUserInfo() + "@", "");
  }

  /** The user name from the URL's user info, or null. */
  public @Nullable String username() {
    return username;
  }

  /** The password from the URL's user info, or null. */
  public @Nullable String password() {
    return password;
  }

  /** The masked URL, safe to log and show. */
  public String masked() {
    return masked;
  }

  /**
   * {@code text} with the raw URL and every form of each of its secret parts replaced by {@code
   * ***}, and control characters escaped; "" for null.
   */
  public String redact(@Nullable String text) {
    if (text == null) {
      return "";
    }
    String result = text.replace(uri.toString(), masked);
    if (secrets != null) {
      result = secrets.matcher(result).replaceAll("***");
    }
    return SafeText.escape(result);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RpcUrl other && other.uri.equals(uri);
  }

  @Override
  public int hashCode() {
    return uri.hashCode();
  }

  /** The masked URL. */
  @Override
  public String toString() {
    return masked;
  }

  private static String decode(String s) {
    return URLDecoder.decode(s, StandardCharsets.UTF_8);
  }

  private static final Pattern HOST_AND_PORT = Pattern.compile("[A-Za-z0-9.-]+(:\\d{1,5})?");

  /**
   * A mask for a value that did not even parse: the scheme, and the host and port if they look like
   * one (else {@code ***}); any user info is {@code ***@} and everything after the host is {@code
   * /***}. Where the authority ends is taken at the first {@code /}, {@code ?} or {@code #}, and
   * the host after the last {@code @}, so an {@code @} inside a password cannot shift it.
   */
  static String roughMask(String url) {
    String s = url.trim();
    int sep = s.indexOf("://");
    String scheme =
        sep > 0 && s.substring(0, sep).matches("[A-Za-z][A-Za-z0-9+.-]*")
            ? s.substring(0, sep + 3)
            : "";
    String rest = scheme.isEmpty() ? s : s.substring(sep + 3);
    int end = rest.length();
    for (char c : new char[] {'/', '?', '#'}) {
      int i = rest.indexOf(c);
      if (i >= 0 && i < end) {
        end = i;
      }
    }
    String authority = rest.substring(0, end);
    int at = authority.lastIndexOf('@');
    String host = at >= 0 ? authority.substring(at + 1) : authority;
    StringBuilder out = new StringBuilder("'").append(scheme);
    if (at >= 0) {
      out.append("***@");
    }
    out.append(HOST_AND_PORT.matcher(host).matches() ? host : "***");
    if (end < rest.length()) {
      out.append("/***");
    }
    return out.append("'").toString();
  }
}
