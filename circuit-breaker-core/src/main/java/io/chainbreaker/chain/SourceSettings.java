package io.chainbreaker.chain;

import io.chainbreaker.Protocol;
import io.chainbreaker.RpcNamespace;
import java.time.Duration;
import java.util.Objects;

/**
 * What a {@link HeadSource.Factory} needs to know of a network to open its endpoints: no more, so a
 * source does not depend on thresholds it never reads, and an endpoint can be kept as it is when
 * only other settings of its network change. Built by the engine from each network's configuration
 * ({@code NetworkConfig.sourceSettings()}).
 *
 * @param network the network's name, for messages
 * @param protocol the family of the network's nodes: which API to speak
 * @param namespace the JSON-RPC namespace of an EVM network ({@code eth} or {@code klay})
 * @param chainId the network's numeric chain id, or 0 where its identity is not a number
 * @param identity what every endpoint must answer to {@link HeadSource#identity()}
 * @param requestTimeout the bound on every request
 */
public record SourceSettings(
    String network,
    Protocol protocol,
    RpcNamespace namespace,
    long chainId,
    String identity,
    Duration requestTimeout) {

  /** Checks that nothing is missing and the timeout is positive. */
  public SourceSettings {
    Objects.requireNonNull(network, "network");
    Objects.requireNonNull(protocol, "protocol");
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(identity, "identity");
    Objects.requireNonNull(requestTimeout, "requestTimeout");
    if (requestTimeout.isNegative() || requestTimeout.isZero()) {
      throw new IllegalArgumentException(
          "requestTimeout of network " + network + " must be positive but was " + requestTimeout);
    }
  }

  /** The identity with its name, for messages: {@code chain id 8217}. */
  public String identityText() {
    return protocol.identityName() + " " + identity;
  }
}
