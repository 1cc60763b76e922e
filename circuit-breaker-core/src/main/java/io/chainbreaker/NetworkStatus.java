package io.chainbreaker;

import io.chainbreaker.chain.BlockHead;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One network as the engine sees it.
 *
 * @param name the network name
 * @param chainId its chain id
 * @param health its health
 * @param reason why
 * @param since when this health began
 * @param detail a sentence for people
 * @param head the network head (the block a quorum of endpoints has reached), or null
 * @param headAdvancedAt when the network head last advanced, or null
 * @param finalized the newest finalized block any endpoint reported, or null if not watched
 * @param reorgs how many reorganisations endpoints have seen since start, shallow ones included
 * @param endpoints every endpoint, in configuration order
 * @param clockOffset how far this host's clock runs ahead of the chain's block timestamps
 *     (negative: behind), estimated from heads as they arrive, or null before enough were seen; an
 *     offset beyond {@code timestampSkew} is logged and never keeps tokens suspended while heads
 *     advance
 */
public record NetworkStatus(
    String name,
    long chainId,
    NetworkHealth health,
    Reason reason,
    Instant since,
    String detail,
    @Nullable BlockHead head,
    @Nullable Instant headAdvancedAt,
    @Nullable BlockHead finalized,
    long reorgs,
    List<EndpointStatus> endpoints,
    java.time.@Nullable Duration clockOffset) {

  /**
   * Its projected cost per day by provider (the name of each endpoint's {@link RpcPlan}, whose unit
   * {@link EndpointStatus#costUnit()} says), summed over its endpoints.
   */
  public java.util.Map<String, Double> costPerDayByProvider() {
    java.util.Map<String, Double> sum = new java.util.TreeMap<>();
    for (EndpointStatus e : endpoints) {
      sum.merge(e.provider(), e.costPerDay(), Double::sum);
    }
    return java.util.Collections.unmodifiableMap(sum);
  }

  /** Requests per minute over all endpoints: what watching this network costs. */
  public double requestsPerMinute() {
    double sum = 0;
    for (EndpointStatus e : endpoints) {
      sum += e.requestsPerMinute();
    }
    return sum;
  }
}
