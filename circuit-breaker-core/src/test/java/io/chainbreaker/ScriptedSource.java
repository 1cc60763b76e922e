package io.chainbreaker;

import io.chainbreaker.chain.BlockHead;
import io.chainbreaker.chain.HeadSource;
import io.chainbreaker.chain.RpcException;
import java.io.IOException;
import java.util.function.LongSupplier;

/**
 * A head source whose answers a rule test sets directly. Rule tests use it with virtual time so
 * that every deadline is exact; HTTP behaviour is tested against the simulated chain instead.
 */
final class ScriptedSource implements HeadSource {
  private final LongSupplier wallSeconds;
  volatile long chainId;
  volatile long number;
  volatile long timestamp;
  volatile boolean syncing;
  volatile String failure;
  int calls;

  ScriptedSource(long chainId, long number, LongSupplier wallSeconds) {
    this.chainId = chainId;
    this.number = number;
    this.wallSeconds = wallSeconds;
    this.timestamp = wallSeconds.getAsLong();
  }

  /** Produces {@code n} blocks stamped with the current virtual time. */
  ScriptedSource mine(int n) {
    number += n;
    timestamp = wallSeconds.getAsLong();
    return this;
  }

  @Override
  public BlockHead latest() throws IOException {
    calls++;
    fail();
    return new BlockHead(number, "0x" + Long.toHexString(number), "0x" + Long.toHexString(number - 1),
        timestamp);
  }

  @Override
  public long chainId() throws IOException {
    fail();
    return chainId;
  }

  @Override
  public boolean syncing() throws IOException {
    fail();
    return syncing;
  }

  private void fail() throws RpcException {
    String f = failure;
    if (f != null) {
      throw new RpcException(f);
    }
  }
}
