package io.flowsdk.bench;

import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteOptions;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The storage engines the embedded store could be built on, on a queue workload: enqueue an item
 * (a put under an increasing key), then consume it (read the oldest, delete it), each step durable
 * (fsync) before it counts — once per operation, or once per group of {@code bench.storeGroup}
 * operations (group commit). RocksDB is the peer; the throughput counts both steps of an item.
 */
final class StorageScenario implements Scenario {

  private static final int ITEMS = Integer.getInteger("bench.storeItems", 2_000);
  private static final int GROUP = Integer.getInteger("bench.storeGroup", 64);

  @Override
  public String name() {
    return "storage";
  }

  @Override
  public List<BenchResult> run(BenchConfig config) throws Exception {
    List<BenchResult> rows = new ArrayList<>();
    for (int group : new int[] {1, GROUP}) {
      String label = "queue, fsync " + (group == 1 ? "every write" : "every " + group + " writes");
      rows.add(measure(label, "RocksDB 9.7.3", true, new Rocks(), group, config.payloadBytes));
      rows.add(measure(label, "H2 MVStore 2.3.232", false, new Mv(), group, config.payloadBytes));
    }
    return rows;
  }

  private static BenchResult measure(String label, String subject, boolean baseline, Engine engine, int group, int payloadBytes) throws Exception {
    Path dir = Files.createTempDirectory("flowsdk-bench-store");
    byte[] payload = new byte[Math.max(payloadBytes, 256)];
    Latencies latencies = new Latencies(2 * ITEMS);
    try {
      engine.open(dir);
      double cpu0 = CpuClock.thisProcess();
      long start = System.nanoTime();
      for (int i = 0; i < ITEMS; i++) {
        long t = System.nanoTime();
        engine.put(i, payload, (i + 1) % group == 0);
        latencies.record(System.nanoTime() - t);
      }
      for (int i = 0; i < ITEMS; i++) {
        long t = System.nanoTime();
        engine.takeOldest((i + 1) % group == 0);
        latencies.record(System.nanoTime() - t);
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      return new BenchResult(label, subject, baseline, 2L * ITEMS, seconds,
        latencies.percentileMicros(50), latencies.percentileMicros(99), CpuClock.thisProcess() - cpu0);
    } finally {
      engine.close();
      try (var files = Files.walk(dir)) {
        files.sorted((a, b) -> b.compareTo(a)).forEach(p -> p.toFile().delete());
      }
    }
  }

  private interface Engine {
    void open(Path dir) throws Exception;

    void put(long seq, byte[] value, boolean sync) throws Exception;

    void takeOldest(boolean sync) throws Exception;

    void close() throws Exception;
  }

  private static final class Mv implements Engine {
    private MVStore store;
    private MVMap<Long, byte[]> map;

    @Override
    public void open(Path dir) {
      store = new MVStore.Builder().fileName(dir.resolve("store.mv").toString()).autoCommitDisabled().open();
      map = store.openMap("queue");
    }

    @Override
    public void put(long seq, byte[] value, boolean sync) {
      map.put(seq, value);
      commit(sync);
    }

    @Override
    public void takeOldest(boolean sync) {
      Long first = map.firstKey();
      map.remove(first);
      commit(sync);
    }

    private void commit(boolean sync) {
      if (sync) {
        store.commit();
        store.sync();
      }
    }

    @Override
    public void close() {
      store.close();
    }
  }

  private static final class Rocks implements Engine {
    private Options options;
    private RocksDB db;
    private WriteOptions synced;
    private WriteOptions unsynced;

    @Override
    public void open(Path dir) throws Exception {
      RocksDB.loadLibrary();
      synced = new WriteOptions().setSync(true);
      unsynced = new WriteOptions().setSync(false);
      options = new Options().setCreateIfMissing(true);
      db = RocksDB.open(options, dir.toString());
    }

    @Override
    public void put(long seq, byte[] value, boolean sync) throws Exception {
      db.put(sync ? synced : unsynced, ByteBuffer.allocate(8).putLong(seq).array(), value);
    }

    @Override
    public void takeOldest(boolean sync) throws Exception {
      try (RocksIterator it = db.newIterator()) {
        it.seekToFirst();
        db.delete(sync ? synced : unsynced, it.key());
      }
    }

    @Override
    public void close() {
      db.close();
      options.close();
      synced.close();
      unsynced.close();
    }
  }
}
