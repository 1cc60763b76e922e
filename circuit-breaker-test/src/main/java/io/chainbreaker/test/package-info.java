/**
 * Test support for Chain Breaker and its users: {@link io.chainbreaker.test.SimulatedChain}, an
 * in-process JSON-RPC chain that can halt, resume and misbehave per endpoint, and
 * {@link io.chainbreaker.test.VirtualTime}, a clock and scheduler that only move when a test says so.
 */
@NullMarked
package io.chainbreaker.test;

import org.jspecify.annotations.NullMarked;
