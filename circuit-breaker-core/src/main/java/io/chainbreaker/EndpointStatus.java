package io.chainbreaker;

import java.time.Instant;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One endpoint as the engine sees it.
 *
 * @param url the masked URL
 * @param state its state
 * @param head the number of the latest block it reported, or null
 * @param headAdvancedAt when its head last advanced, or null
 * @param lastAnswerAt when it last answered, or null
 * @param lastError the last failure, or null if the last request succeeded
 * @param subscription the state of its newHeads subscription ({@link SubscriptionState#NONE} for an
 *     endpoint without a WebSocket URL)
 * @param subscriptionDetail what went wrong with the subscription, or null when nothing did
 * @param requests how many requests were sent to it since start (a batch counts once)
 * @param requestsPerMinute its request rate over the last full minute (over the time since start
 *     before a minute has passed)
 * @param provider the name of its {@link RpcPlan}: what its cost is counted by
 * @param costUnit the unit its provider bills in ({@code requests}, {@code CU}, {@code credits})
 * @param costByMethod what it has cost since start, per JSON-RPC method, in {@code costUnit}
 * @param costPerDay its cost per day projected from the same window as {@code requestsPerMinute}
 * @param budgetPerDay its provider's budget per day over every endpoint there, or null if none
 */
public record EndpointStatus(
    String url,
    EndpointState state,
    @Nullable Long head,
    @Nullable Instant headAdvancedAt,
    @Nullable Instant lastAnswerAt,
    @Nullable String lastError,
    SubscriptionState subscription,
    @Nullable String subscriptionDetail,
    long requests,
    double requestsPerMinute,
    String provider,
    String costUnit,
    Map<String, Double> costByMethod,
    double costPerDay,
    @Nullable Double budgetPerDay) {

  /** Copies the map. */
  public EndpointStatus {
    costByMethod = Map.copyOf(costByMethod);
  }

  /** An endpoint without cost figures: counted in {@code requests}, nothing spent yet. */
  public EndpointStatus(
      String url,
      EndpointState state,
      @Nullable Long head,
      @Nullable Instant headAdvancedAt,
      @Nullable Instant lastAnswerAt,
      @Nullable String lastError,
      SubscriptionState subscription,
      @Nullable String subscriptionDetail,
      long requests,
      double requestsPerMinute) {
    this(
        url,
        state,
        head,
        headAdvancedAt,
        lastAnswerAt,
        lastError,
        subscription,
        subscriptionDetail,
        requests,
        requestsPerMinute,
        RpcPlan.REQUESTS.name(),
        RpcPlan.REQUESTS.unit(),
        Map.of(),
        0,
        null);
  }

  /** What it has cost since start, in {@code costUnit}. */
  public double cost() {
    double sum = 0;
    for (double c : costByMethod.values()) {
      sum += c;
    }
    return sum;
  }
}
