package io.chainbreaker.spring;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends requests to one secret URL (a webhook or a dead-man's switch) with the JDK HttpClient, and
 * says where it sends them only as {@link #masked(URI)}: such URLs carry their token in the path.
 */
final class WebhookClient {

  private static final Logger LOG = LoggerFactory.getLogger("io.chainbreaker.notifications");
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private final URI url;
  private final String masked;
  private final HttpClient http;

  WebhookClient(URI url) {
    this.url = url;
    this.masked = masked(url);
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(TIMEOUT)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
  }

  /**
   * {@code url} as people may read it: scheme, host and port; path, query and user info are {@code
   * ***} (a Slack webhook is {@code https://hooks.slack.com/***}).
   */
  static String masked(URI url) {
    return url.getScheme()
        + "://"
        + url.getHost()
        + (url.getPort() < 0 ? "" : ":" + url.getPort())
        + "/***";
  }

  /** Checks that {@code value} is an absolute http(s) URL with a host; the message omits it. */
  static URI parse(String value) {
    URI uri;
    try {
      uri = URI.create(value.trim());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("is not a URL");
    }
    if ((!"http".equalsIgnoreCase(uri.getScheme()) && !"https".equalsIgnoreCase(uri.getScheme()))
        || uri.getHost() == null) {
      throw new IllegalArgumentException("must be an http:// or https:// URL with a host");
    }
    return uri;
  }

  String masked() {
    return masked;
  }

  /** POSTs {@code json}; the answer's status, or -1 with the failure logged (masked). */
  int post(String json) throws InterruptedException {
    return send(
        HttpRequest.newBuilder(url)
            .timeout(TIMEOUT)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json))
            .build());
  }

  /** GETs the URL, as dead-man's switches expect; the status, or -1. */
  int ping() throws InterruptedException {
    return send(HttpRequest.newBuilder(url).timeout(TIMEOUT).GET().build());
  }

  private int send(HttpRequest request) throws InterruptedException {
    try {
      return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException e) {
      // The exception's message may quote the URL: only its class is logged.
      LOG.warn("{} to {} failed: {}", request.method(), masked, e.getClass().getSimpleName());
      return -1;
    }
  }

  @Override
  public String toString() {
    return masked;
  }
}
