package io.chainbreaker.test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.Delayed;
import java.util.concurrent.Executors;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Time that moves only when a test calls {@link #advance(Duration)}: a wall {@link Clock}, a
 * monotonic nano ticker and any number of {@link ScheduledExecutorService} views whose tasks run on
 * the calling thread, in due-time order, while time advances. Rules that depend on time can so be
 * tested deterministically and without sleeping.
 *
 * <p>Each {@link #newScheduler()} view can be shut down on its own (as if its thread had died)
 * while time and the other views go on. Not thread-safe: drive it from the test thread.
 */
public final class VirtualTime {

  private final Instant origin;
  private long nanos;
  private long sequence;
  private final PriorityQueue<Task<?>> queue = new PriorityQueue<>();
  private final List<Task<?>> held = new ArrayList<>();

  private VirtualTime(Instant origin) {
    this.origin = origin;
  }

  /** Virtual time whose wall clock starts at {@code origin}. */
  public static VirtualTime startingAt(Instant origin) {
    return new VirtualTime(Objects.requireNonNull(origin, "origin"));
  }

  /** Virtual time whose wall clock starts at 2020-03-29T14:00:00Z. */
  public static VirtualTime create() {
    return startingAt(Instant.parse("2020-03-29T14:00:00Z"));
  }

  /** Nanoseconds since this virtual time was created; a monotonic ticker. */
  public long nanoTime() {
    return nanos;
  }

  /** The current virtual wall time. */
  public Instant now() {
    return origin.plusNanos(nanos);
  }

  /** A UTC clock reading this virtual time. */
  public Clock clock() {
    return new VirtualClock(ZoneOffset.UTC);
  }

  /** A new scheduler view whose tasks run as this time advances. */
  public ScheduledExecutorService newScheduler() {
    return new VirtualScheduler();
  }

  /** Runs every task that is due now, including those the tasks themselves submit for now. */
  public void runDue() {
    advance(Duration.ZERO);
  }

  /**
   * Moves time forward by {@code duration}, running each task when its due time is reached, in
   * order of due time and then of submission.
   */
  public void advance(Duration duration) {
    if (duration.isNegative()) {
      throw new IllegalArgumentException("duration must not be negative but was " + duration);
    }
    long target = nanos + duration.toNanos();
    while (true) {
      Task<?> next = queue.peek();
      if (next == null || next.dueNanos > target) {
        break;
      }
      queue.poll();
      if (next.isCancelled() || next.owner.terminated) {
        continue;
      }
      if (next.owner.paused) {
        held.add(next);
        continue;
      }
      nanos = Math.max(nanos, next.dueNanos);
      next.runTask();
    }
    nanos = target;
  }

  /**
   * Pauses {@code views} (schedulers made by {@link #newScheduler()}): their tasks that come due
   * are held, as a process stopped by SIGSTOP or a long GC pause runs nothing, until {@link
   * #resume}; time and the other views go on.
   */
  public void pause(ScheduledExecutorService... views) {
    for (ScheduledExecutorService v : views) {
      view(v).paused = true;
    }
  }

  /** Resumes paused views: every task held comes due now, in the order it came due. */
  public void resume(ScheduledExecutorService... views) {
    for (ScheduledExecutorService v : views) {
      VirtualScheduler s = view(v);
      s.paused = false;
      held.removeIf(
          t -> {
            if (t.owner == s) {
              t.dueNanos = nanos;
              queue.add(t);
              return true;
            }
            return false;
          });
    }
  }

  private VirtualScheduler view(ScheduledExecutorService v) {
    if (!(v instanceof VirtualScheduler s) || s.time() != this) {
      throw new IllegalArgumentException("not a scheduler of this virtual time: " + v);
    }
    return s;
  }

  /** How many tasks are waiting, across all views. */
  public int pendingTasks() {
    return (int) queue.stream().filter(t -> !t.isCancelled() && !t.owner.terminated).count();
  }

  private final class VirtualClock extends Clock {
    private final ZoneId zone;

    VirtualClock(ZoneId zone) {
      this.zone = zone;
    }

    @Override
    public ZoneId getZone() {
      return zone;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return new VirtualClock(zone);
    }

    @Override
    public Instant instant() {
      return now();
    }
  }

  private final class Task<V> extends FutureTask<V> implements ScheduledFuture<V> {
    final VirtualScheduler owner;
    final long periodNanos; // 0: once; > 0: fixed rate; < 0: fixed delay
    long dueNanos;
    final long seq;

    Task(VirtualScheduler owner, Callable<V> callable, long dueNanos, long periodNanos) {
      super(callable);
      this.owner = owner;
      this.dueNanos = dueNanos;
      this.periodNanos = periodNanos;
      this.seq = sequence++;
    }

    void runTask() {
      if (periodNanos == 0) {
        run();
      } else if (runAndReset()) {
        dueNanos = periodNanos > 0 ? dueNanos + periodNanos : nanos - periodNanos;
        queue.add(this);
      }
    }

    @Override
    public long getDelay(TimeUnit unit) {
      return unit.convert(dueNanos - nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public int compareTo(Delayed other) {
      Task<?> o = (Task<?>) other;
      int byTime = Long.compare(dueNanos, o.dueNanos);
      return byTime != 0 ? byTime : Long.compare(seq, o.seq);
    }
  }

  private final class VirtualScheduler extends AbstractExecutorService
      implements ScheduledExecutorService {
    boolean terminated;
    boolean paused;

    VirtualTime time() {
      return VirtualTime.this;
    }

    private <V> Task<V> enqueue(Callable<V> callable, long delayNanos, long periodNanos) {
      if (terminated) {
        throw new RejectedExecutionException("virtual scheduler is shut down");
      }
      Task<V> task = new Task<>(this, callable, nanos + Math.max(0, delayNanos), periodNanos);
      queue.add(task);
      return task;
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
      return enqueue(Executors.callable(command), unit.toNanos(delay), 0);
    }

    @Override
    public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
      return enqueue(callable, unit.toNanos(delay), 0);
    }

    @Override
    public ScheduledFuture<?> scheduleAtFixedRate(
        Runnable command, long initialDelay, long period, TimeUnit unit) {
      if (period <= 0) {
        throw new IllegalArgumentException("period must be positive but was " + period);
      }
      return enqueue(Executors.callable(command), unit.toNanos(initialDelay), unit.toNanos(period));
    }

    @Override
    public ScheduledFuture<?> scheduleWithFixedDelay(
        Runnable command, long initialDelay, long delay, TimeUnit unit) {
      if (delay <= 0) {
        throw new IllegalArgumentException("delay must be positive but was " + delay);
      }
      return enqueue(Executors.callable(command), unit.toNanos(initialDelay), -unit.toNanos(delay));
    }

    @Override
    public void execute(Runnable command) {
      var unused = enqueue(Executors.callable(command), 0, 0);
    }

    @Override
    public void shutdown() {
      terminated = true;
    }

    @Override
    public List<Runnable> shutdownNow() {
      terminated = true;
      List<Runnable> dropped = new ArrayList<>();
      queue.removeIf(
          t -> {
            if (t.owner == this) {
              dropped.add(t);
              return true;
            }
            return false;
          });
      return dropped;
    }

    @Override
    public boolean isShutdown() {
      return terminated;
    }

    @Override
    public boolean isTerminated() {
      return terminated;
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) {
      return terminated;
    }
  }
}
