package io.chainbreaker;

import io.chainbreaker.chain.BlockHead;
import io.chainbreaker.chain.HeadSource;
import io.chainbreaker.chain.RpcException;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;

/**
 * A head source whose answers a rule test sets directly. Rule tests use it with virtual time so
 * that every deadline is exact; HTTP behaviour is tested against the simulated chain instead.
 *
 * <p>Its chain is one line of blocks: block n has hash {@code 0x<n>}, or {@code 0x<n>:<fork>} from
 * the height a {@link #reorg(int)} replaced onwards, and its parent is block n-1 on the same branch.
 */
final class ScriptedSource implements HeadSource {
  private final LongSupplier wallSeconds;
  volatile long chainId;
  /** If set, the identity answered instead of the chain id (a network of another family). */
  volatile String identity;
  /** Whether heads carry linked hashes (false: a family read by height alone). */
  volatile boolean linksBlocks = true;
  volatile long number;
  volatile long timestamp;
  volatile boolean syncing;
  volatile String failure;
  /** Blocks the finalized one trails the head by; negative: the node refuses the tag. */
  volatile long finalityLag = 2;
  /** If set, the finalized block stays here. */
  volatile Long frozenFinalized;
  /** Whether blocks by hash are unknown to the node, so parents never link. */
  volatile boolean forgetsParents;
  private volatile int fork;
  private volatile long forkFrom = Long.MAX_VALUE;
  /** Whether the node refuses eth_syncing as an unknown method. */
  volatile boolean syncingRefused;
  int calls;
  private long requests;

  ScriptedSource(long chainId, long number, LongSupplier wallSeconds) {
    this.chainId = chainId;
    this.number = number;
    this.wallSeconds = wallSeconds;
    this.timestamp = wallSeconds.getAsLong();
  }

  /** Seconds the chain's block times run behind the host's clock (a host clock that is ahead). */
  volatile long clockLag;

  /** Produces {@code n} blocks stamped with the current virtual time (less {@link #clockLag}). */
  ScriptedSource mine(int n) {
    number += n;
    timestamp = wallSeconds.getAsLong() - clockLag;
    return this;
  }

  /** Replaces the newest {@code depth} blocks with another branch of the same height. */
  ScriptedSource reorg(int depth) {
    fork++;
    forkFrom = number - depth + 1;
    return this;
  }

  private String hash(long n) {
    return n >= forkFrom ? "0x" + Long.toHexString(n) + ":" + fork : "0x" + Long.toHexString(n);
  }

  private BlockHead block(long n) {
    return new BlockHead(n, hash(n), hash(n - 1), timestamp);
  }

  @Override
  public CompletableFuture<Heads> heads(boolean withFinalized) {
    return answer(() -> {
      calls++;
      BlockHead latest = block(number);
      if (!withFinalized) {
        return new Heads(latest, null, null);
      }
      if (finalityLag < 0) {
        return new Heads(latest, null, "the finalized tag was refused: JSON-RPC error -32602");
      }
      long f = frozenFinalized != null ? frozenFinalized : number - finalityLag;
      return new Heads(latest, block(f), null);
    });
  }

  @Override
  public CompletableFuture<Long> headNumber() {
    return answer(() -> {
      calls++;
      return number;
    });
  }

  @Override
  public CompletableFuture<BlockHead> blockByNumber(long n) {
    return answer(() -> n > number ? null : block(n));
  }

  @Override
  public CompletableFuture<BlockHead> blockByHash(String hash) {
    return answer(() -> {
      if (forgetsParents) {
        return null;
      }
      long n = Long.decode(hash.split(":")[0]);
      return n <= number && hash(n).equals(hash) ? block(n) : null;
    });
  }

  @Override
  public CompletableFuture<Long> chainId() {
    return answer(() -> chainId);
  }

  @Override
  public CompletableFuture<String> identity() {
    String id = identity;
    return id == null ? HeadSource.super.identity() : answer(() -> id);
  }

  @Override
  public boolean linksBlocks() {
    return linksBlocks;
  }

  @Override
  public CompletableFuture<Boolean> syncing() {
    return answer(() -> {
      if (syncingRefused) {
        throw new RpcException("eth_syncing returned JSON-RPC error -32601: method not found");
      }
      return syncing;
    });
  }

  @Override
  public long requestCount() {
    return requests;
  }

  /** An answer computed now, or the scripted failure. */
  private <T> CompletableFuture<T> answer(Answer<T> a) {
    requests++;
    try {
      fail();
      return CompletableFuture.completedFuture(a.get());
    } catch (RpcException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  private interface Answer<T> {
    T get() throws RpcException;
  }

  private void fail() throws RpcException {
    String f = failure;
    if (f != null) {
      throw new RpcException(f);
    }
  }
}
