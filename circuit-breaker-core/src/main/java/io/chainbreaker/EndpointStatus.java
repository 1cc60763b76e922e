package io.chainbreaker;

import java.time.Instant;
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
 *     before a minute has passed): what the provider bills
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
    double requestsPerMinute) {}
