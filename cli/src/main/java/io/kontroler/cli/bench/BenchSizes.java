package io.kontroler.cli.bench;

/**
 * The sizes of the workloads. {@link #STANDARD} are the published ones; {@link #TINY} runs every
 * workload in seconds, to check that it works.
 *
 * @param chain tasks of the chain
 * @param fanout tasks in the middle of the fan-out
 * @param diamonds diamond runs requested at once
 * @param largeLayers layers of {@code layerWidth} tasks of large (large_half has half)
 * @param xlargeLayers layers of {@code layerWidth} tasks of xlarge
 * @param layerWidth tasks per layer of large and xlarge
 * @param processWidth tasks in the middle of the process fan-out
 * @param floorSamples produce-to-consume legs measured for the floor
 */
public record BenchSizes(
    int chain,
    int fanout,
    int diamonds,
    int largeLayers,
    int xlargeLayers,
    int layerWidth,
    int processWidth,
    int floorSamples) {
  public static final BenchSizes STANDARD =
      new BenchSizes(200, 1000, 500, 100, 1000, 100, 200, 2000);
  public static final BenchSizes TINY = new BenchSizes(20, 20, 10, 4, 6, 10, 4, 50);

  public BenchSizes {
    if (chain < 2
        || fanout < 1
        || diamonds < 1
        || largeLayers < 2
        || xlargeLayers < 1
        || layerWidth < 1
        || processWidth < 1
        || floorSamples < 1) {
      throw new IllegalArgumentException("Expected positive sizes and a chain of 2 or more");
    }
  }
}
