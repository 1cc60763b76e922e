package io.chainbreaker.chain;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * An RPC endpoint URL, with its masked form for everything a person reads.
 *
 * <p>Providers put keys in URLs ({@code https://mainnet.infura.io/v3/KEY},
 * {@code https://user:pass@host/}, {@code ?apikey=KEY}). The masked form keeps scheme, host, port,
 * short plain path segments such as {@code v3} and query parameter names, and replaces user info,
 * query values and every other path segment with {@code ***}. {@link #toString()} is the masked
 * form; {@link #redact(String)} removes the secret parts from any text, such as an exception message.
 */
public final class RpcUrl {

  private static final Pattern PLAIN_SEGMENT =
      Pattern.compile("[A-Za-z][A-Za-z_-]{0,11}|v\\d{1,3}|\\d{1,6}");

  private final URI uri;
  private final String masked;
  private final List<String> secrets;
  private final @Nullable String username;
  private final @Nullable String password;

  private RpcUrl(URI uri, String masked, List<String> secrets, @Nullable String user,
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
      throw new IllegalArgumentException("RPC URL must start with " + plain + ":// or " + secure
          + ":// but was " + roughMask(url));
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
      if (PLAIN_SEGMENT.matcher(segment).matches()) {
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
      String[] pairs = uri.getRawQuery().split("&");
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
    secrets.removeIf(String::isEmpty);
    // Longest first, so a secret that contains another is removed whole.
    secrets.sort((a, b) -> Integer.compare(b.length(), a.length()));
    return new RpcUrl(uri, out.toString(), List.copyOf(secrets), user, pass);
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

  /** {@code text} with the raw URL and each of its secret parts replaced by their masks. */
  public String redact(@Nullable String text) {
    if (text == null) {
      return "";
    }
    String result = text.replace(uri.toString(), masked);
    for (String secret : secrets) {
      result = result.replace(secret, "***");
    }
    return result;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RpcUrl && ((RpcUrl) o).uri.equals(uri);
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

  /** A mask for a value that did not even parse: keep only what precedes the host's end. */
  private static String roughMask(String url) {
    String s = url.trim();
    int scheme = s.indexOf("://");
    int start = scheme < 0 ? 0 : scheme + 3;
    int at = s.indexOf('@', start);
    int slash = s.indexOf('/', start);
    if (at >= 0 && (slash < 0 || at < slash)) {
      s = s.substring(0, start) + "***" + s.substring(at);
      slash = s.indexOf('/', start);
    }
    int query = s.indexOf('?', start);
    int cut = slash >= 0 ? slash : query;
    return "'" + (cut >= 0 ? s.substring(0, cut) + "/***" : s) + "'";
  }
}
