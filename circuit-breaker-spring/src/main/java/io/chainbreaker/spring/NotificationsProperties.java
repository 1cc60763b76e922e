package io.chainbreaker.spring;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/** Binds {@code chain-breaker.notifications}: incident notifications and the heartbeat. */
public class NotificationsProperties {

  /** The incident webhook. */
  private final Webhook webhook = new Webhook();

  /** The heartbeat to a dead-man's switch. */
  private final HeartbeatSettings heartbeat = new HeartbeatSettings();

  public Webhook getWebhook() {
    return webhook;
  }

  public HeartbeatSettings getHeartbeat() {
    return heartbeat;
  }

  /** The incident webhook: one message per network incident and one when it is resolved. */
  public static class Webhook {

    /** URL to POST incident messages to (a secret: shown only as scheme and host). Unset: none. */
    private @Nullable String url;

    /** How messages are written: json (a generic object) or slack ({"text": ...}). */
    private WebhookFormat format = WebhookFormat.JSON;

    /**
     * How long a network must stay recovered before its incident is resolved; a relapse within it
     * continues the incident without a new message.
     */
    private Duration dedupWindow = Duration.ofMinutes(1);

    /** Deliveries tried per message (connection errors, 429 and 5xx are retried). */
    private int maxAttempts = 5;

    /** Wait after the first failed delivery; doubled after each, at most 1 minute. */
    private Duration initialBackoff = Duration.ofSeconds(1);

    /** Network changes held while the notifier is busy; more are dropped with a WARN. */
    private int queueCapacity = 1000;

    public @Nullable String getUrl() {
      return url;
    }

    public void setUrl(@Nullable String url) {
      this.url = url;
    }

    public WebhookFormat getFormat() {
      return format;
    }

    public void setFormat(WebhookFormat format) {
      this.format = format;
    }

    public Duration getDedupWindow() {
      return dedupWindow;
    }

    public void setDedupWindow(Duration dedupWindow) {
      this.dedupWindow = dedupWindow;
    }

    public int getMaxAttempts() {
      return maxAttempts;
    }

    public void setMaxAttempts(int maxAttempts) {
      this.maxAttempts = maxAttempts;
    }

    public Duration getInitialBackoff() {
      return initialBackoff;
    }

    public void setInitialBackoff(Duration initialBackoff) {
      this.initialBackoff = initialBackoff;
    }

    public int getQueueCapacity() {
      return queueCapacity;
    }

    public void setQueueCapacity(int queueCapacity) {
      this.queueCapacity = queueCapacity;
    }

    @Override
    public String toString() {
      return "Webhook[url=" + (url == null ? null : "***") + ", format=" + format + "]";
    }
  }

  /** The heartbeat: a GET to a dead-man's switch so people learn when the monitor is gone. */
  public static class HeartbeatSettings {

    /** URL to GET every interval (a secret: shown only as scheme and host). Unset: none. */
    private @Nullable String url;

    /** Time between pings; the switch should alert after missing a few. */
    private Duration interval = Duration.ofMinutes(1);

    public @Nullable String getUrl() {
      return url;
    }

    public void setUrl(@Nullable String url) {
      this.url = url;
    }

    public Duration getInterval() {
      return interval;
    }

    public void setInterval(Duration interval) {
      this.interval = interval;
    }

    @Override
    public String toString() {
      return "Heartbeat[url=" + (url == null ? null : "***") + ", interval=" + interval + "]";
    }
  }
}
