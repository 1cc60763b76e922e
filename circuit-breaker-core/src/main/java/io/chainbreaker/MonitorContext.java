package io.chainbreaker;

import io.chainbreaker.chain.HeadSource;
import java.time.Clock;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;

/**
 * What a {@link NetworkMonitor} needs from whoever runs it, and nothing more: the two time sources,
 * the threads, how to speak to endpoints and where to report. Handing the monitor this instead of
 * the engine keeps the dependency one way: the engine knows its monitors, a monitor knows no
 * engine.
 *
 * @param clock wall time (block timestamps, {@code since} instants)
 * @param ticker monotonic time (deadlines)
 * @param scheduler the monitor thread: polls, evaluations and deadlines run here
 * @param io runs what may block (liveness probes)
 * @param headSources opens endpoints' head sources and subscriptions
 * @param events where health changes and token transitions are published
 * @param costs the projected cost of every endpoint by provider, which budgets are checked against
 */
record MonitorContext(
    Clock clock,
    Ticker ticker,
    ScheduledExecutorService scheduler,
    Executor io,
    HeadSource.Factory headSources,
    EventPublisher events,
    CostBook costs) {}
