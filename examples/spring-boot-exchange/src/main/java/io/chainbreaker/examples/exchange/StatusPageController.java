package io.chainbreaker.examples.exchange;

import io.chainbreaker.ChainBreaker;
import io.chainbreaker.DirectionStatus;
import io.chainbreaker.EndpointStatus;
import io.chainbreaker.NetworkStatus;
import io.chainbreaker.StatusSnapshot;
import io.chainbreaker.TokenStatus;
import io.chainbreaker.TokenSuspendedException;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.HtmlUtils;

/**
 * A status page for people: every network (health, reason, since, head per endpoint) and every
 * token (state, reason, since, per direction), refreshed every 5 seconds. RPC URLs are masked;
 * operators' names and reasons are not shown.
 */
@RestController
public class StatusPageController {

  private final ChainBreaker breaker;

  public StatusPageController(ChainBreaker breaker) {
    this.breaker = breaker;
  }

  @GetMapping(value = "/status", produces = MediaType.TEXT_HTML_VALUE)
  public String status() {
    StatusSnapshot s = breaker.snapshot();
    StringBuilder html =
        new StringBuilder(4096)
            .append("<!doctype html><html><head><meta charset=\"utf-8\">")
            .append(
                "<meta http-equiv=\"refresh\" content=\"5\"><title>Chain Breaker status</title>")
            .append("<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse;")
            .append(
                "margin-bottom:2em}td,th{border:1px solid #ccc;padding:4px 8px;text-align:left}")
            .append(".ALLOWED,.HEALTHY{background:#dfd}.RECOVERING,.DEGRADED{background:#ffd}")
            .append(".SUSPENDED,.HALTED,.UNREACHABLE,.MONITOR_STALE,.MAINTENANCE{background:#fdd}")
            .append("</style></head><body><h1>Chain Breaker status</h1><p>as of ")
            .append(e(s.takenAt()))
            .append("</p><h2>Networks</h2><table><tr><th>network</th>")
            .append("<th>health</th><th>reason</th><th>since</th><th>head</th><th>endpoints</th>")
            .append("</tr>");
    for (NetworkStatus n : s.networks()) {
      html.append("<tr><td>")
          .append(e(n.name()))
          .append("</td><td class=\"")
          .append(n.health())
          .append("\">")
          .append(n.health())
          .append("</td><td>")
          .append(n.reason())
          .append(": ")
          .append(e(n.detail()))
          .append("</td><td>")
          .append(e(n.since()))
          .append("</td><td>")
          .append(n.head() == null ? "none" : "#" + n.head().number())
          .append("</td><td>");
      for (EndpointStatus ep : n.endpoints()) {
        html.append(e(ep.url()))
            .append(" ")
            .append(ep.state())
            .append(" #")
            .append(ep.head() == null ? "none" : ep.head())
            .append("<br>");
      }
      html.append("</td></tr>");
    }
    html.append("</table><h2>Tokens</h2><table><tr><th>token</th><th>network</th>")
        .append("<th>deposits</th><th>withdrawals</th></tr>");
    for (TokenStatus t : s.tokens()) {
      html.append("<tr><td>")
          .append(e(t.symbol()))
          .append("</td><td>")
          .append(e(t.network()))
          .append("</td>");
      cell(html, t.deposit());
      cell(html, t.withdrawal());
      html.append("</tr>");
    }
    return html.append("</table></body></html>").toString();
  }

  private static void cell(StringBuilder html, DirectionStatus d) {
    html.append("<td class=\"")
        .append(d.state())
        .append("\">")
        .append(d.state())
        .append(" <small>")
        .append(d.reason())
        .append(" since ")
        .append(e(d.since()))
        // Anyone can read this page: an override shows as OPERATOR, not who forced it nor why.
        .append("<br>")
        .append(e(TokenSuspendedException.publicDetail(d.reason(), d.detail())))
        .append("</small></td>");
  }

  private static String e(Object value) {
    return HtmlUtils.htmlEscape(String.valueOf(value));
  }
}
