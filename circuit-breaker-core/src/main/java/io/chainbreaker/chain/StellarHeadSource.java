package io.chainbreaker.chain;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;

/**
 * One endpoint of a Stellar network, read through Horizon's root resource ({@code GET /} of the
 * Horizon URL) as documented at
 * https://developers.stellar.org/docs/data/apis/horizon/api-reference/get-network-information :
 * {@code history_latest_ledger} (the newest ledger Horizon has ingested), {@code
 * history_latest_ledger_closed_at} (its close time) and, as identity, {@code network_passphrase}
 * (mainnet {@code Public Global Stellar Network ; September 2015}). One request a poll gives head,
 * time and identity.
 *
 * <p>Ledgers closed by the Stellar Consensus Protocol are final: no {@code finalized} tag, no
 * reorganisation; heads are read by sequence alone ({@link #linksBlocks()} is false). Horizon has
 * no syncing flag: one that falls behind its network shows as {@code LAGGING}.
 */
final class StellarHeadSource implements HeadSource {
  private static final Pattern PASSPHRASE = Pattern.compile("[!-~][ -~]{0,126}[!-~]");

  private final HttpEndpoint http;

  StellarHeadSource(HttpEndpoint http) {
    this.http = http;
  }

  @Override
  public long requestCount() {
    return http.requests();
  }

  @Override
  public boolean linksBlocks() {
    return false;
  }

  @Override
  public CompletableFuture<Heads> heads(boolean withFinalized) {
    return root()
        .thenApply(
            root -> {
              long ledger =
                  http.number(root.path("history_latest_ledger"), "Horizon history_latest_ledger");
              JsonNode closed = root.path("history_latest_ledger_closed_at");
              long seconds;
              try {
                seconds =
                    HttpEndpoint.seconds(
                        Instant.parse(closed.asText("")).getEpochSecond(),
                        "Horizon history_latest_ledger_closed_at");
              } catch (DateTimeParseException e) {
                throw HttpEndpoint.failure(
                    "Horizon history_latest_ledger_closed_at is not a time: '"
                        + http.text(closed.toString())
                        + "'");
              }
              return new Heads(
                  new BlockHead(ledger, "ledger:" + ledger, "ledger:" + (ledger - 1), seconds),
                  null,
                  withFinalized ? "Stellar ledgers are final when closed: no finalized tag" : null);
            });
  }

  @Override
  public CompletableFuture<String> identity() {
    return root()
        .thenApply(
            root -> {
              JsonNode passphrase = root.path("network_passphrase");
              if (!passphrase.isTextual()
                  || !PASSPHRASE.matcher(passphrase.textValue()).matches()) {
                throw HttpEndpoint.failure(
                    "Horizon network_passphrase is not a passphrase: '"
                        + http.text(passphrase.toString())
                        + "'");
              }
              return passphrase.textValue();
            });
  }

  @Override
  public CompletableFuture<Boolean> syncing() {
    return CompletableFuture.completedFuture(false);
  }

  private CompletableFuture<JsonNode> root() {
    return http.getJson("/", "Horizon root")
        .thenApply(
            root -> {
              if (!root.isObject() || !root.has("history_latest_ledger")) {
                throw HttpEndpoint.failure(
                    "malformed answer to Horizon root: no history_latest_ledger: '"
                        + http.text(root.toString())
                        + "'");
              }
              return root;
            });
  }
}
