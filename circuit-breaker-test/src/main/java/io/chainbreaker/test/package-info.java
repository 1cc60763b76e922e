/**
 * Test support for Chain Breaker and its users, what Chain Breaker's own tests use:
 *
 * <ul>
 *   <li>{@link io.chainbreaker.test.ChainBreakerRig}: an engine built from your configuration on
 *       {@link io.chainbreaker.test.VirtualTime} over {@link
 *       io.chainbreaker.test.ScriptedHeadSource} endpoints, with its events in a {@link
 *       io.chainbreaker.test.TransitionQueue}; and {@link
 *       io.chainbreaker.test.ChainBreakerExtension}, which gives each JUnit 5 test one;
 *   <li>{@link io.chainbreaker.test.SimulatedChain}, an in-process JSON-RPC chain that can halt,
 *       resume and misbehave per endpoint, for tests over real HTTP;
 *   <li>{@link io.chainbreaker.test.VirtualTime}, a clock and scheduler that only move when a test
 *       says so.
 * </ul>
 */
@NullMarked
package io.chainbreaker.test;

import org.jspecify.annotations.NullMarked;
