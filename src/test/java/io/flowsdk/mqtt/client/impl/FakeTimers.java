package io.flowsdk.mqtt.client.impl;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** A manual clock: time moves only in {@link #advance}, which runs the timers that fall due in order. */
final class FakeTimers implements Timers {

  private record Task(long id, long due, Runnable run) {
  }

  private final List<Task> tasks = new ArrayList<>();
  private long now = 1_000_000;
  private long nextId;

  @Override
  public void execute(Runnable task) {
    task.run();
  }

  @Override
  public long nowMillis() {
    return now;
  }

  @Override
  public long schedule(long delayMillis, Runnable task) {
    long id = nextId++;
    tasks.add(new Task(id, now + delayMillis, task));
    return id;
  }

  @Override
  public void cancel(long id) {
    tasks.removeIf(t -> t.id == id);
  }

  void advance(long millis) {
    long end = now + millis;
    while (true) {
      Task next = tasks.stream().filter(t -> t.due <= end).min(Comparator.comparingLong(Task::due)).orElse(null);
      if (next == null) {
        break;
      }
      tasks.remove(next);
      now = next.due;
      next.run.run();
    }
    now = end;
  }

  int pending() {
    return tasks.size();
  }
}
