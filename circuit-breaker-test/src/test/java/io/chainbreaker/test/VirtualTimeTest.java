package io.chainbreaker.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class VirtualTimeTest {

  @Test
  void runsTasksInDueOrderAtTheirDueTimeOnlyWhenAdvanced() {
    VirtualTime time = VirtualTime.create();
    ScheduledExecutorService s = time.newScheduler();
    List<String> log = new ArrayList<>();
    s.schedule(() -> log.add("b@" + time.nanoTime()), 2, TimeUnit.SECONDS);
    s.schedule(() -> log.add("a@" + time.nanoTime()), 1, TimeUnit.SECONDS);
    s.execute(() -> log.add("now@" + time.nanoTime()));
    assertThat(log).isEmpty();

    time.advance(Duration.ofMillis(1500));

    assertThat(log).containsExactly("now@0", "a@1000000000");
    assertThat(time.nanoTime()).isEqualTo(1_500_000_000L);
    assertThat(time.now()).isEqualTo(VirtualTime.create().now().plusMillis(1500));
  }

  @Test
  void repeatsAtFixedRateAndStopsWhenCancelled() {
    VirtualTime time = VirtualTime.create();
    List<Long> runs = new ArrayList<>();
    ScheduledFuture<?> f =
        time.newScheduler()
            .scheduleAtFixedRate(
                () -> runs.add(time.nanoTime() / 1_000_000), 0, 250, TimeUnit.MILLISECONDS);
    time.advance(Duration.ofSeconds(1));
    assertThat(runs).containsExactly(0L, 250L, 500L, 750L, 1000L);
    f.cancel(false);
    time.advance(Duration.ofSeconds(1));
    assertThat(runs).hasSize(5);
  }

  @Test
  void aShutDownViewRunsNothingWhileOtherViewsGoOn() {
    VirtualTime time = VirtualTime.create();
    ScheduledExecutorService dead = time.newScheduler();
    ScheduledExecutorService alive = time.newScheduler();
    List<String> log = new ArrayList<>();
    dead.scheduleAtFixedRate(() -> log.add("dead"), 0, 1, TimeUnit.SECONDS);
    alive.scheduleAtFixedRate(() -> log.add("alive"), 0, 1, TimeUnit.SECONDS);
    time.runDue();
    dead.shutdownNow();
    time.advance(Duration.ofSeconds(2));
    assertThat(log).containsExactly("dead", "alive", "alive", "alive");
    assertThatThrownBy(() -> dead.execute(() -> {})).isInstanceOf(RejectedExecutionException.class);
  }
}
