package io.kontroler.logstore;

/** Opens the log store a {@link LogStoreConfig} describes. */
public final class LogStores {
  private LogStores() {}

  /** A store that writes and reads: the executor's. */
  public static LogStore open(LogStoreConfig config) {
    return switch (config.kind()) {
      case LOCAL -> new LocalLogStore(config.localRoot());
      case S3 -> new S3LogStore(S3Clients.build(config), config);
    };
  }

  /**
   * A store for reading only: the api's. An S3 reader never uploads (the executor's store does),
   * and {@link LogStore#open} is refused.
   */
  public static LogStore openReader(LogStoreConfig config) {
    return switch (config.kind()) {
      case LOCAL -> new LocalLogStore(config.localRoot());
      case S3 -> S3LogStore.reader(S3Clients.build(config), config);
    };
  }
}
