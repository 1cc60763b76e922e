/**
 * Chain Breaker's public API: build a {@link io.chainbreaker.ChainBreaker} from {@link
 * io.chainbreaker.NetworkConfig}s and {@link io.chainbreaker.TokenConfig}s, start it, and ask
 * before each deposit or withdrawal whether the token's network allows it.
 *
 * <p>A token is one asset on one network, named by its symbol and its network ({@code USDT} on
 * {@code tron}), as one value a {@link io.chainbreaker.TokenId} ({@code USDT@tron}); the words are
 * the same in the API, the properties, the logs, the metrics and the store: {@code symbol}, {@code
 * network}, {@code direction}, {@code reason} (always a {@link io.chainbreaker.Reason}), an
 * override's {@code note}, and questions asked with {@code allows...}.
 *
 * <p>How the package is put together, for whoever changes it (all but the API is package-private):
 *
 * <pre>
 * Engine ─ wires the parts, starts and stops them, hands each call to the part whose job it is
 *   ├─ LiveCatalog ── the catalog in force: one immutable Listing (networks' monitors, tokens'
 *   │       breakers, the symbol table of the hot path), swapped whole by change(CatalogChange)
 *   │       (CatalogCheck validates, Breakers makes breakers, Waiters keeps awaitAllowed's futures)
 *   ├─ CatalogSourceSync ── a CatalogSource's tokens; Journal ── the audit trail of transitions
 *   ├─ Overrides ── operators' overrides and what the StateStore remembers
 *   ├─ EventPublisher ── log lines and listeners (ChainBreaker.events())
 *   ├─ Fleet (optional) ── the lease on a FleetStore: leads (watches, publishes NetworkVerdicts,
 *   │       fenced by its epoch) or follows (monitors unstarted, verdicts mirrored onto the
 *   │       breakers, VIEW_STALE when none is fresh); handed a Fleet.Host, never the engine
 *   └─ NetworkMonitor (one per network, handed a MonitorContext, never the engine)
 *        ├─ EndpointTracker (one per endpoint, over a HeadSource opened with SourceSettings)
 *        │    ├─ PollPipeline ── one poll's requests; ChainFollower ── the reorg walk
 *        │    └─ RequestRate ── rate and cost figures; EndpointSubscription ── pushed heads
 *        ├─ NetworkState ── the chain as seen (quorum head, finality, reorgs), read as a NetworkView
 *        ├─ RuleBook ── HaltRule.ALL, one small pure class per automatic reason, judging the view:
 *        │    in force now (and why), and when that can next change without new input
 *        ├─ HeadSubscriptions, ProbeWatch, SequencerWatch, BudgetWatch ── pushed heads, the
 *        │    liveness probe, a rollup's sequencer feed, the providers' budgets
 *        └─ DirectionBreaker (two per token) ── the state machine a query reads
 * </pre>
 *
 * <p>Adding a signal is one {@code HaltRule} class, one {@link io.chainbreaker.Reason} constant
 * naming it and its strength, and one test on a {@code NetworkView}; adding a chain family is one
 * {@link io.chainbreaker.chain.HeadSource}.
 */
@NullMarked
package io.chainbreaker;

import org.jspecify.annotations.NullMarked;
