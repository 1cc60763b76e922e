package io.chainbreaker.test;

import static org.assertj.core.api.Assertions.assertThat;

import io.chainbreaker.chain.BlockHead;
import io.chainbreaker.chain.HeadSource;
import io.chainbreaker.chain.RpcException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/** A scripted endpoint answers what the test set, and fails the way it was told to. */
class ScriptedHeadSourceTest {

  private final VirtualTime time = VirtualTime.create();
  private final ScriptedHeadSource node = new ScriptedHeadSource(8217, 100, time.clock());

  private static RpcException failure(CompletableFuture<?> f) {
    assertThat(f).isCompletedExceptionally();
    try {
      f.join();
      throw new AssertionError("not failed");
    } catch (CompletionException e) {
      return (RpcException) e.getCause();
    }
  }

  @Test
  void minedBlocksAreStampedWithVirtualTimeAndLinkToTheirParents() {
    time.advance(Duration.ofSeconds(12));
    node.mine(2);

    HeadSource.Heads heads = node.heads(true).join();
    assertThat(heads.latest().number()).isEqualTo(102);
    assertThat(heads.latest().timestamp()).isEqualTo(time.now().getEpochSecond());
    assertThat(heads.finalized().number()).isEqualTo(100);
    BlockHead parent = node.blockByHash(heads.latest().parentHash()).join();
    assertThat(parent.number()).isEqualTo(101);
    assertThat(node.headRequests()).isEqualTo(1);
  }

  @Test
  void aReorgGivesTheNewestBlocksOtherHashes() {
    String before = node.blockByNumber(100).join().hash();
    node.reorg(1);
    assertThat(node.blockByNumber(100).join().hash()).isNotEqualTo(before);
    assertThat(node.blockByHash(before).join()).isNull();
    assertThat(node.blockByNumber(99).join().hash()).isEqualTo("0x63");
  }

  @Test
  void failsAsAnUnusableAnswerOrAsATimeoutUntilHealed() {
    node.fail("HTTP 502");
    RpcException unusable = failure(node.headNumber());
    assertThat(unusable).hasMessage("HTTP 502");
    assertThat(unusable.transport()).isFalse();

    node.timeOut();
    RpcException timedOut = failure(node.syncing());
    assertThat(timedOut.transport()).isTrue();
    assertThat(timedOut).hasMessageContaining("timed out");

    node.heal();
    assertThat(node.headNumber().join()).isEqualTo(100);
    assertThat(node.requestCount()).isEqualTo(3);
  }

  @Test
  void answersTheScriptedFinalityAndIdentity() {
    node.refusesFinalizedTag(true);
    assertThat(node.heads(true).join().finalizedError()).contains("refused");
    node.refusesFinalizedTag(false).freezeFinalized(90).mine(5);
    assertThat(node.heads(true).join().finalized().number()).isEqualTo(90);
    node.thawFinalized().finalityLag(0);
    assertThat(node.heads(true).join().finalized().number()).isEqualTo(105);

    assertThat(node.identity().join()).isEqualTo("8217");
    node.identity("12a765e31ffd4059bada1e25190f6e98c99d9714d334efa41a195a7e7e04bfe2");
    assertThat(node.identity().join()).startsWith("12a765");
  }
}
