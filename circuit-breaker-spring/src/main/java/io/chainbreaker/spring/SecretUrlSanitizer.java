package io.chainbreaker.spring;

import io.chainbreaker.SafeText;
import io.chainbreaker.chain.RpcUrl;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.SanitizableData;
import org.springframework.boot.actuate.endpoint.SanitizingFunction;

/**
 * Masks Chain Breaker's secrets in the actuator's {@code env} and {@code configprops} endpoints,
 * even where an application lets them show values ({@code show-values: always}):
 *
 * <ul>
 *   <li>the webhook and heartbeat URLs (which carry their token in the path) as scheme and host,
 *       under their own keys however written ({@code chain-breaker.notifications.webhook.url},
 *       {@code CHAIN_BREAKER_NOTIFICATIONS_WEBHOOK_URL}, {@code url} under {@code webhook});
 *   <li>RPC and WebSocket URLs ({@code rpc-urls[0]}, {@code rpcUrls}, {@code endpoints[0].ws-url})
 *       as {@link RpcUrl#masked()}: keys, user info and query values are {@code ***};
 *   <li>every configured secret URL, and each secret part of it, wherever else it appears in a
 *       value: the JVM's command line ({@code sun.java.command}), {@code SPRING_APPLICATION_JSON},
 *       an environment variable that a placeholder put into a URL ({@code INFURA_KEY});
 *   <li>on the command line and in JVM option variables ({@code sun.java.command}, {@code
 *       JAVA_TOOL_OPTIONS}...), every URL's path, query and user info, whatever key it was given
 *       under: the command line is shown whole otherwise.
 * </ul>
 */
public class SecretUrlSanitizer implements SanitizingFunction {

  /** Keys (letters only, lower case) whose value is a whole command line or JVM options. */
  private static final List<String> COMMAND_LINES =
      List.of(
          "sunjavacommand",
          "javatooloptions",
          "jdkjavaoptions",
          "javaoptions",
          "javaopts",
          "springapplicationjson");

  private static final Pattern URL =
      Pattern.compile("(?i)\\b(https?|wss?)://[^\\s\"'<>,;{}\\[\\]]+", Pattern.UNICODE_CASE);

  private final Supplier<? extends Collection<String>> secretUrls;
  private volatile @Nullable Known known;

  /** Masks by key and on command lines only: no configured URL is known. */
  public SecretUrlSanitizer() {
    this(List::of);
  }

  /**
   * Masks by key, on command lines, and wherever else one of {@code secretUrls} (the configured
   * RPC, WebSocket, webhook and heartbeat URLs, resolved) or a secret part of one appears.
   */
  public SecretUrlSanitizer(Supplier<? extends Collection<String>> secretUrls) {
    this.secretUrls = secretUrls;
  }

  @Override
  public SanitizableData apply(SanitizableData data) {
    Object value = data.getValue();
    if (value == null) {
      return data;
    }
    String key = data.getKey().toLowerCase(Locale.ROOT).replaceAll("[^a-z]", "");
    if (key.endsWith("notificationswebhookurl")
        || key.endsWith("notificationsheartbeaturl")
        || key.endsWith("webhookurl")
        || key.endsWith("heartbeaturl")) {
      return data.withValue(maskWebhook(value.toString()));
    }
    if (key.endsWith("rpcurls") || key.endsWith("rpcurl") || key.endsWith("wsurl")) {
      return data.withValue(maskRpcUrls(value, key.endsWith("wsurl")));
    }
    if (!(value instanceof CharSequence)) {
      return data;
    }
    String text = value.toString();
    String shown = redactKnown(text);
    if (COMMAND_LINES.stream().anyMatch(key::endsWith)) {
      shown = maskEveryUrl(shown);
    }
    return shown.equals(text) ? data : data.withValue(shown);
  }

  private static String maskWebhook(String value) {
    try {
      return WebhookClient.masked(WebhookClient.parse(value));
    } catch (IllegalArgumentException e) {
      return SanitizableData.SANITIZED_VALUE;
    }
  }

  private static Object maskRpcUrls(Object value, boolean webSocket) {
    if (value instanceof Collection<?> urls) {
      List<Object> masked = new ArrayList<>();
      for (Object url : urls) {
        masked.add(url == null ? null : maskRpcUrl(url.toString(), webSocket));
      }
      return masked;
    }
    return maskRpcUrl(value.toString(), webSocket);
  }

  private static String maskRpcUrl(String value, boolean webSocket) {
    try {
      return (webSocket ? RpcUrl.parseWebSocket(value) : RpcUrl.parse(value)).masked();
    } catch (IllegalArgumentException e) {
      return SanitizableData.SANITIZED_VALUE;
    }
  }

  /** Every configured secret URL and secret part of one in {@code text} replaced by masks. */
  private String redactKnown(String text) {
    String result = text;
    for (RpcUrl url : known().urls) {
      // redact() also escapes control characters: keep the value as it was unless a secret went
      String redacted = url.redact(result);
      if (!redacted.equals(SafeText.escape(result))) {
        result = redacted;
      }
    }
    return result;
  }

  /** Each URL in {@code text} as scheme, host and port, its user info, path and query masked. */
  private static String maskEveryUrl(String text) {
    Matcher m = URL.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(out, Matcher.quoteReplacement(roughMask(m.group())));
    }
    m.appendTail(out);
    return out.toString();
  }

  private static String roughMask(String url) {
    try {
      URI uri = URI.create(url);
      if (uri.getHost() != null) {
        String rest = url.substring(url.indexOf("://") + 3);
        boolean more = rest.contains("/") || rest.contains("?") || uri.getRawUserInfo() != null;
        return uri.getScheme()
            + "://"
            + (uri.getRawUserInfo() == null ? "" : "***@")
            + uri.getHost()
            + (uri.getPort() < 0 ? "" : ":" + uri.getPort())
            + (more ? "/***" : "");
      }
    } catch (IllegalArgumentException e) {
      // not a URI: mask all but the scheme
    }
    return url.substring(0, url.indexOf("://") + 3) + "***";
  }

  private Known known() {
    Known k = known;
    Collection<String> urls = secretUrls.get();
    if (k == null || !k.source.equals(List.copyOf(urls))) {
      k = new Known(List.copyOf(urls));
      known = k;
    }
    return k;
  }

  /** The configured secret URLs, parsed once. */
  private static final class Known {
    final List<String> source;
    final List<RpcUrl> urls = new ArrayList<>();

    Known(List<String> source) {
      this.source = source;
      for (String s : source) {
        try {
          String lower = s.trim().toLowerCase(Locale.ROOT);
          urls.add(
              lower.startsWith("ws://") || lower.startsWith("wss://")
                  ? RpcUrl.parseWebSocket(s)
                  : RpcUrl.parse(s));
        } catch (IllegalArgumentException e) {
          // not a URL: its own key is masked, and it cannot be recognised elsewhere
        }
      }
    }
  }
}
